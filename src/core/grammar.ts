import { isLocalDate, MAX_VACATION_DAYS } from "./controls.js";
import { bound } from "./text.js";

/** The `/pyjs` grammar, parsed once here for every platform. */
export type Command =
  | { kind: "help" }
  | { kind: "lookup"; term: string }
  | { kind: "quiz" }
  | { kind: "subscribe"; time?: string | undefined; tz?: string | undefined }
  | { kind: "unsubscribe" }
  | { kind: "pause" }
  | { kind: "resume" }
  | { kind: "stats" }
  | { kind: "leaderboard" }
  | { kind: "leaderboard-here" }
  | { kind: "leaderboard-opt"; optIn: boolean }
  | { kind: "forget-me" }
  | { kind: "right" }
  | { kind: "topics" }
  | { kind: "topic"; deck: string; on: boolean }
  | { kind: "topics-all" }
  | { kind: "set-new"; perDay: number }
  | { kind: "undo" }
  | { kind: "skip" }
  | { kind: "suspend"; target: string }
  | { kind: "unsuspend"; target: string }
  | { kind: "suspended" }
  /** The review log as a CSV file (FSRS optimizer layout). */
  | { kind: "export" }
  /** Fit the learner's FSRS parameters now (the weekly optimizer, for one learner). */
  | { kind: "optimize" }
  /** `pause 7d` (days) or `pause until 2026-12-28` (the first day back). */
  | { kind: "vacation"; days?: number | undefined; until?: string | undefined }
  | { kind: "usage"; message: string };

/** Bounds of `set new <N>` (new cards per day). */
export const NEW_PER_DAY = { min: 1, max: 50 } as const;

export const USAGE = [
  "`/pyjs <term>` look a term up (pip, npm, venv, …)",
  "`/pyjs quiz` start a quiz in a DM now",
  "`/pyjs subscribe [HH:MM] [time zone]` a daily quiz at that local time (default 09:00)",
  "`/pyjs unsubscribe` stop the daily quiz",
  "`/pyjs pause` / `/pyjs resume` pause or resume the daily quiz",
  "`/pyjs pause 7d` / `/pyjs pause until 2026-12-28` a vacation: no daily quiz, streak kept, resumes by itself",
  "`/pyjs undo` take back your last rating today and get that card again",
  "`/pyjs skip` skip the open card until tomorrow",
  "`/pyjs suspend <term or card id>` never ask it again; `unsuspend …`; `suspended` lists them",
  "`/pyjs stats` your progress",
  "`/pyjs export` your review log as a CSV file (for Anki's FSRS tools), in your DM",
  "`/pyjs optimize` fit FSRS to your own reviews now (it also runs weekly)",
  "`/pyjs leaderboard` this week's team board",
  "`/pyjs leaderboard here` (admins) post the weekly board in this channel",
  "`/pyjs leaderboard off|on` leave or rejoin the boards",
  "`/pyjs topics` the decks you study; `topics add|remove <deck>`, `topics all`",
  "`/pyjs set new <N>` new cards per day (1–50)",
  "`/pyjs forget me` erase everything pyjs keeps about you",
  "`/pyjs help` this list",
];

/** The same commands as the terminal takes them: no `/pyjs`, no DMs, no daily deliveries. */
export const TERMINAL_USAGE = [
  "<term>  look a term up (pip, npm, venv, …)",
  "quiz  ask today's next card; type the answer, or show to see it",
  "again|hard|good|easy  rate after show, or change the rating of your last answer",
  "stop  put the open question aside",
  "stats  your progress",
  "export  write your review log to pyjs-reviews-<you>.csv here (FSRS optimizer CSV)",
  "optimize  fit FSRS to your own reviews now",
  "topics  the decks you study; topics add|remove <deck>, topics all",
  "set new <N>  new cards per day (1–50)",
  "forget me  erase everything pyjs keeps about you",
  "help (or an empty line)  this list",
  "Daily quizzes and leaderboards need Slack or Discord.",
];

/** Words the grammar reserves, offered by autocomplete beside the terms. */
export const COMMAND_WORDS = [
  "help",
  "quiz",
  "subscribe",
  "unsubscribe",
  "pause",
  "pause until",
  "resume",
  "undo",
  "skip",
  "suspend",
  "unsuspend",
  "suspended",
  "stats",
  "export",
  "optimize",
  "leaderboard",
  "leaderboard here",
  "leaderboard off",
  "leaderboard on",
  "topics",
  "topics all",
  "set new",
  "forget me",
];

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** True when `tz` is an IANA zone this runtime knows (pure: Intl ships with Node). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Canonical spelling of a zone ("europe/berlin" -> "Europe/Berlin"). */
export function canonicalZone(tz: string): string {
  return new Intl.DateTimeFormat("en", { timeZone: tz }).resolvedOptions().timeZone;
}

const SUBSCRIBE_EXAMPLE = "e.g. `subscribe 09:00 Europe/Berlin`";

/** Looks like a time (or an offset such as -1:00), not a zone name. */
const TIME_LIKE = /^[-+]?\d|^\d*:\d/;

function subscribeUsage(message: string): Command {
  return { kind: "usage", message };
}

function parseSubscribe(args: string[]): Command {
  let time: string | undefined;
  let tz: string | undefined;
  for (const arg of args) {
    const m = TIME.exec(arg);
    if (m || TIME_LIKE.test(arg)) {
      if (time) return subscribeUsage(`Give one time only, ${SUBSCRIBE_EXAMPLE}.`);
      if (!m) {
        return subscribeUsage(
          `"${arg}" is not a time. Use 24-hour HH:MM, ${SUBSCRIBE_EXAMPLE} (a time zone by its name, not an offset).`,
        );
      }
      time = `${m[1]?.padStart(2, "0")}:${m[2]}`;
    } else if (isTimeZone(arg)) {
      if (tz) return subscribeUsage(`Give one time zone only, ${SUBSCRIBE_EXAMPLE}.`);
      tz = canonicalZone(arg);
    } else {
      return subscribeUsage(
        `"${arg}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`,
      );
    }
  }
  return { kind: "subscribe", time, tz };
}

const TOPICS_USAGE = "Use `topics`, `topics add <deck>`, `topics remove <deck>` or `topics all`.";

function parseTopicsCommand(rest: string[]): Command {
  const [verb, ...name] = rest;
  const v = verb?.toLowerCase();
  if (v === undefined) return { kind: "topics" };
  if (v === "all" && name.length === 0) return { kind: "topics-all" };
  if ((v === "add" || v === "remove") && name.length > 0)
    return { kind: "topic", deck: name.join(" "), on: v === "add" };
  return { kind: "usage", message: TOPICS_USAGE };
}

function parseSet(tail: string[]): Command {
  const [what, value, ...extra] = tail;
  const n = Number(value);
  if (what === "new" && extra.length === 0 && /^\d+$/.test(value ?? "")) {
    if (n >= NEW_PER_DAY.min && n <= NEW_PER_DAY.max) return { kind: "set-new", perDay: n };
  }
  return {
    kind: "usage",
    message: `Use \`set new <N>\` with N from ${NEW_PER_DAY.min} to ${NEW_PER_DAY.max} new cards a day.`,
  };
}

const VACATION_USAGE = `Use \`pause\`, \`pause <N>d\` (1–${MAX_VACATION_DAYS} days) or \`pause until YYYY-MM-DD\`.`;

/** `pause` alone, `pause 7d`, or `pause until 2026-12-28`. */
function parsePause(tail: string[]): Command {
  if (tail.length === 0) return { kind: "pause" };
  const days = tail.length === 1 ? /^(\d{1,3})\s*d(?:ays?)?$/.exec(tail[0] ?? "") : null;
  if (days) {
    const n = Number(days[1]);
    if (n >= 1 && n <= MAX_VACATION_DAYS) return { kind: "vacation", days: n };
  }
  if (tail.length === 2 && tail[0] === "until" && isLocalDate(tail[1] ?? ""))
    return { kind: "vacation", until: tail[1] };
  return { kind: "usage", message: VACATION_USAGE };
}

/** `suspend <x>` / `unsuspend <x>`: a term or card id is required. */
function parseSuspend(head: "suspend" | "unsuspend", rest: string[]): Command {
  if (rest.length === 0)
    return { kind: "usage", message: `Use \`${head} <term or card id>\`, e.g. \`${head} venv\`.` };
  return { kind: head, target: rest.join(" ") };
}

export function parseCommand(input: string): Command {
  const text = bound(input)
    .trim()
    .replace(/^\/?pyjs\b\s*/i, "");
  const words = text.split(/\s+/).filter(Boolean);
  const [first, ...rest] = words;
  const head = first?.toLowerCase();
  const tail = rest.map((w) => w.toLowerCase());
  switch (head) {
    case undefined:
    case "help":
      return { kind: "help" };
    case "pause":
      return parsePause(tail);
    case "suspend":
    case "unsuspend":
      return parseSuspend(head, rest);
    case "quiz":
    case "unsubscribe":
    case "resume":
    case "stats":
    case "undo":
    case "skip":
    case "suspended":
    case "export":
    case "optimize":
      if (rest.length > 0) return { kind: "usage", message: `\`${head}\` takes no arguments.` };
      return { kind: head };
    case "subscribe":
      return parseSubscribe(rest);
    case "leaderboard":
      if (tail.length === 0) return { kind: "leaderboard" };
      if (tail.length === 1 && tail[0] === "here") return { kind: "leaderboard-here" };
      if (tail.length === 1 && (tail[0] === "off" || tail[0] === "on"))
        return { kind: "leaderboard-opt", optIn: tail[0] === "on" };
      return {
        kind: "usage",
        message: "Use `leaderboard`, `leaderboard here`, `leaderboard off` or `leaderboard on`.",
      };
    case "topics":
      return parseTopicsCommand(rest);
    case "set":
      return parseSet(tail);
    case "right":
      if (rest.length > 0) return { kind: "usage", message: "`right` takes no arguments." };
      return { kind: "right" };
    case "forget":
      if (tail.length === 1 && tail[0] === "me") return { kind: "forget-me" };
      return { kind: "usage", message: "To erase your data, type `forget me`." };
    default:
      return { kind: "lookup", term: text };
  }
}
