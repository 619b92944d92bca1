/** Amounts are integer euro cents inside the station; "12.34" strings exist only on the SOAP wire. */

/** The largest amount paForNode can carry (stAmount maxInclusive 999999999.99). */
export const MAX_CENTS = 99_999_999_999;

const WIRE_AMOUNT = /^(\d{1,9})\.(\d{2})$/;

/** Formats cents as the wire's decimal with exactly two digits after the dot. */
export function centsToAmount(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const rest = cents % 100;
  return `${whole}.${rest < 10 ? "0" : ""}${rest}`;
}

/** Parses a wire amount ("30.00"); returns undefined when it is not of the stAmount shape. */
export function amountToCents(amount: string): number | undefined {
  const match = WIRE_AMOUNT.exec(amount);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number(match[2]);
}
