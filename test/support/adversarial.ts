/**
 * Bodies of adversarial shapes, each filling a request up to a size: the inputs that make naive XML
 * checks super-linear (runs of "<" or "&", deep nesting, long names and attributes, unclosed comments
 * and CDATA, long runs of whitespace). Used by the hostile-input tests and the benchmark.
 */

const repeat = (unit: string) => (room: number) => unit.repeat(Math.floor(room / unit.length));

/** An element with as many distinct attributes as fit (numbered on six digits). */
const numbered = (attribute: (i: string) => string) => (room: number) =>
  `<a ${Array.from({ length: Math.floor((room - 5) / attribute("000000").length) }, (_, i) => attribute(String(i).padStart(6, "0"))).join("")}/>`;

/** Fillers by shape: each returns at most `room` characters (all ASCII, so as many bytes). */
export const ADVERSARIAL_SHAPES: Readonly<Record<string, (room: number) => string>> = {
  "all <": repeat("<"),
  "all &": repeat("&"),
  "<a repeated": repeat("<a"),
  "deep nesting": repeat("<a>"),
  "thousands of empty elements": repeat("<a/>"),
  "end tags only": repeat("</a>"),
  "a long attribute value, closed": (room) => `<a b="${"x".repeat(room - 12)}"/>`,
  "a long attribute value, unclosed": (room) => `<a b="${"x".repeat(room - 12)}`,
  "many attributes": numbered((i) => `b${i}="" `),
  "many namespace declarations": numbered((i) => `xmlns:n${i}="urn:x" `),
  "a long run of spaces": repeat(" "),
  "spaces inside a start tag": (room) => `<a${" ".repeat(room - 4)}x`,
  "an unclosed comment": (room) => `<!--${"x".repeat(room - 4)}`,
  "a comment of dashes": (room) => `<!--${"-".repeat(room - 4)}`,
  "an unclosed CDATA section": (room) => `<![CDATA[${"x".repeat(room - 9)}`,
  "a closed CDATA section of brackets": (room) => `<![CDATA[${"]".repeat(room - 12)}]]>`,
  "a long element name": (room) => `<${"a".repeat(room - 1)}`,
  "a long character reference": (room) => `&#${"1".repeat(room - 3)};`,
  "a long entity name": (room) => `&${"a".repeat(room - 2)};`,
  "valid character references": repeat("&#x41;"),
  "repeated ]]": repeat("]]"),
  "<! and <? repeated": repeat("<!<?"),
};

/** The request with `marker` replaced by the shape's filler, so that the whole body is `limit` bytes at most. */
export function filledTo(request: string, marker: string, limit: number, fill: (room: number) => string): string {
  const at = request.indexOf(marker);
  if (at < 0) throw new Error(`${marker} is not in the request`);
  const before = request.slice(0, at);
  const after = request.slice(at + marker.length);
  return before + fill(limit - Buffer.byteLength(before + after)) + after;
}
