import { expect } from "chai";
import { isoTimestamp, parseDeadline, parseTimestamp, romeDate } from "../../src/domain/time.ts";

const utc = (text: string) => parseTimestamp(text)?.toISOString();

describe("time (domain/time)", () => {
  describe("parseDeadline", () => {
    it("reads a date alone as the end of that day in Rome, in winter and in summer", () => {
      expect(parseDeadline("2026-12-31")?.toISOString()).to.equal("2026-12-31T22:59:59.999Z");
      expect(parseDeadline("2026-08-15")?.toISOString()).to.equal("2026-08-15T21:59:59.999Z");
      expect(romeDate(parseDeadline("2026-12-31")!)).to.equal("2026-12-31");
    });

    it("reads the day of the autumn change (25 hours) to its last millisecond", () => {
      expect(parseDeadline("2026-10-25")?.toISOString()).to.equal("2026-10-25T22:59:59.999Z");
    });

    it("reads a date-time as parseTimestamp does, and refuses what it refuses", () => {
      expect(parseDeadline("2026-12-31T10:00:00+01:00")?.toISOString()).to.equal("2026-12-31T09:00:00.000Z");
      expect(parseDeadline("2026-02-30")).to.equal(undefined);
      expect(parseDeadline("2026-12-31T")).to.equal(undefined);
    });
  });

  describe("parseTimestamp without an offset (Europe/Rome wall time)", () => {
    it("reads a winter time as UTC+1", () => {
      expect(utc("2026-01-15T12:00:00")).to.equal("2026-01-15T11:00:00.000Z");
    });

    it("reads a summer time as UTC+2", () => {
      expect(utc("2026-07-01T12:00:00")).to.equal("2026-07-01T10:00:00.000Z");
    });

    it("reads a date alone as midnight in Rome", () => {
      expect(utc("2026-12-31")).to.equal("2026-12-30T23:00:00.000Z");
      expect(utc("2026-08-15")).to.equal("2026-08-14T22:00:00.000Z");
    });

    it("reads hours and minutes without seconds", () => {
      expect(utc("2026-01-15T08:30")).to.equal("2026-01-15T07:30:00.000Z");
    });

    it("uses the offset in force on each side of the spring change (2026-03-29, 02:00 -> 03:00)", () => {
      expect(utc("2026-03-29T01:59:59")).to.equal("2026-03-29T00:59:59.000Z");
      expect(utc("2026-03-29T03:00:00")).to.equal("2026-03-29T01:00:00.000Z");
      expect(utc("2026-03-29T03:30:00")).to.equal("2026-03-29T01:30:00.000Z");
      expect(utc("2026-03-28T12:00:00")).to.equal("2026-03-28T11:00:00.000Z");
      expect(utc("2026-03-30T12:00:00")).to.equal("2026-03-30T10:00:00.000Z");
    });

    it("reads a wall time skipped by the spring change with the offset before it (02:30 -> 01:30Z)", () => {
      expect(utc("2026-03-29T02:30:00")).to.equal("2026-03-29T01:30:00.000Z");
    });

    it("uses the offset in force on each side of the autumn change (2026-10-25, 03:00 -> 02:00)", () => {
      expect(utc("2026-10-25T01:30:00")).to.equal("2026-10-24T23:30:00.000Z");
      expect(utc("2026-10-25T03:30:00")).to.equal("2026-10-25T02:30:00.000Z");
      expect(utc("2026-10-24T12:00:00")).to.equal("2026-10-24T10:00:00.000Z");
      expect(utc("2026-10-26T12:00:00")).to.equal("2026-10-26T11:00:00.000Z");
    });

    it("reads a wall time repeated by the autumn change as one of its two real instants", () => {
      expect(["2026-10-25T00:30:00.000Z", "2026-10-25T01:30:00.000Z"]).to.include(utc("2026-10-25T02:30:00"));
    });

    it("keeps milliseconds and rounds finer fractions to them", () => {
      expect(utc("2026-01-15T12:00:00.5")).to.equal("2026-01-15T11:00:00.500Z");
      expect(utc("2026-01-15T12:00:00.123456789")).to.equal("2026-01-15T11:00:00.123Z");
    });
  });

  describe("parseTimestamp with an offset", () => {
    it("takes Z as UTC", () => {
      expect(utc("2026-07-01T12:00:00Z")).to.equal("2026-07-01T12:00:00.000Z");
      expect(utc("2026-07-01T12:00:00.250Z")).to.equal("2026-07-01T12:00:00.250Z");
    });

    it("applies positive and negative offsets as written, whatever the season in Rome", () => {
      expect(utc("2026-12-31T23:59:59+01:00")).to.equal("2026-12-31T22:59:59.000Z");
      expect(utc("2026-07-01T12:00:00+01:00")).to.equal("2026-07-01T11:00:00.000Z");
      expect(utc("2026-07-01T12:00:00+05:30")).to.equal("2026-07-01T06:30:00.000Z");
      expect(utc("2026-07-01T12:00:00-03:00")).to.equal("2026-07-01T15:00:00.000Z");
      expect(utc("2026-07-01T12:00:00+00:00")).to.equal("2026-07-01T12:00:00.000Z");
    });

    it("crosses the day and the year when the offset says so", () => {
      expect(utc("2027-01-01T00:30:00+02:00")).to.equal("2026-12-31T22:30:00.000Z");
      expect(utc("2026-12-31T23:30:00-02:00")).to.equal("2027-01-01T01:30:00.000Z");
    });
  });

  describe("parseTimestamp refuses what is not a real instant", () => {
    const invalid = [
      "2026-02-30",
      "2026-02-29T12:00:00Z",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "2026-01-15T24:00:00",
      "2026-01-15T12:60:00",
      "2026-01-15T12:00:60",
      "2026-01-15T12:00:00+01:60",
      "2026-01-15T12:00:00+24:00",
      "2026-1-15",
      "15/01/2026",
      "2026-01-15 12:00:00",
      "2026-01-15T12",
      "2026-01-15T12:00:00+0100",
      "2026-01-15T12:00:00 Z",
      "tomorrow",
      "",
    ];
    for (const text of invalid) {
      it(`refuses ${JSON.stringify(text)}`, () => {
        expect(parseTimestamp(text)).to.equal(undefined);
      });
    }

    it("accepts the 29th of February of a leap year", () => {
      expect(utc("2028-02-29T12:00:00Z")).to.equal("2028-02-29T12:00:00.000Z");
    });
  });

  describe("romeDate", () => {
    it("gives the Rome calendar day, which starts an hour before UTC midnight in winter", () => {
      expect(romeDate(new Date("2026-12-31T22:59:59Z"))).to.equal("2026-12-31");
      expect(romeDate(new Date("2026-12-31T23:00:00Z"))).to.equal("2027-01-01");
    });

    it("gives the Rome calendar day, which starts two hours before UTC midnight in summer", () => {
      expect(romeDate(new Date("2026-06-30T21:59:59Z"))).to.equal("2026-06-30");
      expect(romeDate(new Date("2026-06-30T22:00:00Z"))).to.equal("2026-07-01");
    });

    it("is the day of a zone-less date read back", () => {
      for (const day of ["2026-01-01", "2026-03-29", "2026-10-25", "2026-12-31", "2028-02-29"]) {
        expect(romeDate(parseTimestamp(day)!), day).to.equal(day);
      }
    });
  });

  describe("isoTimestamp", () => {
    it("writes UTC with Z and whole seconds", () => {
      expect(isoTimestamp(new Date("2026-07-01T10:00:00.000Z"))).to.equal("2026-07-01T10:00:00Z");
    });

    it("keeps milliseconds when there are some", () => {
      expect(isoTimestamp(new Date("2026-07-01T10:00:00.120Z"))).to.equal("2026-07-01T10:00:00.120Z");
    });

    it("turns a zone-less Rome time into its explicit UTC form", () => {
      expect(isoTimestamp(parseTimestamp("2026-07-01T12:00:00")!)).to.equal("2026-07-01T10:00:00Z");
    });
  });
});
