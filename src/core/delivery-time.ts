import { DateTime } from "luxon";
import { localDate } from "./localtime.js";

/**
 * The first instant strictly after `after` when the clock in `tz` shows `time`
 * (HH:MM). Daylight-saving safe: a 09:00 learner gets 09:00 local on both sides of a
 * change; a time that does not exist that day (inside a spring-forward gap) moves
 * forward by the gap, as luxon does; in a repeated hour the earlier one is used.
 */
export function nextDelivery(after: Date, time: string, tz: string): Date {
  const [h, m] = time.split(":").map(Number);
  const hour = h ?? 9;
  const minute = m ?? 0;
  const local = DateTime.fromJSDate(after, { zone: tz });
  for (let days = 0; days < 3; days++) {
    const day = local.plus({ days });
    const candidate = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour, minute },
      { zone: tz },
    );
    if (candidate.toMillis() > after.getTime()) return candidate.toJSDate();
  }
  // Unreachable for real zones (some day within three has the time); keep a sane answer.
  return new Date(after.getTime() + 86_400_000);
}

/** The learner's calendar date of a delivery instant (the job id's date). */
export const deliveryDate = localDate;

/** The calendar date before `date` (YYYY-MM-DD); calendar arithmetic, no zone involved. */
export function previousDate(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - 1)).toISOString().slice(0, 10);
}
