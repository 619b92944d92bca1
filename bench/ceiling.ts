/**
 * The ceiling: a bare node:http server that reads the request and answers a fixed
 * paVerifyPaymentNotice OK body. No parsing, no database: what one node process can do at best.
 */
import { createServer } from "node:http";

const BODY = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body><pafn:paVerifyPaymentNoticeRes><outcome>OK</outcome><paymentList><paymentOptionDescription><amount>30.00</amount><options>EQ</options><dueDate>2099-12-31</dueDate><allCCP>false</allCCP></paymentOptionDescription></paymentList><paymentDescription>Tassa rifiuti 2026 n. 1</paymentDescription><fiscalCodePA>77777777777</fiscalCodePA><companyName>Comune di Esempio</companyName><officeName>Ufficio Tributi</officeName></pafn:paVerifyPaymentNoticeRes></soapenv:Body></soapenv:Envelope>',
);

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/xml; charset=utf-8", "content-length": BODY.length });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`ceiling listening on ${typeof address === "object" && address ? address.port : "?"}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
