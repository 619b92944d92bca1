/** npm start: the station compiled to dist/ (rebuilt when a source is newer) starts and finds its SQL, WSDL and XSD files. */
import { expect } from "chai";
import { existsSync, statSync, utimesSync } from "node:fs";
// @ts-expect-error bin/build.js is plain JavaScript without declarations
import { buildIfStale, isStale } from "../../bin/build.js";
import { TEST_DATABASE_URL } from "../support/db.ts";
import { startInstance, stopInstance } from "./processes.ts";

describe("compiled start (npm start)", function () {
  this.timeout(180_000);

  it("compiles when a source changed since the last build, and not again after", () => {
    // a build older than every source
    const stamp = new URL("../../dist/.built", import.meta.url);
    if (existsSync(stamp)) utimesSync(stamp, new Date(0), new Date(0));
    expect(isStale()).to.equal(true);
    expect(buildIfStale()).to.equal(true);
    expect(statSync(new URL("../../dist/src/main.js", import.meta.url)).isFile()).to.equal(true);
    expect(isStale()).to.equal(false);
    expect(buildIfStale()).to.equal(false);
  });

  it("starts from dist/, applies the payment functions, serves the WSDL and stops on SIGTERM", async () => {
    // on PGlite, a data directory in memory (the payment functions are read from src/store/sql all the same)
    const instance = await startInstance(TEST_DATABASE_URL ?? "", { DATA_DIR: "memory://compiled-start" }, ["bin/start.js"]);
    try {
      expect((await fetch(`${instance.url}/health`)).status).to.equal(200);
      const wsdl = await fetch(`${instance.url}/wsdl`);
      expect(await wsdl.text()).to.contain("paVerifyPaymentNotice");
      const xsd = await fetch(`${instance.url}/xsd/paForNode.xsd`);
      expect(xsd.status).to.equal(200);
    } finally {
      expect(await stopInstance(instance)).to.equal(0);
    }
  });
});
