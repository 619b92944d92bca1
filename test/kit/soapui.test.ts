/**
 * Replays the SoapUI project (soapui/) against a running station seeded with soapui/seed.jsonl, and checks
 * every assertion the project declares, so the project never drifts from the service. The assertion types
 * are the subset the project uses (HTTP status, SOAP Response, XPath Match, Simple Contains/NotContains);
 * a type outside it fails the test rather than going unchecked.
 */
import { readFile, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { expect } from "chai";
import { XMLParser } from "fast-xml-parser";
import { ADMIN_KEY, EC, EC_KEY, startApp, type TestApp } from "../support/app.ts";
import { main } from "../../src/cli/main.ts";
import { KEY_HEADER } from "../support/rest.ts";
import { PAA_FAULTS } from "../../src/kit/scenarios.ts";
import { OPERATIONS, type Operation } from "../../src/soap/messages.ts";

const PROJECT = new URL("../../soapui/stazione-soapui-project.xml", import.meta.url);
const SEED = new URL("../../soapui/seed.jsonl", import.meta.url);

type Node = Record<string, unknown>;
const LISTS = new Set(["operation", "call", "testSuite", "testCase", "testStep", "assertion", "property"]);
const projectParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", removeNSPrefix: true, parseTagValue: false, isArray: (name) => LISTS.has(name) });
const responseParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, trimValues: true });

interface Assertion {
  type: string;
  name: string;
  config: Node;
}
interface Step {
  suite: string;
  testCase: string;
  name: string;
  operation: string;
  request: string;
  assertions: Assertion[];
}

/** `${#Project#name}` expanded from the project's properties; an unknown one is an error. */
function expander(properties: Map<string, string>) {
  return (text: string) =>
    text.replace(/\$\{#Project#(\w+)\}/g, (_, name: string) => {
      if (!properties.has(name)) throw new Error(`the project uses \${#Project#${name}}, which it does not define`);
      return properties.get(name)!;
    });
}

/** The first element matching an XPath of the form `//p:a/b/c` (or `/p:a/…`), with its namespace checked. */
function xpathValue(xml: string, expression: string): string | undefined {
  const namespaces = new Map<string, string>();
  let path = expression.trim();
  for (let m; (m = /^declare namespace (\w+)\s*=\s*'([^']*)'\s*;\s*/.exec(path)); path = path.slice(m[0].length)) namespaces.set(m[1]!, m[2]!);
  const descendant = path.startsWith("//");
  const steps = path.replace(/^\/\/?/, "").split("/").map((step) => {
    const [prefix, local] = step.includes(":") ? step.split(":") : ["", step];
    if (prefix && !namespaces.has(prefix!)) throw new Error(`undeclared prefix in ${expression}`);
    return { uri: prefix ? namespaces.get(prefix!)! : "", local: local! };
  });
  type Scope = Map<string, string>;
  const children = (node: unknown, scope: Scope): Array<{ name: string; uri: string; node: unknown; scope: Scope }> => {
    if (typeof node !== "object" || node === null) return [];
    const inner = new Map(scope);
    for (const [key, value] of Object.entries(node)) if (key.startsWith("@_xmlns")) inner.set(key === "@_xmlns" ? "" : key.slice("@_xmlns:".length), String(value));
    return Object.entries(node)
      .filter(([key]) => !key.startsWith("@_") && key !== "#text" && key !== "?xml")
      .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => {
        const own = new Map(inner);
        if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) if (k.startsWith("@_xmlns")) own.set(k === "@_xmlns" ? "" : k.slice(8), String(x));
        const [prefix, local] = key.includes(":") ? key.split(":") : ["", key];
        return { name: local!, uri: own.get(prefix!) ?? "", node: v, scope: own };
      }));
  };
  const textOf = (node: unknown): string => (typeof node === "object" && node !== null ? String((node as Node)["#text"] ?? "") : String(node));
  const walk = (node: unknown, scope: Scope, at: number): string | undefined => {
    for (const child of children(node, scope)) {
      if (child.name === steps[at]!.local && child.uri === steps[at]!.uri) {
        if (at === steps.length - 1) return textOf(child.node);
        const found = walk(child.node, child.scope, at + 1);
        if (found !== undefined) return found;
      }
      if (descendant && at === 0) {
        const deeper = walk(child.node, child.scope, 0);
        if (deeper !== undefined) return deeper;
      }
    }
    return undefined;
  };
  return walk(responseParser.parse(xml), new Map(), 0);
}

/** Why an assertion failed, or undefined when it holds. */
function check(assertion: Assertion, status: number, body: string, expand: (s: string) => string): string | undefined {
  const c = assertion.config;
  switch (assertion.type) {
    case "Valid HTTP Status Codes":
      return String(c.codes).split(",").map((s) => s.trim()).includes(String(status)) ? undefined : `HTTP ${status}, expected ${String(c.codes)}`;
    case "SOAP Response":
      return /^\s*(<\?xml[^>]*\?>\s*)?<(\w+:)?Envelope[\s>]/.test(body) && body.includes("http://schemas.xmlsoap.org/soap/envelope/") ? undefined : "not a SOAP 1.1 envelope";
    case "XPath Match": {
      const value = xpathValue(body, String(c.path));
      const expected = expand(String(c.content));
      return value === expected ? undefined : `${String(c.path).split("\n").pop()} is ${value === undefined ? "absent" : `"${value}"`}, expected "${expected}"`;
    }
    case "Simple Contains":
      return body.includes(expand(String(c.token))) ? undefined : `does not contain ${String(c.token)}`;
    case "Simple NotContains":
      return body.includes(expand(String(c.token))) ? `contains ${String(c.token)}` : undefined;
    default:
      return `assertion type "${assertion.type}" is not checked by this replay: add it here or leave it out of the project`;
  }
}

async function loadProject() {
  const doc = projectParser.parse(await readFile(PROJECT, "utf8"))["soapui-project"] as Node;
  const properties = new Map(((doc.properties as Node).property as Node[]).map((p) => [String(p.name), String(p.value)]));
  const iface = doc.interface as Node;
  const operations = (iface.operation as Node[]).map((op) => ({ name: String(op["@_name"]), action: String(op["@_action"]), request: String((op.call as Node[])[0]!.request) }));
  const steps: Step[] = [];
  for (const suite of doc.testSuite as Node[])
    for (const testCase of suite.testCase as Node[])
      for (const step of testCase.testStep as Node[]) {
        const config = step.config as Node;
        const request = config.request as Node;
        steps.push({
          suite: String(suite["@_name"]),
          testCase: String(testCase["@_name"]),
          name: String(step["@_name"]),
          operation: String(config.operation),
          request: String(request.request),
          assertions: ((request.assertion as Node[] | undefined) ?? []).map((a) => ({ type: String(a["@_type"]), name: String(a["@_name"]), config: (a.configuration as Node) ?? {} })),
        });
      }
  return { properties, iface, operations, steps };
}

function sink(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

describe("SoapUI project", () => {
  let t: TestApp;
  let server: Server;
  let url: string;
  before(async () => {
    t = await startApp({ TEST_SCENARIOS: "on" });
    server = t.app.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("has a request for every WSDL operation, with the WSDL's SOAPAction and binding", async () => {
    const { iface, operations } = await loadProject();
    const wsdl = (await t.http.get("/wsdl")).text;
    const bound = [...wsdl.matchAll(/<soap:operation soapAction="(\w+)"/g)].map((m) => m[1]);
    expect(bound).to.have.length(6);
    expect(operations.map((o) => o.name).sort()).to.deep.equal([...bound].sort());
    for (const op of operations) expect(op.action).to.equal(op.name);
    expect(iface["@_bindingName"]).to.equal(`{${/targetNamespace="([^"]+)"/.exec(wsdl)![1]}}${/<wsdl:binding name="(\w+)"/.exec(wsdl)![1]}`);
  });

  it("passes every assertion of every test case against the station seeded with soapui/seed.jsonl", async function () {
    this.timeout(120_000);
    // Seeded as the README tells testers to: the CLI import, then the invalidated position and the preset scenario.
    const seedFile = new URL(SEED).pathname;
    const state = `${seedFile}.test-state-${process.pid}`;
    const code = await main(["import", "--url", url, "--key", EC_KEY, "--ec", EC, "--state", state, seedFile], { env: {}, stdout: sink(), stderr: sink() });
    await rm(state, { force: true });
    expect(code).to.equal(0);
    expect((await t.http.post(`/v1/organizations/${EC}/debtpositions/SOAPUI-ANNULLATA/invalidate`).set(KEY_HEADER, EC_KEY)).status).to.equal(200);
    expect((await t.http.post("/v1/scenarios").set(KEY_HEADER, ADMIN_KEY).send({ preset: "mock-ec-expired" })).status).to.equal(201);

    const { properties, operations, steps } = await loadProject();
    properties.set("endpoint", url);
    const expand = expander(properties);
    const endpoint = `${url}${properties.get("soapPath")}`;
    const send = async (operation: string, request: string) => {
      const action = operations.find((o) => o.name === operation)?.action;
      if (!action) throw new Error(`a step calls ${operation}, which the interface lacks`);
      const res = await fetch(endpoint, { method: "POST", headers: { "content-type": "text/xml;charset=UTF-8", soapaction: `"${action}"` }, body: expand(request) });
      return { status: res.status, body: await res.text() };
    };

    const failures: string[] = [];
    let checked = 0;
    for (const step of steps) {
      const { status, body } = await send(step.operation, step.request);
      expect(step.assertions, `${step.testCase} / ${step.name} has no assertion`).to.have.length.above(0);
      for (const assertion of step.assertions) {
        checked++;
        const problem = check(assertion, status, body, expand);
        if (problem) failures.push(`${step.suite} / ${step.testCase} / ${step.name} / ${assertion.name}: ${problem}`);
      }
    }
    expect(failures).to.deep.equal([]);
    expect(checked).to.be.at.least(50);

    // Each fault the station answers to a request has a test case (PAA_SYSTEM_ERROR needs a failure or a scenario).
    const asserted = new Set(steps.flatMap((s) => s.assertions.filter((a) => a.type === "XPath Match").map((a) => String(a.config.content))));
    expect([...PAA_FAULTS.keys()].filter((code) => !asserted.has(code))).to.deep.equal(["PAA_SYSTEM_ERROR"]);

    // The interface's sample requests reach the station as their operation (after the flows: receipts now repeat).
    for (const op of operations) {
      const { status, body } = await send(op.name, op.request);
      expect(status, op.name).to.equal(200);
      const root = OPERATIONS[op.name as Operation].response;
      expect(xpathValue(body, `declare namespace pafn='http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd'; //pafn:${root}/outcome`), op.name).to.match(/^(OK|KO)$/);
    }
  });

  it("checks XPath assertions for real (a wrong value or namespace fails)", () => {
    const xml = '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><p:r xmlns:p="urn:a"><outcome>OK</outcome></p:r></s:Body></s:Envelope>';
    expect(xpathValue(xml, "declare namespace x='urn:a'; //x:r/outcome")).to.equal("OK");
    expect(xpathValue(xml, "declare namespace x='urn:b'; //x:r/outcome")).to.equal(undefined);
    expect(xpathValue(xml, "declare namespace x='urn:a'; //x:r/fault")).to.equal(undefined);
  });
});
