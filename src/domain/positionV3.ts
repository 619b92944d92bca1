/**
 * The debt position in GPD v3's shape (PaymentPositionModelV3): payment options, each a plan of
 * installments with its own debtor (co-obligors), validity, retention and expiry. Turned into the same
 * NewPosition the v1 shape gives, so both are stored, paid and read back alike.
 */
import { errors } from "./errors.ts";
import type { NoticeScheme } from "./noticeNumber.ts";
import {
  assertIuvsUnique,
  pickDebtor,
  prepareOption,
  timestamp,
  type Debtor,
  type MetadataEntry,
  type NewOption,
  type NewPlan,
  type NewPosition,
  type TransferInput,
} from "./position.ts";
import { parseDeadline } from "./time.ts";

export interface InstallmentInputV3 {
  nav?: string;
  iuv: string;
  amount: number;
  description: string;
  dueDate: string;
  transfer: TransferInput[];
  installmentMetadata?: MetadataEntry[];
}

export interface PaymentOptionInputV3 {
  description?: string;
  validityDate?: string;
  retentionDate?: string;
  switchToExpired: boolean;
  debtor: Debtor;
  installments: InstallmentInputV3[];
}

export interface PositionInputV3 {
  iupd: string;
  payStandIn?: boolean;
  companyName: string;
  officeName?: string;
  paymentOption: PaymentOptionInputV3[];
}

function preparePlan(o: PaymentOptionInputV3, field: string): NewPlan {
  const validityDate = o.validityDate === undefined ? undefined : timestamp(o.validityDate, `${field}.validityDate`);
  const retentionDate = o.retentionDate === undefined ? undefined : timestamp(o.retentionDate, `${field}.retentionDate`, parseDeadline);
  return { description: o.description, debtor: pickDebtor(o.debtor), validityDate, retentionDate, switchToExpired: o.switchToExpired };
}

/**
 * Applies every rule beyond the JSON Schema. The position's own debtor, validity and expiry (what v1
 * shows, and what the position's status follows) come from its options: the first option's debtor, the
 * earliest validity (none if an option has none), expiry when every option expires.
 */
export function preparePositionV3(input: PositionInputV3, ec: string, scheme: NoticeScheme, prefix = ""): NewPosition {
  const plans = input.paymentOption.map((o, k) => preparePlan(o, `${prefix}paymentOption[${k}]`));
  const options: NewOption[] = input.paymentOption.flatMap((o, k) => {
    const plan = plans[k]!;
    return o.installments.map((inst, m) => {
      const field = `paymentOption[${k}].installments[${m}]`;
      const prepared = prepareOption(
        { ...inst, isPartialPayment: o.installments.length > 1, paymentOptionMetadata: inst.installmentMetadata },
        ec,
        scheme,
        plan.validityDate,
        `${prefix}${field}`,
      );
      if (plan.retentionDate && plan.retentionDate < prepared.dueDate) throw errors.ruleViolation(`${prefix}paymentOption[${k}].retentionDate`, `is before the due date of installments[${m}]`);
      return { ...prepared, retentionDate: plan.retentionDate, plan: k, field };
    });
  });
  assertIuvsUnique(options.map((o) => ({ iuv: o.iuv, field: `${prefix}${o.field}` })));
  const validities = plans.map((p) => p.validityDate);
  return {
    organizationFiscalCode: ec,
    iupd: input.iupd,
    debtor: plans[0]!.debtor,
    companyName: input.companyName,
    officeName: input.officeName,
    validityDate: validities.includes(undefined) ? undefined : new Date(Math.min(...validities.map((d) => d!.getTime()))),
    switchToExpired: plans.every((p) => p.switchToExpired),
    payStandIn: input.payStandIn ?? true,
    plans,
    options,
  };
}
