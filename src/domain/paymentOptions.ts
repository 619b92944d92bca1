/**
 * paVerifyPaymentOptions (SANP 3.9.1): every way the notice's position can be paid, as the platform
 * shows them to the citizen: each payment option (a plan: one installment is the single payment) with
 * its installments and their PO_* / POI_* statuses. Pure: it reads the position as the store returns it,
 * with each installment's notice state (the payment rules' answer, src/store/sql).
 */
import { errors } from "./errors.ts";
import type { NoticeState, OptionStatus } from "./states.ts";
import type { StoredOption, StoredPlan, StoredPosition } from "./stored.ts";
import { isoTimestamp } from "./time.ts";

export type InstallmentStatus = "POI_UNPAID" | "POI_PAID" | "POI_EXPIRED_NOT_PAYABLE" | "POI_EXPIRED_UNPAID" | "POI_INVALID";
export type PaymentOptionStatus = "PO_UNPAID" | "PO_PAID" | "PO_PARTIALLY_PAID" | "PO_EXPIRED_NOT_PAYABLE" | "PO_EXPIRED_UNPAID" | "PO_INVALID";

export interface PaymentOptionsInstallment {
  nav: string;
  iuv: string;
  amount: number;
  description: string;
  dueDate: string;
  validFrom: string;
  status: InstallmentStatus;
  statusReason: string;
}

export interface PaymentOptionsOption {
  description: string;
  numberOfInstallments: number;
  amount: number;
  dueDate: string;
  validFrom: string;
  status: PaymentOptionStatus;
  statusReason: string;
  allCCP: boolean;
  installments: PaymentOptionsInstallment[];
}

export interface PaymentOptions {
  organizationFiscalCode: string;
  companyName: string;
  officeName?: string;
  standin: boolean;
  paymentOptions: PaymentOptionsOption[];
}

const REASONS: Record<InstallmentStatus, string> = {
  POI_UNPAID: "payable",
  POI_PAID: "paid",
  POI_EXPIRED_NOT_PAYABLE: "past its due date, no longer payable",
  POI_EXPIRED_UNPAID: "past its due date, still payable",
  POI_INVALID: "not payable: another payment option has been paid",
};

function installmentStatus(status: OptionStatus, state: NoticeState, dueDate: Date, now: Date): InstallmentStatus {
  if (status !== "PO_UNPAID") return "POI_PAID";
  switch (state) {
    case "EXPIRED":
      return "POI_EXPIRED_NOT_PAYABLE";
    case "PAID":
    case "CANCELLED":
      return "POI_INVALID";
    case "OK":
    case "IN_PROGRESS":
    case "UNKNOWN":
    case "NEEDS_V2":
      return dueDate < now ? "POI_EXPIRED_UNPAID" : "POI_UNPAID";
  }
}

/** An option follows its installments: paid when all are, partly paid when some are, else its worst state. */
function optionStatus(installments: readonly InstallmentStatus[]): PaymentOptionStatus {
  const paid = installments.filter((s) => s === "POI_PAID").length;
  if (paid === installments.length) return "PO_PAID";
  if (paid > 0) return "PO_PARTIALLY_PAID";
  if (installments.includes("POI_INVALID")) return "PO_INVALID";
  if (installments.every((s) => s === "POI_EXPIRED_NOT_PAYABLE")) return "PO_EXPIRED_NOT_PAYABLE";
  if (installments.some((s) => s === "POI_EXPIRED_UNPAID" || s === "POI_EXPIRED_NOT_PAYABLE")) return "PO_EXPIRED_UNPAID";
  return "PO_UNPAID";
}

const OPTION_REASONS: Record<PaymentOptionStatus, string> = {
  PO_UNPAID: "payable",
  PO_PAID: "paid",
  PO_PARTIALLY_PAID: "some installments paid; the others stay payable",
  PO_EXPIRED_NOT_PAYABLE: "past its due date, no longer payable",
  PO_EXPIRED_UNPAID: "some installments past their due date",
  PO_INVALID: "not payable: another payment option has been paid",
};

function optionOf(position: StoredPosition, plan: StoredPlan, installments: readonly StoredOption[], now: Date): PaymentOptionsOption {
  // payable from the option's validity date, else from the position's publication
  const validFrom = isoTimestamp(new Date(plan.validityDate ?? position.publishDate ?? position.insertedDate));
  const rows = installments.map((o): PaymentOptionsInstallment => {
    const status = installmentStatus(o.status, o.noticeState, new Date(o.dueDate), now);
    return { nav: o.nav, iuv: o.iuv, amount: o.amount, description: o.description, dueDate: isoTimestamp(new Date(o.dueDate)), validFrom, status, statusReason: REASONS[status] };
  });
  const status = optionStatus(rows.map((r) => r.status));
  return {
    description: plan.description ?? installments[0]!.description,
    numberOfInstallments: rows.length,
    amount: rows.reduce((sum, r) => sum + r.amount, 0),
    dueDate: rows.map((r) => r.dueDate).reduce((a, b) => (new Date(a) >= new Date(b) ? a : b)),
    validFrom,
    status,
    statusReason: OPTION_REASONS[status],
    allCCP: installments.every((o) => o.transfers.every((t) => t.postalIban !== undefined)),
    installments: rows,
  };
}

/**
 * The payment options of the position that holds notice `nav`, or the error the platform expects: the
 * position is unknown (not published or not yet valid), invalidated, expired or paid; or a payment of
 * another option is in progress, which keeps the asked notice from being paid now.
 */
export function paymentOptionsOf(position: StoredPosition | undefined, nav: string, now: Date): PaymentOptions {
  const asked = position?.options.find((o) => o.nav === nav);
  if (!position || !asked) throw errors.noticeUnknown(nav);
  switch (position.status) {
    case "DRAFT":
    case "PUBLISHED":
      throw errors.noticeUnknown(nav);
    case "INVALID":
      throw errors.noticeCancelled(nav);
    case "EXPIRED":
      throw errors.noticeExpired(nav);
    case "PAID":
    case "REPORTED":
      throw errors.noticePaid(nav);
    case "VALID":
    case "PARTIALLY_PAID":
      break;
  }
  if (asked.noticeState === "IN_PROGRESS") {
    const other = position.options.find((o) => o.plan !== asked.plan && o.lockedUntil !== undefined);
    throw errors.noticeInProgress(nav, other?.nav ?? "another notice");
  }
  return {
    organizationFiscalCode: position.organizationFiscalCode,
    companyName: position.companyName,
    officeName: position.officeName,
    standin: position.payStandIn,
    paymentOptions: position.plans.map((plan, k) => optionOf(position, plan, position.options.filter((o) => o.plan === k), now)),
  };
}
