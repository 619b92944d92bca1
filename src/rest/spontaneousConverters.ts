/** GPS's JSON to the spontaneous-payment domain (the answers are the domain objects as they are). */
import { errors } from "../domain/errors.ts";
import { DEFAULT_DUE_IN_DAYS, type CatalogueService, type Enrolment, type PropertyField } from "../domain/spontaneous.ts";
import type { Input } from "./validate.ts";

/** A service from a create or replace body; the path's id wins, a different id in the body is refused. */
export function serviceFromApi(body: Input<"service-update">, id: string): CatalogueService {
  if (body.id !== undefined && body.id !== id) throw errors.ruleViolation("id", `is ${body.id} but the path names ${id}`);
  return { ...body, id, properties: body.properties ?? [], dueInDays: body.dueInDays ?? DEFAULT_DUE_IN_DAYS } as CatalogueService;
}

/** An enrolment from its body (GPS's CreateEnrollmentModel may repeat the service id). */
export function enrolmentFromApi(body: Input<"enrolment-body">, serviceId: string): Enrolment {
  if (body.serviceId !== undefined && body.serviceId !== serviceId) throw errors.ruleViolation("serviceId", `is ${body.serviceId} but the path names ${serviceId}`);
  return { ...body, serviceId };
}

/** Property problems of a spontaneous-payment body, on its JSON paths. */
export const propertyFieldOf: PropertyField = (index, part) => (index === undefined ? "service.properties" : `service.properties[${index}].${part}`);

/** GPS's OrganizationModelResponse: the organization (as served here) with every enrolment. */
export const organizationToApi = (ec: string, written: Enrolment, enrollments: Enrolment[]) => ({
  fiscalCode: ec,
  companyName: written.companyName ?? ec,
  status: "ENABLED",
  enrollments,
});
