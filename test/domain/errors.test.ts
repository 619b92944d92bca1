import { expect } from "chai";
import { DomainError, errors, isDomainError } from "../../src/domain/errors.ts";

describe("domain errors", () => {
  it("carry their message but no stack trace (an answer to the caller, not a fault to debug)", () => {
    const error = errors.optionNotFound("77777777777", "302000000000000000");
    expect(isDomainError(error)).to.equal(true);
    expect(error.message).to.equal("Payment option not found: No payment option with notice number 302000000000000000 for organization 77777777777");
    expect(error.stack).to.not.match(/\n\s+at /);
  });

  it("leave the stack traces of every other error as they were", () => {
    const before = Error.stackTraceLimit;
    new DomainError("duplicate", "Duplicate", "x");
    expect(Error.stackTraceLimit).to.equal(before);
    expect(new Error("a fault").stack).to.match(/\n\s+at /);
  });
});
