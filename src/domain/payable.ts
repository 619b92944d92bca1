/**
 * Which options of a debt position a payment notice prints. The decision is not taken here: it is
 * the state paVerifyPaymentNotice would answer for each option (stazione_notice_state and
 * stazione_blocker in the database, read for every option of the position by the store's
 * noticeStates), so a printed QR code never leads to a refusal that was already known when it was
 * printed. This module only chooses by those states and words the refusal.
 *
 * OK prints, and so does IN_PROGRESS: a lock (payment in progress, on the option or on one that
 * excludes it) is short-lived, and the payment may still fail. Every other state refuses with
 * notPayable; the position's status (the status a reader sees, also computed in the database) only
 * picks the words, and tells a refusal of the whole position from one of a single option.
 */
import { errors } from "./errors.ts";
import { PositionStatus } from "./states.ts";
import type { NoticeState, StoredOption, StoredPosition } from "./stored.ts";

/** The state of one option, as the store's noticeStates reads it. */
export interface OptionState {
  nav: string;
  state: NoticeState;
  /** Notice number of the option that keeps this one from being paid (paid) or holds it (being paid). */
  blocker?: string;
}

interface Refusal {
  /** The position as a whole cannot be paid (every option is refused for this same reason). */
  wholePosition: boolean;
  reason: string;
}

const ofPosition = (reason: string): Refusal => ({ wholePosition: true, reason });
const ofOption = (reason: string): Refusal => ({ wholePosition: false, reason });

/** Why an option in this state is not printed, or undefined when it is. */
function refusalOf(position: StoredPosition, option: StoredOption, state: OptionState | undefined): Refusal | undefined {
  // the position was replaced between the two reads (its options are no longer those the states are about)
  if (!state) return ofPosition("changed while its notice was being prepared; retry");
  switch (state.state) {
    // NEEDS_V2 is only an activation's answer without V2 (never noticeStates'): payable through V2
    case "OK":
    case "IN_PROGRESS":
    case "NEEDS_V2":
      return undefined;
    case "UNKNOWN":
      // a position not payable yet: DRAFT, or PUBLISHED before its validity date
      if (position.status === PositionStatus.DRAFT) return ofPosition("is DRAFT (not published)");
      if (position.status === PositionStatus.PUBLISHED) {
        return ofPosition(`is PUBLISHED and payable only from its validity date ${position.validityDate ?? ""}`.trimEnd());
      }
      // a VALID position whose option belongs to a plan valid only later (v3: each plan has its own validity)
      if (position.status === PositionStatus.VALID || position.status === PositionStatus.PARTIALLY_PAID) {
        return ofOption(`is payable only from the validity date of its payment option ${position.plans[option.plan]?.validityDate ?? ""}`.trimEnd());
      }
      return ofPosition("is not payable yet (not published, or before its validity date)");
    case "CANCELLED":
      return ofPosition("is INVALID (cancelled by the creditor institution)");
    case "EXPIRED":
      return position.status === PositionStatus.EXPIRED ? ofPosition("is EXPIRED (past its due date)") : ofOption("is past its due date");
    case "PAID":
      if (position.status === PositionStatus.PAID || position.status === PositionStatus.REPORTED) {
        return ofPosition(`is ${position.status} (already paid)`);
      }
      return state.blocker === undefined
        ? ofOption("is already paid")
        : ofOption(`cannot be paid since notice ${state.blocker} of the same position was paid`);
  }
}

const stateOf = (states: readonly OptionState[], nav: string) => states.find((s) => s.nav === nav);

/**
 * The options a notice of the whole position prints, in the position's order: those whose state
 * is OK or IN_PROGRESS. Throws notPayable when there are none, saying why.
 */
export function assertPositionPayable(position: StoredPosition, states: readonly OptionState[]): StoredOption[] {
  const verdicts = position.options.map((option) => ({ option, refusal: refusalOf(position, option, stateOf(states, option.nav)) }));
  const printed = verdicts.filter((v) => v.refusal === undefined).map((v) => v.option);
  if (printed.length > 0) return printed;
  const whole = verdicts.find((v) => v.refusal?.wholePosition)?.refusal;
  throw errors.notPayable(`Debt position ${position.iupd}`, whole?.reason ?? "has no payment option left to pay");
}

/** The option with this notice number when a notice prints it; throws notPayable otherwise. */
export function assertOptionPayable(position: StoredPosition, states: readonly OptionState[], nav: string): StoredOption {
  const option = position.options.find((o) => o.nav === nav);
  if (!option) throw errors.optionNotFound(position.organizationFiscalCode, nav);
  const refusal = refusalOf(position, option, stateOf(states, nav));
  if (refusal) throw errors.notPayable(refusal.wholePosition ? `Notice ${nav}: debt position ${position.iupd}` : `Notice ${nav}`, refusal.reason);
  return option;
}
