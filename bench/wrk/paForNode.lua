-- wrk script for stazione: paForNode requests on distinct notices, numbered like bench/data.ts.
-- wrk -s paForNode.lua <url> -- <mode> <first> <count> <ec> <broker> <station> <run tag> <api key> <threads>
-- mode: verify | activate | receipt | mixed | nav | options (paVerifyPaymentOptions) | create (a new position each
-- request, numbered from <first>)
-- Globals (not locals) where wrk must reach them across its per-thread Lua states.
local mode, first, count, ec, broker, station, tag, api_key, nthreads
local counter = 0
local ok_marker = "<outcome>OK</outcome>"
local ok_status = 200
local threads = {}
thread_index = 0
bad = 0

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local function check_digit(digits)
  local rest = 0
  for i = 1, #digits do rest = (rest * 10 + (digits:byte(i) - 48)) % 93 end
  return string.format("%02d", rest)
end

local function iuv_of(i)
  local base = "02" .. string.format("%013d", i)
  return base .. check_digit("3" .. base)
end

local head = '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body>'
local tail = '</soapenv:Body></soapenv:Envelope>'

local function ids()
  return "<idPA>" .. ec .. "</idPA><idBrokerPA>" .. broker .. "</idBrokerPA><idStation>" .. station .. "</idStation>"
end

local function verify(i)
  local body = head .. "<pafn:paVerifyPaymentNoticeReq>" .. ids() .. "<qrCode><fiscalCode>" .. ec .. "</fiscalCode><noticeNumber>3" .. iuv_of(i) .. "</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>" .. tail
  return wrk.format("POST", "/paForNode", { ["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = "paVerifyPaymentNotice" }, body)
end

local function activate(i)
  local body = head .. "<pafn:paGetPaymentV2Request>" .. ids() .. "<qrCode><fiscalCode>" .. ec .. "</fiscalCode><noticeNumber>3" .. iuv_of(i) .. "</noticeNumber></qrCode></pafn:paGetPaymentV2Request>" .. tail
  return wrk.format("POST", "/paForNode", { ["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = "paGetPaymentV2" }, body)
end

local function receipt(i, n)
  local transfers = (i % 5) + 1
  local each = 1000 + (i % 7) * 100
  local list = {}
  for t = 1, transfers do
    list[t] = "<transfer><idTransfer>" .. t .. "</idTransfer><transferAmount>" .. string.format("%d.%02d", math.floor(each / 100), each % 100) ..
      "</transferAmount><fiscalCodePA>" .. ec .. "</fiscalCodePA><IBAN>IT60X0542811101000000123456</IBAN><remittanceInformation>Quota " .. t ..
      "</remittanceInformation><transferCategory>0101100IM</transferCategory></transfer>"
  end
  local total = each * transfers
  local iuv = iuv_of(i)
  local body = head .. "<pafn:paSendRTV2Request>" .. ids() .. "<receipt><receiptId>" .. tag .. "-" .. thread_index .. "-" .. n .. "</receiptId><noticeNumber>3" .. iuv ..
    "</noticeNumber><fiscalCode>" .. ec .. "</fiscalCode><outcome>OK</outcome><creditorReferenceId>" .. iuv .. "</creditorReferenceId><paymentAmount>" ..
    string.format("%d.%02d", math.floor(total / 100), total % 100) .. "</paymentAmount><description>Tassa rifiuti 2026</description><companyName>Comune di Esempio</companyName>" ..
    "<debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA80A01H501U</entityUniqueIdentifierValue></uniqueIdentifier><fullName>Mario Rossi</fullName></debtor>" ..
    "<transferList>" .. table.concat(list) .. "</transferList><idPSP>ABCDITMMXXX</idPSP><PSPCompanyName>PSP di Esempio</PSPCompanyName><idChannel>99999999999_01</idChannel>" ..
    "<channelDescription>app</channelDescription><paymentMethod>creditCard</paymentMethod><fee>1.00</fee><paymentDateTime>2026-11-20T10:00:00</paymentDateTime></receipt></pafn:paSendRTV2Request>" .. tail
  return wrk.format("POST", "/paForNode", { ["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = "paSendRTV2" }, body)
end

local function payment_options(i)
  return wrk.format("GET", "/payment-options/organizations/" .. ec .. "/notices/3" .. iuv_of(i) .. "?idPA=" .. ec .. "&idBrokerPA=" .. broker .. "&idStation=" .. station)
end

local function by_nav(i)
  return wrk.format("GET", "/v1/organizations/" .. ec .. "/paymentoptions/3" .. iuv_of(i), { ["Ocp-Apim-Subscription-Key"] = api_key })
end

-- One new position, shaped like bench/data.ts benchPosition(i).
local function create(i)
  local transfers = (i % 5) + 1
  local each = 1000 + (i % 7) * 100
  local list = {}
  for t = 1, transfers do
    list[t] = '{"idTransfer":"' .. t .. '","amount":' .. each .. ',"organizationFiscalCode":"' .. ec ..
      '","remittanceInformation":"Quota ' .. t .. '","category":"0101100IM","iban":"IT60X0542811101000000123456"}'
  end
  local body = '{"iupd":"BENCH-' .. i .. '","type":"F","fiscalCode":"RSSMRA80A01H501U","fullName":"Contribuente ' .. i ..
    '","city":"Roma","country":"IT","companyName":"Comune di Esempio","officeName":"Ufficio Tributi","switchToExpired":false,' ..
    '"paymentOption":[{"iuv":"' .. iuv_of(i) .. '","amount":' .. (each * transfers) .. ',"description":"Tassa rifiuti 2026 n. ' .. i ..
    '","isPartialPayment":false,"dueDate":"2099-12-31T23:59:59+01:00","transfer":[' .. table.concat(list, ",") .. ']}]}'
  return wrk.format("POST", "/v1/organizations/" .. ec .. "/debtpositions?toPublish=true",
    { ["Content-Type"] = "application/json", ["Ocp-Apim-Subscription-Key"] = api_key }, body)
end

function init(args)
  mode, first, count, ec, broker, station, tag = args[1], tonumber(args[2]), tonumber(args[3]), args[4], args[5], args[6], args[7]
  api_key, nthreads = args[8], tonumber(args[9])
  if mode == "nav" then ok_marker = '"status":"PO_' end
  if mode == "options" then ok_marker = '"paymentOptions":[' end
  if mode == "create" then ok_marker, ok_status = '"iupd":"BENCH-', 201 end
end

-- Each thread walks its own share of the notices; mixed runs verify x3, activate x2, receipt x1 per notice.
-- As the Node pays a notice only after verifying and activating it, the receipt of the mixed profile goes to
-- a notice RECEIPT_LAG notices behind: wrk sends a notice's six requests on different connections at once.
local RECEIPT_LAG = 500
function request()
  local n = counter
  counter = counter + 1
  if mode == "mixed" then
    local step = n % 6
    local k = math.floor(n / 6)
    local i = first + ((k * nthreads + thread_index) % count)
    if step < 3 then return verify(i) elseif step < 5 then return activate(i) end
    return receipt(first + (((k - RECEIPT_LAG) * nthreads + thread_index) % count), n)
  end
  if mode == "create" then return create(first + n * nthreads + thread_index) end
  local i = first + ((n * nthreads + thread_index) % count)
  if mode == "verify" then return verify(i)
  elseif mode == "activate" then return activate(i)
  elseif mode == "receipt" then return receipt(i, n)
  elseif mode == "options" then return payment_options(i)
  else return by_nav(i) end
end

function response(status, headers, body)
  if status ~= ok_status or (ok_marker ~= nil and not body:find(ok_marker, 1, true)) then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("unexpected answer " .. status .. ": " .. body:sub(1, 600) .. "\n") end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("bad") end
  io.write(string.format("JSON {\"requests\":%d,\"duration_us\":%d,\"p50_us\":%d,\"p99_us\":%d,\"socket_errors\":%d,\"wrong_answers\":%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors, wrong))
end
