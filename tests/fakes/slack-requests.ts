import { createHmac, randomUUID } from "node:crypto";

/** What Slack would send: v0 HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: Record<string, unknown> | undefined;
}

export interface SignOptions {
  secret: string;
  /** Seconds since the epoch; defaults to now (Bolt rejects anything 5 minutes off). */
  timestamp?: number;
  /** Overrides the computed signature (to send a wrong one). */
  signature?: string;
  /** X-Slack-Retry-Num, as Slack sets on a redelivered event. */
  retryNum?: number;
}

/** POSTs `body` to `url` signed the way Slack signs requests. */
export async function postSigned(
  url: string,
  body: string,
  contentType: string,
  opts: SignOptions,
): Promise<SignedResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": opts.signature ?? slackSignature(opts.secret, timestamp, body),
  };
  if (opts.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(opts.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

export interface Person {
  team: string;
  user: string;
  name?: string;
}

/** A `/pyjs` slash command as Slack posts it (form-encoded). */
export function slashCommandBody(
  who: Person,
  text: string,
  opts: { channel?: string; responseUrl: string },
): string {
  return new URLSearchParams({
    token: "verification-token-unused",
    team_id: who.team,
    team_domain: "fake",
    channel_id: opts.channel ?? "C0GENERAL",
    channel_name: "general",
    user_id: who.user,
    user_name: who.name ?? who.user.toLowerCase(),
    command: "/pyjs",
    text,
    api_app_id: "A0PYJS",
    is_enterprise_install: "false",
    response_url: opts.responseUrl,
    trigger_id: `trig.${randomUUID()}`,
  }).toString();
}

/** A button press (block_actions) on a message, form-encoded as `payload=<json>`. */
export function blockActionBody(
  who: Person,
  action: { action_id: string; value?: string },
  opts: {
    channel?: string;
    messageTs?: string;
    responseUrl?: string;
    ephemeral?: boolean;
    home?: boolean;
  },
): string {
  const channel = opts.channel ?? `D${who.user}`;
  const container = opts.home
    ? { type: "view", view_id: "V0HOME" }
    : {
        type: "message",
        message_ts: opts.messageTs ?? "1700000000.000001",
        channel_id: channel,
        is_ephemeral: opts.ephemeral ?? false,
      };
  const payload = {
    type: "block_actions",
    user: {
      id: who.user,
      username: who.name ?? who.user,
      name: who.name ?? who.user,
      team_id: who.team,
    },
    api_app_id: "A0PYJS",
    token: "verification-token-unused",
    container,
    trigger_id: `trig.${randomUUID()}`,
    team: { id: who.team, domain: "fake" },
    enterprise: null,
    is_enterprise_install: false,
    ...(opts.home
      ? { view: { id: "V0HOME", type: "home", blocks: [] } }
      : {
          channel: { id: channel, name: channel.startsWith("D") ? "directmessage" : "general" },
          message: { type: "message", ts: opts.messageTs ?? "1700000000.000001", text: "" },
          ...(opts.responseUrl ? { response_url: opts.responseUrl } : {}),
        }),
    actions: [
      {
        type: "button",
        action_id: action.action_id,
        block_id: "b1",
        text: { type: "plain_text", text: "x" },
        ...(action.value !== undefined ? { value: action.value } : {}),
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API callback (JSON). */
export function eventBody(
  who: Person,
  event: Record<string, unknown>,
  opts: { eventId?: string } = {},
): string {
  return JSON.stringify({
    token: "verification-token-unused",
    team_id: who.team,
    api_app_id: "A0PYJS",
    event,
    type: "event_callback",
    event_id: opts.eventId ?? `Ev${randomUUID().replaceAll("-", "").slice(0, 10)}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: who.team, user_id: "U0BOT", is_bot: true }],
  });
}

/** A person's typed message in their DM with the bot. */
export function dmMessageEvent(
  who: Person,
  text: string,
  opts: { ts?: string; clientMsgId?: string; channel?: string } = {},
): Record<string, unknown> {
  const ts =
    opts.ts ?? `1700000${Math.floor(Math.random() * 1e3)}.${Math.floor(Math.random() * 1e6)}`;
  return {
    type: "message",
    channel: opts.channel ?? `D${who.user}`,
    channel_type: "im",
    user: who.user,
    text,
    ts,
    event_ts: ts,
    client_msg_id: opts.clientMsgId ?? randomUUID(),
    team: who.team,
  };
}
