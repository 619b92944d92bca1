/**
 * What a payment notice prints, in order: one section per payment option (GPD v3's word; a plan of
 * installments), in the position's order of its options, each with one slip per printed installment.
 * A plan of one installment is a single payment ("rata unica"); a plan of N is paid in N installments,
 * each numbered within its own plan, counting the installments not printed (paid ones) too.
 */
import type { StoredOption, StoredPlan, StoredPosition } from "../domain/stored.ts";

export interface NoticeSlip {
  option: StoredOption;
  /** Which installment of its plan (1-based). */
  index: number;
}

export interface NoticeSection {
  /** Index of the plan in StoredPosition.plans. */
  plan: number;
  /** The plan's own data (description, validity), when the position has it. */
  info: StoredPlan | undefined;
  /** Installments in the whole plan: 1 is a single payment. */
  size: number;
  /** The printed installments, in their plan's order. */
  slips: NoticeSlip[];
  /** What the printed installments add up to. */
  total: number;
}

/** The sections of a notice of `options` (options of `position`, in any order). */
export function noticeSections(position: StoredPosition, options: readonly StoredOption[]): NoticeSection[] {
  const printed = new Set(options.map((o) => o.nav));
  const plans = [...new Set(options.map((o) => o.plan))].sort((a, b) => a - b);
  return plans.map((plan) => {
    const installments = position.options.filter((o) => o.plan === plan);
    const slips = installments.flatMap((option, i) => (printed.has(option.nav) ? [{ option, index: i + 1 }] : []));
    return { plan, info: position.plans[plan], size: installments.length, slips, total: slips.reduce((sum, s) => sum + s.option.amount, 0) };
  });
}

/** The slips of every section, in print order. */
export const slipsOf = (sections: readonly NoticeSection[]): NoticeSlip[] => sections.flatMap((s) => s.slips);

/** "RATA UNICA" or "RATA 2 DI 3": the name a slip goes by. */
export function slipName(section: NoticeSection, slip: NoticeSlip): string {
  return section.size === 1 ? "RATA UNICA" : `RATA ${slip.index} DI ${section.size}`;
}
