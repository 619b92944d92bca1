/**
 * A single-pass XML reader for SOAP requests: checks well-formedness, resolves namespaces, decodes
 * character and entity references and builds the element tree, all in one walk over the text that
 * never looks at a character twice (no backtracking regular expression, every search resumes where
 * the last one ended), so any input costs linear time.
 *
 * It reads the XML that SOAP 1.1 allows: no DTD (hence only the five predefined entities), no
 * processing instruction, an optional XML declaration. Text is kept exactly as the document says
 * (line ends normalised as XML requires); whether it may be trimmed is the schema type's business.
 */

export interface XmlElement {
  /** Local name. */
  name: string;
  /** Namespace URI, "" for an element in no namespace. */
  ns: string;
  children: XmlElement[];
  /** The character data directly inside (text and CDATA, references decoded, in document order). */
  text: string;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "XmlError";
  }
}

export interface XmlLimits {
  maxDepth: number;
  maxElements: number;
  /** On one element (a Set of thousands of names would cost more than the rest of the document). */
  maxAttributes: number;
}

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const COLON = 0x3a;
const SEMI = 0x3b;
const HASH = 0x23;

export const isXmlSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

const isNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === COLON || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;

/** XML 1.0 Char: what a character reference may stand for. */
const isXmlChar = (c: number) => c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/** Text with the references of `raw` decoded; `raw` holds at least one "&". Linear: each reference is read once. */
function decodeReferences(raw: string, fail: (message: string, offset: number) => never): string {
  const parts: string[] = [];
  let from = 0;
  let amp = raw.indexOf("&");
  while (amp >= 0) {
    if (amp > from) parts.push(raw.slice(from, amp));
    let p = amp + 1;
    if (raw.charCodeAt(p) === HASH) {
      p++;
      const hex = raw.charCodeAt(p) === 0x78;
      if (hex) p++;
      const digitsFrom = p;
      let code = 0;
      for (;;) {
        const c = raw.charCodeAt(p);
        const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : hex && c >= 0x61 && c <= 0x66 ? c - 0x57 : hex && c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
        if (digit < 0) break;
        if (code <= 0x10ffff) code = code * (hex ? 16 : 10) + digit;
        p++;
      }
      if (p === digitsFrom || raw.charCodeAt(p) !== SEMI) fail("a character reference must be &#digits; or &#xhex;", amp);
      if (!isXmlChar(code)) fail(`the character reference ${raw.slice(amp, Math.min(p + 1, amp + 16))} is not a character XML allows`, amp);
      parts.push(code < 0x10000 ? String.fromCharCode(code) : String.fromCodePoint(code));
    } else {
      while (p < raw.length && isNameChar(raw.charCodeAt(p))) p++;
      const name = raw.slice(amp + 1, p);
      if (p === amp + 1 || raw.charCodeAt(p) !== SEMI) fail('"&" must start a reference (write &amp; for the character itself)', amp);
      const value = PREDEFINED[name];
      if (value === undefined) fail(`undefined entity &${name.slice(0, 40)}; (without a DTD only &lt; &gt; &amp; &quot; &apos; exist)`, amp);
      parts.push(value!);
    }
    from = p + 1;
    amp = raw.indexOf("&", from);
  }
  parts.push(raw.slice(from));
  return parts.join("");
}

/** XML's end-of-line handling: CR LF and lone CR read as LF. */
const normaliseLineEnds = (text: string) => (text.indexOf("\r") < 0 ? text : text.replace(/\r\n?/g, "\n"));

interface Open {
  element: XmlElement;
  qname: string;
  /** Prefix bindings in scope, chained to the parent's (keys are "p:" + prefix, "" for the default). */
  scope: Record<string, string>;
}

const ROOT_SCOPE: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, { "p:": "", "p:xml": XML_NS });

/** Parses a whole document and returns its root element; throws XmlError when it is not well-formed. */
export function parseXml(src: string, limits: XmlLimits): XmlElement {
  const len = src.length;
  let pos = 0;
  let elements = 0;
  let root: XmlElement | undefined;
  const stack: Open[] = [];

  function fail(message: string, at: number): never {
    let line = 1;
    for (let i = src.indexOf("\n"); i >= 0 && i < at; i = src.indexOf("\n", i + 1)) line++;
    throw new XmlError(message, line);
  }
  const skipSpace = (p: number) => {
    while (p < len && isXmlSpace(src.charCodeAt(p))) p++;
    return p;
  };
  const scanName = (p: number) => {
    if (p >= len || !isNameStart(src.charCodeAt(p))) return p;
    p++;
    while (p < len && isNameChar(src.charCodeAt(p))) p++;
    return p;
  };
  const splitQName = (qname: string, at: number): [string, string] => {
    const colon = qname.indexOf(":");
    if (colon < 0) return ["", qname];
    if (colon === 0 || colon === qname.length - 1 || qname.indexOf(":", colon + 1) >= 0) fail(`"${qname.slice(0, 60)}" is not a valid qualified name`, at);
    return [qname.slice(0, colon), qname.slice(colon + 1)];
  };
  const addText = (raw: string, at: number, fromCdata: boolean) => {
    const open = stack[stack.length - 1];
    if (!open) {
      for (let i = 0; i < raw.length; i++) if (!isXmlSpace(raw.charCodeAt(i))) fail("text outside the root element", at + i);
      return;
    }
    if (fromCdata) {
      open.element.text += normaliseLineEnds(raw);
      return;
    }
    const cdataEnd = raw.indexOf("]]>");
    if (cdataEnd >= 0) fail('"]]>" is not allowed in text', at + cdataEnd);
    // Line ends first: a CR written as &#13; is a character of the text, not a line end.
    const text = normaliseLineEnds(raw);
    open.element.text += text.indexOf("&") < 0 ? text : decodeReferences(text, (message, offset) => fail(message, at + offset));
  };

  if (src.startsWith("<?xml") && isXmlSpace(src.charCodeAt(5))) {
    const end = src.indexOf("?>", 5);
    if (end < 0) fail("the XML declaration is not closed", 0);
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(src.slice(5, end))?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) fail(`encoding ${encoding.slice(0, 30)} is not supported: send UTF-8`, 0);
    pos = end + 2;
  }

  while (pos < len) {
    const lt = src.indexOf("<", pos);
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > pos) addText(src.slice(pos, textEnd), pos, false);
    if (lt < 0) break;
    pos = lt;
    const next = src.charCodeAt(pos + 1);

    if (next === BANG) {
      if (src.startsWith("<!--", pos)) {
        const dashes = src.indexOf("--", pos + 4);
        if (dashes < 0) fail("a comment is not closed", pos);
        if (src.charCodeAt(dashes + 2) !== GT) fail('"--" is not allowed inside a comment', dashes);
        pos = dashes + 3;
      } else if (src.startsWith("<![CDATA[", pos)) {
        if (stack.length === 0) fail("a CDATA section outside the root element", pos);
        const end = src.indexOf("]]>", pos + 9);
        if (end < 0) fail("a CDATA section is not closed", pos);
        addText(src.slice(pos + 9, end), pos + 9, true);
        pos = end + 3;
      } else if (src.startsWith("<!DOCTYPE", pos)) {
        fail("DTDs and entity declarations are not allowed in SOAP messages", pos);
      } else {
        fail('"<!" starts neither a comment nor a CDATA section', pos);
      }
    } else if (next === QUESTION) {
      fail("processing instructions are not allowed in SOAP messages", pos);
    } else if (next === SLASH) {
      const nameEnd = scanName(pos + 2);
      const qname = src.slice(pos + 2, nameEnd);
      const close = skipSpace(nameEnd);
      if (src.charCodeAt(close) !== GT) fail(`the end tag </${qname.slice(0, 60)}> is not closed by ">"`, pos);
      const open = stack.pop();
      if (!open) fail(`the end tag </${qname.slice(0, 60)}> has no start tag`, pos);
      if (open.qname !== qname) fail(`the end tag </${qname.slice(0, 60)}> does not match <${open.qname.slice(0, 60)}>`, pos);
      pos = close + 1;
    } else {
      if (root && stack.length === 0) fail("content after the root element", pos);
      const nameEnd = scanName(pos + 1);
      if (nameEnd === pos + 1) fail('"<" must start a tag (write &lt; for the character itself)', pos);
      const qname = src.slice(pos + 1, nameEnd);
      if (stack.length >= limits.maxDepth) fail(`elements nested deeper than ${limits.maxDepth} levels`, pos);
      if (++elements > limits.maxElements) fail(`more than ${limits.maxElements} elements`, pos);
      const parent = stack[stack.length - 1];
      let scope = parent ? parent.scope : ROOT_SCOPE;
      let attributes: Set<string> | undefined;
      let prefixed: string[] | undefined;
      let p = nameEnd;
      let selfClosing = false;
      for (;;) {
        const afterSpace = skipSpace(p);
        const c = src.charCodeAt(afterSpace);
        if (c === GT) {
          p = afterSpace + 1;
          break;
        }
        if (c === SLASH && src.charCodeAt(afterSpace + 1) === GT) {
          p = afterSpace + 2;
          selfClosing = true;
          break;
        }
        if (afterSpace >= len) fail(`the start tag <${qname.slice(0, 60)}> is not closed`, pos);
        if (afterSpace === p) fail(`unexpected character in the start tag <${qname.slice(0, 60)}>`, p);
        const attrEnd = scanName(afterSpace);
        if (attrEnd === afterSpace) fail(`unexpected character in the start tag <${qname.slice(0, 60)}>`, afterSpace);
        const attr = src.slice(afterSpace, attrEnd);
        const eq = skipSpace(attrEnd);
        if (src.charCodeAt(eq) !== EQUALS) fail(`the attribute ${attr.slice(0, 60)} has no value`, afterSpace);
        const open = skipSpace(eq + 1);
        const quote = src[open];
        if (quote !== '"' && quote !== "'") fail(`the value of the attribute ${attr.slice(0, 60)} must be quoted`, open);
        const close = src.indexOf(quote!, open + 1);
        if (close < 0) fail(`the value of the attribute ${attr.slice(0, 60)} is not closed`, open);
        let value = src.slice(open + 1, close);
        const ltAt = value.indexOf("<");
        if (ltAt >= 0) fail('"<" is not allowed in an attribute value', open + 1 + ltAt);
        if (value.indexOf("&") >= 0) value = decodeReferences(value, (message, offset) => fail(message, open + 1 + offset));
        attributes ??= new Set();
        if (attributes.size >= limits.maxAttributes) fail(`more than ${limits.maxAttributes} attributes on <${qname.slice(0, 60)}>`, afterSpace);
        if (attributes.has(attr)) fail(`the attribute ${attr.slice(0, 60)} appears twice`, afterSpace);
        attributes.add(attr);
        if (attr === "xmlns" || attr.startsWith("xmlns:")) {
          const prefix = attr.length === 5 ? "" : attr.slice(6);
          if (prefix && (prefix.indexOf(":") >= 0 || prefix === "xmlns" || !value)) fail(`the namespace declaration ${attr.slice(0, 60)} is not allowed`, afterSpace);
          if (value === XMLNS_NS || (value === XML_NS) !== (prefix === "xml")) fail(`the namespace ${value.slice(0, 60)} cannot be bound to "${prefix}"`, afterSpace);
          if (scope === (parent ? parent.scope : ROOT_SCOPE)) scope = Object.create(scope) as Record<string, string>;
          scope[`p:${prefix}`] = value;
        } else if (attr.indexOf(":") >= 0) {
          (prefixed ??= []).push(attr);
        }
        p = close + 1;
      }
      const [prefix, local] = splitQName(qname, pos);
      const ns = scope[`p:${prefix}`];
      if (ns === undefined) fail(`the prefix ${prefix.slice(0, 60)} of <${qname.slice(0, 60)}> is not declared`, pos);
      for (const attr of prefixed ?? []) {
        const [attrPrefix] = splitQName(attr, pos);
        if (scope[`p:${attrPrefix}`] === undefined) fail(`the prefix ${attrPrefix.slice(0, 60)} of the attribute ${attr.slice(0, 60)} is not declared`, pos);
      }
      const element: XmlElement = { name: local, ns, children: [], text: "" };
      if (parent) parent.element.children.push(element);
      else root = element;
      if (!selfClosing) stack.push({ element, qname, scope });
      pos = p;
    }
  }
  if (stack.length > 0) fail(`the element <${stack[stack.length - 1]!.qname.slice(0, 60)}> is not closed`, len);
  if (!root) fail("the document has no element", len);
  return root;
}

/** The element's content as plain values (text for a leaf, an object of children otherwise; repeated names as arrays). */
export function plainTree(element: XmlElement): string | Record<string, unknown> {
  if (element.children.length === 0) return element.text;
  const out = Object.create(null) as Record<string, unknown>;
  for (const child of element.children) {
    const value = plainTree(child);
    const seen = out[child.name];
    if (seen === undefined) out[child.name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[child.name] = [seen, value];
  }
  return out;
}
