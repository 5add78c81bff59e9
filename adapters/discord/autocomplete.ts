import { COMMAND_WORDS } from "../../src/core/grammar.js";
import { complete, type Glossary } from "../../src/core/lookup.js";
import { LIMITS } from "./render.js";

export interface Choice {
  name: string;
  value: string;
}

/** Zones offered first after `subscribe HH:MM ` (any IANA zone the runtime knows still matches). */
export const COMMON_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Paris",
  "Europe/Madrid",
  "Europe/Amsterdam",
  "Europe/Stockholm",
  "Europe/Warsaw",
  "Europe/Kyiv",
  "Europe/Istanbul",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Toronto",
  "America/Mexico_City",
  "America/Sao_Paulo",
  "America/Argentina/Buenos_Aires",
  "Africa/Lagos",
  "Africa/Cairo",
  "Africa/Johannesburg",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Singapore",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Asia/Seoul",
  "Asia/Jakarta",
  "Australia/Sydney",
  "Pacific/Auckland",
];

let allZones: string[] | undefined;
function zones(): string[] {
  allZones ??= [...new Set([...COMMON_ZONES, ...Intl.supportedValuesOf("timeZone")])];
  return allZones;
}

const fold = (s: string) => s.toLowerCase().replace(/[\s_]+/g, "");

function zoneChoices(prefix: string, partial: string): Choice[] {
  const key = fold(partial);
  const starts: string[] = [];
  const contains: string[] = [];
  for (const z of zones()) {
    const f = fold(z);
    const city = fold(z.slice(z.lastIndexOf("/") + 1));
    if (!key || f.startsWith(key) || city.startsWith(key)) starts.push(z);
    else if (f.includes(key)) contains.push(z);
  }
  return [...starts, ...contains].map((z) => {
    const value = `${prefix}${z}`;
    return { name: value, value };
  });
}

const SUBSCRIBE_TIME_ZONE = /^\s*(subscribe\s+(?:[01]?\d|2[0-3]):[0-5]\d\s+)(\S*)$/i;
const SUBSCRIBE_ZONE = /^\s*(subscribe\s+)([A-Za-z]\S*)$/i;

/**
 * Autocomplete for the `query` option: time zones after `subscribe HH:MM `, otherwise
 * the grammar's words and glossary names (Python and JS) that match what was typed.
 */
export function autocomplete(glossary: Glossary, typed: string): Choice[] {
  const value = typed.slice(0, 200);
  let choices: Choice[];
  const tz = SUBSCRIBE_TIME_ZONE.exec(value) ?? SUBSCRIBE_ZONE.exec(value);
  if (tz?.[1] !== undefined && tz[2] !== undefined) {
    const prefix = tz[1].replace(/\s+/g, " ").trimStart();
    choices = zoneChoices(prefix, tz[2]);
  } else {
    const lower = value.trim().toLowerCase().replace(/\s+/g, " ");
    const words = COMMAND_WORDS.filter((w) => !lower || w.startsWith(lower));
    const subscribe =
      lower.startsWith("subscribe") && !/\d/.test(lower)
        ? ["subscribe 09:00", "subscribe 07:30"]
        : [];
    const terms = complete(glossary, value.trim(), LIMITS.choices);
    const names = lower ? [...words, ...subscribe, ...terms] : [...words, ...terms];
    choices = names.map((n) => ({ name: n, value: n }));
  }
  const seen = new Set<string>();
  const out: Choice[] = [];
  for (const c of choices) {
    const key = c.value.toLowerCase();
    if (seen.has(key) || c.value.length > LIMITS.choiceValue || c.value.length === 0) continue;
    seen.add(key);
    out.push({ name: c.name.slice(0, LIMITS.choiceName), value: c.value });
    if (out.length === LIMITS.choices) break;
  }
  return out;
}
