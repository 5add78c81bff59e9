import { DateTime } from "luxon";

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The learner's calendar date at `now`, as YYYY-MM-DD in their zone. On every answer
 * and delivery, so it uses one cached Intl formatter per zone (en-CA prints ISO dates)
 * rather than building a luxon DateTime.
 */
export function localDate(now: Date, tz: string): string {
  let f = dateFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dateFormats.set(tz, f);
  }
  return f.format(now);
}

/** A short human date-time in the learner's zone, e.g. "Tue 1 Dec, 09:00". */
export function formatLocal(when: Date, tz: string): string {
  return DateTime.fromJSDate(when, { zone: tz }).toFormat("ccc d LLL, HH:mm");
}

/** "in 10 minutes", "in 3 days": how far `when` is from `now`. */
export function formatIn(when: Date, now: Date): string {
  const ms = when.getTime() - now.getTime();
  if (ms <= 60_000) return "in a minute";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 24) return `in ${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.round(ms / 86_400_000);
  if (days < 60) return `in ${days} day${days === 1 ? "" : "s"}`;
  const months = Math.round(days / 30);
  if (months < 24) return `in ${months} months`;
  return `in ${Math.round(days / 365)} years`;
}
