import type { IncomingMessage, ServerResponse } from "node:http";
import { isValidSlackRequest } from "@slack/bolt";
import { learner } from "../../src/core/learner.js";

/**
 * Checks on a Slack HTTP request before Bolt sees it: Bolt trusts a signed body's shape
 * (a JSON `null` crashed its receiver) and only rejects timestamps in the past.
 */

/** Slack's replay window, both ways. */
export const MAX_SKEW_SECONDS = 5 * 60;
/** Bolt's own body limit. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
const FORM = "application/x-www-form-urlencoded";

export type Verdict = { ok: true } | { ok: false; status: number; reason: string };

const refuse = (status: number, reason: string): Verdict => ({ ok: false, status, reason });
const OK: Verdict = { ok: true };

/** The request body, at most {@link MAX_BODY_BYTES}; undefined when larger. */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The body as Bolt will parse it: the form's `payload` JSON, the form itself, or JSON. */
function parseLikeBolt(text: string, contentType: string | undefined): unknown {
  if (contentType === FORM) {
    const form = new URLSearchParams(text);
    if (form.getAll("payload").length === 1) return JSON.parse(form.get("payload") ?? "");
    const fields: Obj = {};
    for (const [k, v] of form) fields[k] = k in fields ? [fields[k], v].flat() : v;
    return fields;
  }
  return JSON.parse(text);
}

/** A slash command: the form fields Slack always sends. */
function slashCommandOk(b: Obj): boolean {
  return (
    typeof b.command === "string" && learner.isSlackId(b.team_id) && learner.isSlackId(b.user_id)
  );
}

/** An interactive payload (button, view, shortcut): who pressed it, in which workspace. */
function interactionOk(b: Obj): boolean {
  if (!isObj(b.user) || !learner.isSlackId(b.user.id)) return false;
  const team = isObj(b.team) ? b.team.id : b.user.team_id;
  return learner.isSlackId(team);
}

/** An Events API callback: a workspace, an event, and a valid user when it names one. */
function eventOk(b: Obj): boolean {
  if (!learner.isSlackId(b.team_id) || !isObj(b.event)) return false;
  const user = b.event.user;
  return user === undefined || isObj(user) || learner.isSlackId(user);
}

/** Whether a parsed body has a shape pyjs's listeners can handle without guessing. */
export function shapeOk(body: unknown): boolean {
  if (!isObj(body)) return false;
  if (body.ssl_check === "1") return true;
  if (body.type === "url_verification") return typeof body.challenge === "string";
  if (body.type === "event_callback") return eventOk(body);
  if (typeof body.type === "string") return interactionOk(body);
  return slashCommandOk(body);
}

/** The timestamp header, when it is within Slack's window of now (either direction). */
function timestampOk(header: string | string[] | undefined, nowMs: number): number | undefined {
  const ts = typeof header === "string" && /^\d{1,12}$/.test(header) ? Number(header) : Number.NaN;
  if (!Number.isFinite(ts)) return undefined;
  return Math.abs(nowMs / 1000 - ts) <= MAX_SKEW_SECONDS ? ts : undefined;
}

/** Signed, recent and well-formed, or why not (401 for trust, 400 for shape). */
export function vet(req: IncomingMessage, raw: Buffer, secret: string, nowMs: number): Verdict {
  const text = raw.toString("utf8");
  const contentType = req.headers["content-type"];
  if (contentType === FORM && new URLSearchParams(text).get("ssl_check") === "1") return OK;
  const ts = timestampOk(req.headers["x-slack-request-timestamp"], nowMs);
  if (ts === undefined) return refuse(401, "timestamp missing or more than 5 minutes off");
  const signature = req.headers["x-slack-signature"];
  const headers = { "x-slack-signature": String(signature ?? ""), "x-slack-request-timestamp": ts };
  if (!isValidSlackRequest({ signingSecret: secret, body: text, headers, nowMilliseconds: nowMs }))
    return refuse(401, "bad signature");
  let body: unknown;
  try {
    body = parseLikeBolt(text, contentType);
  } catch {
    return refuse(400, "body is not valid JSON or form data");
  }
  return shapeOk(body) ? OK : refuse(400, "not a Slack payload pyjs understands");
}

/** Answers a refused request with its status and a one-line reason. */
export function sendRefusal(res: ServerResponse, v: Extract<Verdict, { ok: false }>): void {
  res.writeHead(v.status, { "content-type": "text/plain; charset=utf-8" });
  res.end(`${v.reason}\n`);
}
