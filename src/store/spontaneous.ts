/**
 * Spontaneous payments: the service catalogue, the enrolments, and the demands that created a
 * notice. Functions take the Sql handle (or transaction) first and speak domain types.
 */
import type { CatalogueService, Enrolment, ServiceStatus } from "../domain/spontaneous.ts";
import { isUniqueViolation, type PgError, type Sql } from "./db.ts";

/** A row still referenced by another (a service with enrolments). */
export const isReferenced = (error: unknown): boolean => (error as PgError)?.code === "23503";

export class AlreadyExists extends Error {}

interface ServiceRow {
  id: string;
  name: string;
  description: string;
  transfer_category: string;
  status: ServiceStatus;
  endpoint: string | null;
  base_path: string | null;
  properties: CatalogueService["properties"];
  price: { amount?: number; tariff?: CatalogueService["tariff"] } | null;
  due_in_days: number;
}

function serviceOf(row: ServiceRow): CatalogueService {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    transferCategory: row.transfer_category,
    status: row.status,
    ...(row.endpoint === null ? {} : { endpoint: row.endpoint }),
    ...(row.base_path === null ? {} : { basePath: row.base_path }),
    properties: row.properties,
    ...(row.price ?? {}),
    dueInDays: row.due_in_days,
  };
}

const serviceParams = (s: CatalogueService) => [
  s.id,
  s.name,
  s.description,
  s.transferCategory,
  s.status,
  s.endpoint ?? null,
  s.basePath ?? null,
  JSON.stringify(s.properties),
  s.amount !== undefined ? JSON.stringify({ amount: s.amount }) : s.tariff ? JSON.stringify({ tariff: s.tariff }) : null,
  s.dueInDays,
];

const rethrowDuplicate = (error: unknown): never => {
  throw isUniqueViolation(error) ? new AlreadyExists() : error;
};

export async function insertService(sql: Sql, service: CatalogueService): Promise<void> {
  await sql
    .query(
      `INSERT INTO service (id, name, description, transfer_category, status, endpoint, base_path, properties, price, due_in_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10)`,
      serviceParams(service),
    )
    .catch(rethrowDuplicate);
}

/** Replaces a service's fields; false when there is none with that id. */
export async function updateService(sql: Sql, service: CatalogueService): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE service SET name = $2, description = $3, transfer_category = $4, status = $5, endpoint = $6, base_path = $7,
       properties = $8::jsonb, price = $9::jsonb, due_in_days = $10, last_updated_date = now()
     WHERE id = $1 RETURNING id`,
    serviceParams(service),
  );
  return rows.length > 0;
}

export async function getService(sql: Sql, id: string): Promise<CatalogueService | undefined> {
  const [row] = await sql.query<ServiceRow>("SELECT * FROM service WHERE id = $1", [id]);
  return row && serviceOf(row);
}

export async function listServices(sql: Sql, filter: { transferCategory?: string; status?: ServiceStatus }): Promise<CatalogueService[]> {
  const rows = await sql.query<ServiceRow>(
    `SELECT * FROM service WHERE ($1::text IS NULL OR transfer_category = $1) AND ($2::text IS NULL OR status = $2) ORDER BY id`,
    [filter.transferCategory ?? null, filter.status ?? null],
  );
  return rows.map(serviceOf);
}

/** Deletes a service; false when there is none (a service with enrolments throws isReferenced). */
export async function deleteService(sql: Sql, id: string): Promise<boolean> {
  return (await sql.query("DELETE FROM service WHERE id = $1 RETURNING id", [id])).length > 0;
}

interface EnrolmentRow {
  service_id: string;
  iban: string;
  postal_iban: string | null;
  company_name: string | null;
  office_name: string | null;
  segregation_code: string;
  remittance_information: string;
}

function enrolmentOf(row: EnrolmentRow): Enrolment {
  const optional = (key: keyof Enrolment, value: string | null) => (value === null ? {} : { [key]: value });
  return {
    serviceId: row.service_id,
    iban: row.iban,
    ...optional("postalIban", row.postal_iban),
    ...optional("companyName", row.company_name),
    ...optional("officeName", row.office_name),
    segregationCode: row.segregation_code,
    remittanceInformation: row.remittance_information,
  };
}

const enrolmentParams = (ec: string, e: Enrolment) => [ec, e.serviceId, e.iban, e.postalIban ?? null, e.companyName ?? null, e.officeName ?? null, e.segregationCode, e.remittanceInformation];

export async function insertEnrolment(sql: Sql, ec: string, enrolment: Enrolment): Promise<void> {
  await sql
    .query(
      `INSERT INTO service_enrolment (organization_fiscal_code, service_id, iban, postal_iban, company_name, office_name, segregation_code, remittance_information)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      enrolmentParams(ec, enrolment),
    )
    .catch(rethrowDuplicate);
}

export async function updateEnrolment(sql: Sql, ec: string, enrolment: Enrolment): Promise<boolean> {
  const rows = await sql.query(
    `UPDATE service_enrolment SET iban = $3, postal_iban = $4, company_name = $5, office_name = $6, segregation_code = $7,
       remittance_information = $8, last_updated_date = now()
     WHERE organization_fiscal_code = $1 AND service_id = $2 RETURNING service_id`,
    enrolmentParams(ec, enrolment),
  );
  return rows.length > 0;
}

export async function getEnrolment(sql: Sql, ec: string, serviceId: string): Promise<Enrolment | undefined> {
  const [row] = await sql.query<EnrolmentRow>("SELECT * FROM service_enrolment WHERE organization_fiscal_code = $1 AND service_id = $2", [ec, serviceId]);
  return row && enrolmentOf(row);
}

export async function listEnrolments(sql: Sql, ec: string): Promise<Enrolment[]> {
  const rows = await sql.query<EnrolmentRow>("SELECT * FROM service_enrolment WHERE organization_fiscal_code = $1 ORDER BY service_id", [ec]);
  return rows.map(enrolmentOf);
}

export async function deleteEnrolment(sql: Sql, ec: string, serviceId: string): Promise<boolean> {
  return (await sql.query("DELETE FROM service_enrolment WHERE organization_fiscal_code = $1 AND service_id = $2 RETURNING service_id", [ec, serviceId])).length > 0;
}

/**
 * Serialises demands with one key until the transaction ends (a transaction-scoped advisory lock):
 * two identical demands at once cannot both find no notice and both create one.
 */
export async function lockDemand(tx: Sql, ec: string, key: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`spontaneous:${ec}:${key}`]);
}

/** The IUPD of the notice an identical demand created within the window, while it is still open to payment. */
export async function openDemandPosition(sql: Sql, ec: string, key: string, windowSeconds: number): Promise<string | undefined> {
  const [row] = await sql.query<{ iupd: string }>(
    `SELECT p.iupd FROM spontaneous_demand d JOIN payment_position p ON p.id = d.payment_position_id
     WHERE d.organization_fiscal_code = $1 AND d.demand_key = $2 AND d.inserted_date > now() - make_interval(secs => $3)
       AND p.status IN ('PUBLISHED', 'VALID')
     ORDER BY d.inserted_date DESC LIMIT 1`,
    [ec, key, windowSeconds],
  );
  return row?.iupd;
}

/** Records the demand that created a (spontaneous) position. */
export async function recordDemand(tx: Sql, ec: string, key: string, iupd: string): Promise<void> {
  await tx.query(
    `INSERT INTO spontaneous_demand (organization_fiscal_code, demand_key, payment_position_id)
     SELECT organization_fiscal_code, $2, id FROM payment_position WHERE organization_fiscal_code = $1 AND iupd = $3`,
    [ec, key, iupd],
  );
}
