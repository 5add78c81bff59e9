import { describe, expect, it } from "vitest";
import { deliveryDate, nextDelivery, previousDate } from "../src/core/delivery-time.js";
import { localDate } from "../src/core/localtime.js";

const iso = (d: Date) => d.toISOString();

/** Walks daily deliveries from `start` and returns the UTC instants. */
function walk(start: string, time: string, tz: string, days: number): string[] {
  const out: string[] = [];
  let at = new Date(start);
  for (let i = 0; i < days; i++) {
    at = nextDelivery(at, time, tz);
    out.push(iso(at));
  }
  return out;
}

describe("next delivery time", () => {
  it("UTC: the same instant every day", () => {
    expect(walk("2026-03-27T12:00:00Z", "09:00", "UTC", 3)).toEqual([
      "2026-03-28T09:00:00.000Z",
      "2026-03-29T09:00:00.000Z",
      "2026-03-30T09:00:00.000Z",
    ]);
  });

  it("Europe/Berlin: 09:00 local on both sides of the March and October changes", () => {
    // CET (UTC+1) until Sun 29 Mar 2026 02:00, then CEST (UTC+2).
    expect(walk("2026-03-27T12:00:00Z", "09:00", "Europe/Berlin", 3)).toEqual([
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
    ]);
    // Back to CET on Sun 25 Oct 2026 03:00.
    expect(walk("2026-10-23T12:00:00Z", "09:00", "Europe/Berlin", 3)).toEqual([
      "2026-10-24T07:00:00.000Z",
      "2026-10-25T08:00:00.000Z",
      "2026-10-26T08:00:00.000Z",
    ]);
  });

  it("America/New_York: 09:00 local across 8 Mar and 1 Nov 2026", () => {
    expect(walk("2026-03-06T20:00:00Z", "09:00", "America/New_York", 3)).toEqual([
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
    ]);
    expect(walk("2026-10-30T20:00:00Z", "09:00", "America/New_York", 3)).toEqual([
      "2026-10-31T13:00:00.000Z",
      "2026-11-01T14:00:00.000Z",
      "2026-11-02T14:00:00.000Z",
    ]);
  });

  it("Asia/Kolkata (no DST, half-hour offset): 09:00 IST is 03:30 UTC", () => {
    expect(walk("2026-03-28T00:00:00Z", "09:00", "Asia/Kolkata", 2)).toEqual([
      "2026-03-28T03:30:00.000Z",
      "2026-03-29T03:30:00.000Z",
    ]);
  });

  it("Pacific/Auckland: DST ends 5 Apr and starts 27 Sep 2026", () => {
    // NZDT (UTC+13) until Sun 5 Apr 03:00 local, then NZST (UTC+12).
    expect(walk("2026-04-03T00:00:00Z", "09:00", "Pacific/Auckland", 3)).toEqual([
      "2026-04-03T20:00:00.000Z",
      "2026-04-04T21:00:00.000Z",
      "2026-04-05T21:00:00.000Z",
    ]);
    // NZST until Sun 27 Sep 02:00 local, then NZDT.
    expect(walk("2026-09-25T00:00:00Z", "09:00", "Pacific/Auckland", 3)).toEqual([
      "2026-09-25T21:00:00.000Z", // Sat 26 Sep 09:00 NZST
      "2026-09-26T20:00:00.000Z", // Sun 27 Sep 09:00 NZDT
      "2026-09-27T20:00:00.000Z",
    ]);
  });

  it("a time inside the spring-forward gap moves forward, once that day", () => {
    // 02:30 does not exist in Berlin on 29 Mar 2026; it becomes 03:30 CEST (01:30 UTC).
    expect(walk("2026-03-28T12:00:00Z", "02:30", "Europe/Berlin", 2)).toEqual([
      "2026-03-29T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
  });

  it("a time in the repeated hour is delivered once that day", () => {
    const days = walk("2026-10-24T12:00:00Z", "02:30", "Europe/Berlin", 3).map((d) =>
      deliveryDate(new Date(d), "Europe/Berlin"),
    );
    expect(days).toEqual(["2026-10-25", "2026-10-26", "2026-10-27"]);
  });
});

describe("calendar helpers", () => {
  it("local dates follow the zone, previous dates the calendar", () => {
    const at = new Date("2026-12-31T23:30:00Z");
    expect(localDate(at, "UTC")).toBe("2026-12-31");
    expect(localDate(at, "Pacific/Auckland")).toBe("2027-01-01");
    expect(localDate(at, "America/New_York")).toBe("2026-12-31");
    expect(previousDate("2027-01-01")).toBe("2026-12-31");
    expect(previousDate("2028-03-01")).toBe("2028-02-29");
  });
});
