/**
 * Who a payment notice is addressed to. In GPD v3 each payment option (a plan) has its own debtor:
 * co-obligors each have options of their own, and each gets a notice of their own holding only
 * those. A v1 position has one debtor for all its plans, so one notice. Debtors are told apart by
 * fiscal code, in any case (a fiscal code is upper case, but a query may not be).
 */
import type { Debtor } from "../domain/position.ts";
import type { StoredOption, StoredPosition } from "../domain/stored.ts";

/** The debtor an option is owed by: its plan's (a position read before plans existed: the position's). */
export function debtorOf(position: StoredPosition, option: StoredOption): Debtor {
  return position.plans[option.plan]?.debtor ?? position.debtor;
}

export const sameFiscalCode = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/** The position's debtors, each once, in the order of their first option. */
export function debtorsOf(position: StoredPosition): Debtor[] {
  const debtors: Debtor[] = [];
  for (const option of position.options) {
    const debtor = debtorOf(position, option);
    if (!debtors.some((d) => sameFiscalCode(d.fiscalCode, debtor.fiscalCode))) debtors.push(debtor);
  }
  return debtors;
}

/** Of `options` (of this position), those owed by the debtor with this fiscal code, in their order. */
export function optionsOfDebtor(position: StoredPosition, options: readonly StoredOption[], fiscalCode: string): StoredOption[] {
  return options.filter((o) => sameFiscalCode(debtorOf(position, o).fiscalCode, fiscalCode));
}

/**
 * The one debtor a notice of these options is addressed to. Options of two debtors in one notice
 * would print someone else's debt under a name: a caller splits by debtor first.
 */
export function addresseeOf(position: StoredPosition, options: readonly StoredOption[]): Debtor {
  const [first, ...rest] = options.map((o) => debtorOf(position, o));
  if (!first) return position.debtor;
  const other = rest.find((d) => !sameFiscalCode(d.fiscalCode, first.fiscalCode));
  if (other) throw new Error(`a notice has one addressee: ${first.fiscalCode} and ${other.fiscalCode} each get their own`);
  return first;
}
