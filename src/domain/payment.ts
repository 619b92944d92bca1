/** Which account each transfer is paid to, by the transferType the Node asks for. */
import type { MetadataEntry, Stamp } from "./position.ts";

export type TransferType = "POSTAL" | "PAGOPA" | undefined;

export interface PayableTransfer {
  iban?: string;
  postalIban?: string;
  stamp?: Stamp;
  metadata: MetadataEntry[];
}

/** Key of the metadata entry that carries the postal account when transferType is PAGOPA. */
const IBAN_APPOGGIO = "IBANAPPOGGIO";

/**
 * POSTAL: the postal account is answered where the transfer has one. PAGOPA: the bank account is
 * answered and the postal one travels as IBANAPPOGGIO metadata. Otherwise the bank account.
 */
export function accountFor<T extends PayableTransfer>(transfer: T, transferType: TransferType): { iban: string | undefined; metadata: MetadataEntry[] } {
  if (transferType === "POSTAL" && transfer.postalIban) return { iban: transfer.postalIban, metadata: transfer.metadata };
  if (transferType === "PAGOPA" && transfer.postalIban && !transfer.metadata.some((m) => m.key === IBAN_APPOGGIO)) {
    return { iban: transfer.iban, metadata: [...transfer.metadata, { key: IBAN_APPOGGIO, value: transfer.postalIban }] };
  }
  return { iban: transfer.iban, metadata: transfer.metadata };
}
