/**
 * Spontaneous payments: the catalogue (admin), the enrolments (EC) and demands. A demand, from REST
 * or from paDemandPaymentNotice, is checked against its service, priced, and becomes a one-option
 * position through the positions service's own create path, published at once and marked
 * spontaneous. An identical demand within the repeat window answers the open notice it created.
 */
import { ErrorCode, errors, isDomainError } from "../domain/errors.ts";
import { iuvProblem, type NoticeScheme } from "../domain/noticeNumber.ts";
import {
  assertServicePricing, checkedProperties, demandKey, listedPrice, spontaneousIuv, spontaneousPosition,
  type CatalogueService, type Demand, type Enrolment, type PropertyField, type ServiceStatus,
} from "../domain/spontaneous.ts";
import type { PositionInput } from "../domain/position.ts";
import type { StoredPosition } from "../domain/stored.ts";
import type { Database } from "../store/db.ts";
import * as store from "../store/spontaneous.ts";
import type { PositionService } from "./positions.ts";
import type { PricingClient } from "./pricing.ts";

/** Fresh random IUVs tried when one is already taken (by the EC's own numbering under the same segregation code). */
const IUV_ATTEMPTS = 3;

const serviceNotFound = (id: string) => errors.notFound("Service not found", `No service ${id} in the catalogue`);
const enrolmentNotFound = (ec: string, id: string) => errors.notFound("Enrolment not found", `Organization ${ec} is not enrolled in service ${id}`);

export interface SpontaneousDeps {
  db: Database;
  positions: PositionService;
  scheme: NoticeScheme;
  pricing: PricingClient;
  /** An identical demand within this many seconds answers the same open notice. */
  repeatWindowSeconds: number;
  now?: () => Date;
}

export function createSpontaneousService({ db, positions, scheme, pricing, repeatWindowSeconds, now = () => new Date() }: SpontaneousDeps) {
  async function mustGetService(id: string): Promise<CatalogueService> {
    const service = await store.getService(db, id);
    if (!service) throw serviceNotFound(id);
    return service;
  }

  async function mustGetEnrolment(ec: string, serviceId: string): Promise<Enrolment> {
    const enrolment = await store.getEnrolment(db, ec, serviceId);
    if (!enrolment) throw enrolmentNotFound(ec, serviceId);
    return enrolment;
  }

  function assertEnrolment(enrolment: Enrolment): void {
    const problem = iuvProblem(spontaneousIuv(enrolment.segregationCode, scheme), scheme);
    if (problem) throw errors.ruleViolation("segregationCode", `${enrolment.segregationCode} cannot start this station's IUVs: an IUV ${problem}`);
  }

  async function price(ec: string, service: CatalogueService, given: Demand["properties"], values: ReadonlyMap<string, string>, field: PropertyField): Promise<number> {
    const listed = listedPrice(service, given, values, field);
    if (listed !== undefined) return listed;
    return pricing({ url: `${service.endpoint}${service.basePath ?? ""}`, serviceId: service.id, organizationFiscalCode: ec, properties: values });
  }

  /** One attempt at creating the notice, under the demand's lock; answers the IUPD of an open notice of an identical demand instead. */
  async function createOnce(ec: string, key: string, position: () => PositionInput): Promise<string> {
    return db.transaction(async (tx) => {
      await store.lockDemand(tx, ec, key);
      const open = await store.openDemandPosition(tx, ec, key, repeatWindowSeconds);
      if (open) return open;
      const input = position();
      await positions.createWithin(tx, ec, input, true, true);
      await store.recordDemand(tx, ec, key, input.iupd);
      return input.iupd;
    });
  }

  return {
    catalogue: {
      list: (filter: { transferCategory?: string; status?: ServiceStatus }) => store.listServices(db, filter),
      get: mustGetService,
      async create(service: CatalogueService): Promise<CatalogueService> {
        assertServicePricing(service);
        await store.insertService(db, service).catch((error: unknown) => {
          throw error instanceof store.AlreadyExists ? errors.duplicate(`Service ${service.id}`, "id") : error;
        });
        return service;
      },
      async update(service: CatalogueService): Promise<CatalogueService> {
        assertServicePricing(service);
        if (!(await store.updateService(db, service))) throw serviceNotFound(service.id);
        return service;
      },
      async remove(id: string): Promise<void> {
        const deleted = await store.deleteService(db, id).catch((error: unknown) => {
          throw store.isReferenced(error) ? errors.semantic(`Service ${id} has enrolments; delete them first (or disable the service)`) : error;
        });
        if (!deleted) throw serviceNotFound(id);
      },
    },

    enrolments: {
      list: (ec: string) => store.listEnrolments(db, ec),
      get: mustGetEnrolment,
      async create(ec: string, enrolment: Enrolment): Promise<Enrolment> {
        await mustGetService(enrolment.serviceId);
        assertEnrolment(enrolment);
        await store.insertEnrolment(db, ec, enrolment).catch((error: unknown) => {
          throw error instanceof store.AlreadyExists ? errors.duplicate(`The enrolment of organization ${ec} in service ${enrolment.serviceId}`, "serviceId") : error;
        });
        return enrolment;
      },
      async update(ec: string, enrolment: Enrolment): Promise<Enrolment> {
        assertEnrolment(enrolment);
        if (!(await store.updateEnrolment(db, ec, enrolment))) throw enrolmentNotFound(ec, enrolment.serviceId);
        return enrolment;
      },
      async remove(ec: string, serviceId: string): Promise<void> {
        if (!(await store.deleteEnrolment(db, ec, serviceId))) throw enrolmentNotFound(ec, serviceId);
      },
    },

    /**
     * A demand of organization `ec`: the open notice of an identical recent demand, or a new one.
     * `field` names a property in errors as the door reads it.
     */
    async demand(ec: string, { serviceId, properties, debtor }: Demand, field: PropertyField): Promise<StoredPosition> {
      const service = await mustGetService(serviceId);
      if (service.status !== "ENABLED") throw errors.semantic(`Service ${serviceId} is disabled`);
      const enrolment = await mustGetEnrolment(ec, serviceId);
      const values = checkedProperties(service, properties, field);
      const key = demandKey(serviceId, values, debtor);
      // A repeat needs no price; a new notice is priced outside any transaction (an EC's pricing service may be slow).
      const open = await store.openDemandPosition(db, ec, key, repeatWindowSeconds);
      if (open) return positions.get(ec, open);
      const amount = await price(ec, service, properties, values, field);
      for (let attempt = 1; ; attempt++) {
        try {
          return await positions.get(ec, await createOnce(ec, key, () => spontaneousPosition(ec, service, enrolment, debtor, amount, spontaneousIuv(enrolment.segregationCode, scheme), now())));
        } catch (error) {
          // the random IUV was taken: the transaction rolled back, try another
          if (!(attempt < IUV_ATTEMPTS && isDomainError(error) && error.code === ErrorCode.duplicate)) throw error;
        }
      }
    },
  };
}

export type SpontaneousService = ReturnType<typeof createSpontaneousService>;
