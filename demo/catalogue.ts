/**
 * npm run demo: loads a small spontaneous-payments catalogue and enrols one EC in it, over the REST
 * API of a running station (so it works on the embedded database too, which one process owns).
 * Run it again at will: existing services and enrolments are replaced.
 *
 *   STATION_URL=http://localhost:3000 ADMIN_API_KEY=... DEMO_EC=77777777777 npm run demo
 */
import { pathToFileURL } from "node:url";

export const DEMO_SERVICES = [
  {
    id: "CERTA",
    name: "Certificato anagrafico",
    description: "Diritti di segreteria per un certificato anagrafico, per tipo",
    transferCategory: "9/0101108TS/",
    status: "ENABLED",
    properties: [{ name: "tipoCertificato", type: "STRING", required: true }],
    tariff: { property: "tipoCertificato", values: { residenza: 52, nascita: 52, "stato-di-famiglia": 52 }, default: 100 },
    dueInDays: 7,
  },
  {
    id: "CIE01",
    name: "Carta d'identità elettronica",
    description: "Corrispettivo per il rilascio della CIE",
    transferCategory: "9/0101108TS/",
    status: "ENABLED",
    properties: [{ name: "numeroPratica", type: "STRING", required: true }],
    amount: 2221,
    dueInDays: 30,
  },
  {
    id: "PASSO",
    name: "Passo carrabile",
    description: "Canone annuo per passo carrabile, per metri lineari",
    transferCategory: "9/0201133IM/",
    status: "ENABLED",
    properties: [
      { name: "indirizzo", type: "STRING", required: true },
      { name: "metri", type: "NUMBER", required: true },
    ],
    tariff: { property: "metri", values: { "3": 4500, "4": 6000, "5": 7500 }, default: 9000 },
    dueInDays: 30,
  },
] as const;

export const demoEnrolment = {
  iban: "IT60X0542811101000000123456",
  companyName: "Comune di Demo",
  officeName: "Ufficio tributi",
  segregationCode: "47",
  remittanceInformation: "Pagamento spontaneo",
};

interface Target {
  url: string;
  adminKey: string;
  ec: string;
}

async function call(target: Target, method: string, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${target.url}${path}`, {
    method,
    headers: { "content-type": "application/json", "Ocp-Apim-Subscription-Key": target.adminKey },
    body: JSON.stringify(body),
  });
  if (res.status >= 400 && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status;
}

/** Creates (or replaces) the demo services and the EC's enrolments; returns the service ids. */
export async function loadDemo(target: Target): Promise<string[]> {
  for (const { id, ...service } of DEMO_SERVICES) {
    if ((await call(target, "POST", "/v1/services", { id, ...service })) === 409) await call(target, "PUT", `/v1/services/${id}`, service);
    const enrolment = `/v1/organizations/${target.ec}/services/${id}`;
    if ((await call(target, "POST", enrolment, demoEnrolment)) === 409) await call(target, "PUT", enrolment, demoEnrolment);
  }
  return DEMO_SERVICES.map((s) => s.id);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const adminKey = process.env.ADMIN_API_KEY?.split(",")[0];
  if (!adminKey) {
    console.error("ADMIN_API_KEY is required: the station's admin key (the catalogue is admin-only)");
    process.exit(2);
  }
  const target = { url: (process.env.STATION_URL ?? "http://localhost:3000").replace(/\/$/, ""), adminKey, ec: process.env.DEMO_EC ?? process.env.ORGANIZATIONS?.split(",")[0] ?? "77777777777" };
  loadDemo(target).then(
    (ids) => console.log(`Loaded services ${ids.join(", ")} and enrolled ${target.ec} (segregation code ${demoEnrolment.segregationCode}) at ${target.url}`),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
