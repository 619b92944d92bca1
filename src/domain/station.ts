/** Station checks every paForNode request passes (receipts are lenient: see assertReceiptStation). */
import { errors } from "./errors.ts";

export interface StationIdentity {
  organizations: readonly string[];
  brokerId: string;
  stationId: string;
}

export interface RequestHeader {
  idPA: string;
  idBrokerPA: string;
  idStation: string;
}

export function assertStation(header: RequestHeader, station: StationIdentity): void {
  if (!station.organizations.includes(header.idPA)) throw errors.domainUnknown(header.idPA);
  if (header.idBrokerPA !== station.brokerId) throw errors.brokerMismatch(header.idBrokerPA);
  if (header.idStation !== station.stationId) throw errors.stationMismatch(header.idStation);
}

/**
 * A receipt for an EC served here is stored even when broker or station do not match: refusing it
 * would lose a real payment (ECs moved between stations have lost days of receipts that way).
 * Returns true when the ids do not match, so the receipt is flagged.
 */
export function assertReceiptStation(header: RequestHeader, station: StationIdentity): boolean {
  if (!station.organizations.includes(header.idPA)) throw errors.domainUnknown(header.idPA);
  return header.idBrokerPA !== station.brokerId || header.idStation !== station.stationId;
}
