/**
 * The station compiles its REST schemas without checking them against the meta-schema (that costs a
 * quarter of a second at every start): the check is here.
 */
import { Ajv } from "ajv";
import { expect } from "chai";
import { allSchemas } from "../../src/rest/schemas.ts";

describe("the REST schemas", () => {
  it("are valid against JSON Schema's meta-schema and compile in strict mode", () => {
    const ajv = new Ajv({ strict: true, strictTuples: false });
    for (const schema of allSchemas) {
      expect(ajv.validateSchema(schema), `${schema.$id}: ${ajv.errorsText(ajv.errors)}`).to.equal(true);
      ajv.addSchema(schema);
    }
    for (const schema of allSchemas) expect(ajv.getSchema(schema.$id), schema.$id).to.be.a("function");
  });

  it("a schema with a mistake fails that check", () => {
    const ajv = new Ajv({ strict: true });
    expect(ajv.validateSchema({ $id: "broken", type: "strin" })).to.equal(false);
  });
});
