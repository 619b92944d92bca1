/**
 * Notice numbers (NAV, "numero avviso") and IUVs as SACI defines them:
 *   NAV = auxDigit [applicationCode] IUV        (always 18 digits)
 *   aux 0: "0" + appCode(2) + IUV(15 = base 13 + check 2)
 *   aux 1: "1" + IUV(17, no check digit)
 *   aux 2: "2" + IUV(17 = base 15 + check 2)
 *   aux 3: "3" + IUV(17 = segregation 2 + base 13 + check 2)
 * The check digit is the number formed by all preceding NAV digits, mod 93, on two digits.
 */

export type AuxDigit = "0" | "1" | "2" | "3";

export interface NoticeScheme {
  auxDigit: AuxDigit;
  /** Two digits, required with aux digit 0. */
  applicationCode?: string;
  /** Two-digit segregation codes this station may issue IUVs for (aux digit 3); empty = any. */
  segregationCodes: readonly string[];
  /**
   * false: a wrong check digit is accepted (IUV_CHECK_DIGIT=off), for test suites that make up
   * random IUVs. Such a notice cannot be paid at a PSP, which verifies the check digit.
   */
  checkDigit?: boolean;
}

/** NAV of the Stand-In probe: the Node expects PAA_PAGAMENTO_SCONOSCIUTO for it. */
export const STAND_IN_PROBE_NAV = "000000000000000000";

const DIGITS_18 = /^\d{18}$/;

/** Remainder mod 93 of a decimal digit string of any length, written on two digits. */
export function checkDigit(digits: string): string {
  let rest = 0;
  for (let i = 0; i < digits.length; i++) rest = (rest * 10 + digits.charCodeAt(i) - 48) % 93;
  return rest < 10 ? `0${rest}` : String(rest);
}

function hasValidCheckDigit(nav: string): boolean {
  return checkDigit(nav.slice(0, 16)) === nav.slice(16);
}

/** The IUV carried by a NAV (what the wire calls creditorReferenceId). */
export function iuvOfNav(nav: string): string {
  return nav.startsWith("0") ? nav.slice(3) : nav.slice(1);
}

/** Why a NAV/IUV pair is not acceptable, or undefined when it is; `verifyCheckDigit` false skips the check digit. */
export function noticeNumberProblem(nav: string, iuv: string, verifyCheckDigit = true): string | undefined {
  if (!DIGITS_18.test(nav)) return "must be 18 digits";
  // Its check digit is right, but the station answers it as unknown: a notice with it could never be paid.
  if (nav === STAND_IN_PROBE_NAV) return "is reserved for the Node's Stand-In probe";
  const aux = nav.charAt(0);
  switch (aux) {
    case "0":
    case "2":
    case "3":
      if (verifyCheckDigit && !hasValidCheckDigit(nav)) return `has a wrong check digit (expected ${checkDigit(nav.slice(0, 16))})`;
      break;
    case "1":
      break;
    default:
      return `has aux digit ${aux}, which is not one of 0, 1, 2, 3`;
  }
  if (iuvOfNav(nav) !== iuv) return `does not carry the IUV ${iuv}`;
  return undefined;
}

/** Why an IUV cannot be issued under the scheme, or undefined. */
export function iuvProblem(iuv: string, scheme: NoticeScheme): string | undefined {
  const length = scheme.auxDigit === "0" ? 15 : 17;
  if (!new RegExp(`^\\d{${length}}$`).test(iuv)) return `must be ${length} digits for aux digit ${scheme.auxDigit}`;
  if (scheme.auxDigit === "3" && scheme.segregationCodes.length > 0 && !scheme.segregationCodes.includes(iuv.slice(0, 2))) {
    return `must start with one of the segregation codes ${scheme.segregationCodes.join(", ")}`;
  }
  return undefined;
}

/**
 * The first IUV outside the segregation codes a caller may use (GPD's segregationCodes parameter:
 * a broker acting for part of an EC's IUVs), or undefined. No codes: every IUV is in scope.
 */
export function iuvOutsideSegregationCodes(iuvs: readonly string[], codes: readonly string[] | undefined): string | undefined {
  return codes === undefined ? undefined : iuvs.find((iuv) => !codes.includes(iuv.slice(0, 2)));
}

/** The NAV for an IUV under the scheme (GPD's default: aux digit + IUV). */
export function navOfIuv(iuv: string, scheme: NoticeScheme): string {
  return scheme.auxDigit === "0" ? `0${scheme.applicationCode ?? "00"}${iuv}` : `${scheme.auxDigit}${iuv}`;
}

/** Builds an IUV with a valid check digit from its base (tests, demo data, generators). */
export function iuvWithCheckDigit(base: string, scheme: NoticeScheme): string {
  const prefix = scheme.auxDigit === "0" ? `0${scheme.applicationCode ?? "00"}` : scheme.auxDigit;
  return scheme.auxDigit === "1" ? base : `${base}${checkDigit(prefix + base)}`;
}

/** Groups a notice code in fours as printed on payment notices ("3020 0000 0001 2345 59"). */
export function formatNoticeCode(nav: string): string {
  return nav.replace(/(\d{4})(?=\d)/g, "$1 ");
}
