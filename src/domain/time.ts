/**
 * Time on the interfaces. pagoPA lives in Italian time: a zone-less timestamp from a GPD client
 * means Europe/Rome wall time, and the xs:date of a due date is the Europe/Rome calendar day.
 * Everything we write carries an explicit offset (UTC, "Z").
 */

const ROME = "Europe/Rome";

const romeParts = new Intl.DateTimeFormat("en-CA", {
  timeZone: ROME,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Milliseconds that Rome is ahead of UTC at the given instant (Intl, uncached). */
function computeRomeOffsetMs(instant: number): number {
  const parts = Object.fromEntries(romeParts.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const HOUR = 3_600_000;
/** Offsets by UTC hour: Rome changes offset only on the hour, and Intl costs microseconds a call. */
const offsetByHour = new Map<number, number>();

function romeOffsetMs(instant: number): number {
  const hour = Math.floor(instant / HOUR);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size >= 100_000) offsetByHour.clear();
    offset = computeRomeOffsetMs(hour * HOUR);
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/**
 * Parses an ISO-8601 date or date-time. With an offset it is taken as is; without one it is
 * Europe/Rome wall time. Returns undefined for text that is not a real calendar instant.
 */
export function parseTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone] = m;
  const wall = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, Math.floor(Number(frac || "0") * 1000));
  const check = new Date(wall);
  if (check.getUTCFullYear() !== +y! || check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h > 23 || +mi > 59 || +s > 59) {
    return undefined;
  }
  if (zone === "Z") return check;
  if (zone) {
    const sign = zone.startsWith("-") ? -1 : 1;
    if (+zone.slice(1, 3) > 23 || +zone.slice(4, 6) > 59) return undefined;
    const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
    return new Date(wall - sign * minutes * 60_000);
  }
  // Rome wall time: subtract the offset in force at that moment (re-checked across DST changes).
  const first = wall - romeOffsetMs(wall);
  return new Date(wall - romeOffsetMs(first));
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a deadline (a due date, a retention date): as parseTimestamp, except that a date alone means
 * the end of that day in Europe/Rome, so a notice due "2026-12-31" can be paid all that day.
 */
export function parseDeadline(text: string): Date | undefined {
  return parseTimestamp(DATE_ONLY.test(text) ? `${text}T23:59:59.999` : text);
}

/** The Europe/Rome calendar day of an instant, as xs:date ("2026-12-31"). */
export function romeDate(instant: Date): string {
  return new Date(instant.getTime() + romeOffsetMs(instant.getTime())).toISOString().slice(0, 10);
}

/** ISO-8601 in UTC with an explicit "Z", whole seconds unless the instant has milliseconds. */
export function isoTimestamp(instant: Date): string {
  const iso = instant.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
