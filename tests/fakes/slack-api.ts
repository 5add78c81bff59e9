import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { preciseNow, SlidingWindows, type Window } from "./windows.js";

/** One Web API call as the fake received it. */
export interface SlackCall {
  method: string;
  /** Parsed body: form fields, with JSON-valued fields (blocks, view, …) decoded. */
  body: Record<string, unknown>;
  /** Bearer token the caller sent (tests check which token went where). */
  token?: string | undefined;
  /** The answer sent back. */
  result: Record<string, unknown>;
  /** When the fake received it (ms since the epoch, with fractions). */
  at?: number;
}

/**
 * Slack's published limits, enforced when a test opts in (`enforceLimits`): per method
 * across the workspace (conversations.open Tier 3 50/min, users.info Tier 4 100/min,
 * chat.postMessage at a workspace ceiling) and chat.postMessage per channel (1/s). A call
 * over a limit is answered HTTP 429, `Retry-After` in whole seconds, and
 * `{ok:false, error:"ratelimited"}`, and recorded like any other call.
 */
export interface SlackLimits {
  methods: Record<string, Window>;
  perChannel?: Window;
}

/** Slack's published limits, with chat.postMessage's workspace ceiling as given. */
export function slackLimits(messagesPerSecond: number): SlackLimits {
  return {
    methods: {
      "conversations.open": { limit: 50, ms: 60_000 },
      "users.info": { limit: 100, ms: 60_000 },
      "chat.postMessage": { limit: messagesPerSecond, ms: 1000 },
    },
    perChannel: { limit: 1, ms: 1000 },
  };
}

/** A file uploaded the files.uploadV2 way (getUploadURLExternal → POST → complete). */
export interface FakeUpload {
  id: string;
  filename: string;
  /** Bytes announced to files.getUploadURLExternal. */
  length: number;
  alt_text?: string | undefined;
  /** What was POSTed to the upload URL (the multipart part's bytes). */
  bytes?: Buffer | undefined;
  /** Set by files.completeUploadExternal. */
  channel?: string | undefined;
  title?: string | undefined;
  completed: boolean;
}

/** A POST to a response_url. */
export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
}

export interface FakeUser {
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  name?: string;
  real_name?: string;
  display_name?: string;
}

/** A workspace's bot token, as oauth.v2.access handed it out. */
export interface FakeBotToken {
  team: string;
  teamName: string;
  botUserId: string;
  botId: string;
  revoked: boolean;
}

/** An authorization code waiting at the redirect URL (what "Allow" on Slack's page makes). */
export interface FakeGrant {
  team: string;
  teamName?: string;
  /** The person who clicked Allow. */
  user: string;
  /** An org-wide (Enterprise Grid) install: team null, enterprise set. */
  enterprise?: string;
}

/** A message as it currently stands in the fake workspace. */
export interface FakeMessage {
  channel: string;
  ts: string;
  text?: unknown;
  blocks?: unknown[] | undefined;
  updates: number;
}

const JSON_FIELDS = new Set(["blocks", "attachments", "view", "metadata", "users_list", "files"]);

/** Block Kit limits as Slack enforces them. */
const MAX_MESSAGE_BLOCKS = 50;
const MAX_VIEW_BLOCKS = 100;

interface Waiter {
  check: () => boolean;
  done: () => void;
}

/** Raw mentions (`<!channel>`, `<!here>`, `<@U…>`, `<#C…>`, `<!subteam^…>`) in any string. */
export function findMentions(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") {
    for (const m of value.matchAll(/<(?:[@#][A-Z0-9]|!(?!date\^))[^>]*>/gi)) out.push(m[0]);
  } else if (Array.isArray(value)) {
    for (const v of value) findMentions(v, out);
  } else if (value && typeof value === "object") {
    for (const v of Object.values(value)) findMentions(v, out);
  }
  return out;
}

/**
 * Block Kit rules Slack rejects a message for (with `invalid_blocks`): block count,
 * section text ≤ 3000, fields ≤ 10 of ≤ 2000, button text ≤ 75, unique action_ids,
 * context ≤ 10 elements, actions ≤ 25 elements, header ≤ 150, non-empty texts.
 */
export function blockKitViolations(blocks: unknown, maxBlocks = MAX_MESSAGE_BLOCKS): string[] {
  const v: string[] = [];
  if (!Array.isArray(blocks)) return ["blocks is not an array"];
  if (blocks.length > maxBlocks) v.push(`${blocks.length} blocks (max ${maxBlocks})`);
  const ids = new Set<string>();
  const text = (t: unknown, max: number, where: string) => {
    const o = t as { type?: string; text?: unknown } | undefined;
    if (!o || (o.type !== "mrkdwn" && o.type !== "plain_text")) {
      v.push(`${where}: not a text object`);
      return;
    }
    if (typeof o.text !== "string" || o.text.length === 0) v.push(`${where}: empty text`);
    else if (o.text.length > max) v.push(`${where}: text ${o.text.length} chars (max ${max})`);
  };
  const element = (e: unknown, where: string) => {
    const o = e as { type?: string; text?: unknown; action_id?: unknown; value?: unknown };
    if (o.type !== "button") return;
    text(o.text, 75, `${where} button`);
    if ((o.text as { type?: string })?.type !== "plain_text")
      v.push(`${where}: button text must be plain_text`);
    if (typeof o.action_id === "string") {
      if (ids.has(o.action_id)) v.push(`${where}: duplicate action_id ${o.action_id}`);
      ids.add(o.action_id);
      if (o.action_id.length > 255) v.push(`${where}: action_id too long`);
    }
    if (typeof o.value === "string" && o.value.length > 2000) v.push(`${where}: value too long`);
  };
  blocks.forEach((b, i) => {
    const block = b as {
      type?: string;
      text?: unknown;
      fields?: unknown[];
      elements?: unknown[];
      accessory?: unknown;
    };
    const where = `blocks[${i}] ${block.type}`;
    switch (block.type) {
      case "section":
        if (!block.text && !block.fields) v.push(`${where}: needs text or fields`);
        if (block.text) text(block.text, 3000, where);
        if (block.fields) {
          if (block.fields.length > 10) v.push(`${where}: ${block.fields.length} fields`);
          block.fields.forEach((f, j) => {
            text(f, 2000, `${where} field ${j}`);
          });
        }
        if (block.accessory) element(block.accessory, where);
        break;
      case "actions":
        if (!block.elements?.length || block.elements.length > 25)
          v.push(`${where}: ${block.elements?.length ?? 0} elements`);
        block.elements?.forEach((e, j) => {
          element(e, `${where}[${j}]`);
        });
        break;
      case "context":
        if (!block.elements?.length || block.elements.length > 10)
          v.push(`${where}: ${block.elements?.length ?? 0} elements`);
        block.elements?.forEach((e, j) => {
          text(e, 3000, `${where}[${j}]`);
        });
        break;
      case "header":
        text(block.text, 150, where);
        break;
      case "divider":
        break;
      default:
        v.push(`${where}: unexpected block type`);
    }
  });
  return v;
}

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (type?.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, val] of new URLSearchParams(raw)) {
    out[k] = JSON_FIELDS.has(k) ? JSON.parse(val) : val;
  }
  return out;
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      chunks.push(c);
    });
    req.on("end", () => ok(Buffer.concat(chunks)));
    req.on("error", fail);
  });
}

/** The first file part of a multipart/form-data body (how the web client POSTs an upload). */
async function multipartFile(raw: Buffer, type: string): Promise<Buffer | undefined> {
  const form = await new Response(new Uint8Array(raw), {
    headers: { "content-type": type },
  }).formData();
  for (const [, value] of form) {
    if (typeof value !== "string") return Buffer.from(await value.arrayBuffer());
  }
  return undefined;
}

/**
 * A local fake of the Slack Web API (and of response_urls and Socket Mode), on
 * 127.0.0.1 and a free port. It records every call, answers the methods pyjs uses,
 * enforces Block Kit limits the way Slack does and can be told to fail.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly responses: ResponsePost[] = [];
  /** Every Block Kit violation seen (each also answered `invalid_blocks`). */
  readonly violations: { method: string; problems: string[] }[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly homeViews = new Map<string, unknown>();
  /** Files uploaded through files.getUploadURLExternal, by file id, in order. */
  readonly uploads = new Map<string, FakeUpload>();
  readonly users = new Map<string, FakeUser>();
  /** Socket Mode acks received, by envelope id. */
  readonly socketAcks = new Map<string, Record<string, unknown>>();
  team = "T0TEAM";
  botUserId = "U0BOT";
  botId = "B0BOT";
  /** The app's OAuth credentials oauth.v2.access accepts. */
  oauthClient = { id: "1111.2222", secret: "fake-client-secret" };
  /** Bot tokens handed out by oauth.v2.access (a token not here is the single-mode token). */
  readonly botTokens = new Map<string, FakeBotToken>();
  private grants = new Map<string, FakeGrant & { used: boolean }>();
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private sockets = new Set<WebSocket>();
  private base = "";
  private seq = 0;
  private failures = new Map<string, { error: string; times: number }>();
  private rateLimits = new Map<string, { times: number; retryAfter: number }>();
  private limits: SlackLimits | undefined;
  private readonly windows = new SlidingWindows();
  private delays = new Map<string, number>();
  /** Delayed calls received, recorded before they are answered. */
  readonly started: string[] = [];
  private waiters: Waiter[] = [];
  private responseIds = 0;

  /** Web API base URL (what SLACK_API_URL points at), without the trailing slash. */
  get apiUrl(): string {
    return `${this.base}/api`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(err));
      });
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on("upgrade", (req, sock, head) => {
      this.wss?.handleUpgrade(req, sock, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((ok) => this.server?.listen(0, "127.0.0.1", ok));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss?.close();
    await new Promise<void>((ok) => {
      this.server?.close(() => ok());
      this.server?.closeAllConnections();
    });
  }

  /** A fresh response_url the fake records POSTs to. */
  responseUrl(): string {
    return `${this.base}/respond/r${++this.responseIds}`;
  }

  /** Makes the next `times` calls to `method` answer `{ok:false, error}`. */
  fail(method: string, error: string, times = 1): void {
    this.failures.set(method, { error, times });
  }

  /** Makes every call to `method` answer only after `ms` (a slow Slack, for in-flight work). */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Makes the next `times` calls to `method` answer HTTP 429 with Retry-After (seconds). */
  rateLimit(method: string, times = 1, retryAfter = 0): void {
    this.rateLimits.set(method, { times, retryAfter });
  }

  /** Enforces rate limits from now on (see SlackLimits); undefined stops. */
  enforceLimits(limits: SlackLimits | undefined): void {
    this.limits = limits;
    this.windows.clear();
  }

  /** Calls answered 429 (told to, or over an enforced limit). */
  get limited(): SlackCall[] {
    return this.calls.filter((c) => c.result.status === 429);
  }

  setUser(id: string, user: FakeUser): void {
    this.users.set(id, user);
  }

  /** Lets `grant.user` click Allow for `grant.team`: the code Slack sends to the redirect URL. */
  grant(grant: FakeGrant): string {
    const code = `code-${grant.team}-${++this.seq}`;
    this.grants.set(code, { ...grant, used: false });
    return code;
  }

  /** Revokes every bot token of a team (what Slack does when the app is uninstalled). */
  revokeTeam(team: string): void {
    for (const t of this.botTokens.values()) if (t.team === team) t.revoked = true;
  }

  /** The team a call's token belongs to (the single-mode token: `team`). */
  teamOf(call: SlackCall): string | undefined {
    if (!call.token) return undefined;
    return this.botTokens.get(call.token)?.team ?? this.team;
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Raw mentions in everything pyjs sent to Slack (API calls and response_urls). */
  mentions(): string[] {
    return findMentions([
      this.calls.filter((c) => c.method !== "users.info").map((c) => c.body),
      this.responses.map((r) => r.body),
    ]);
  }

  /** Resolves once `check` holds (checked after every call the fake records). */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((done) => this.waiters.push({ check, done }));
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.violations.length = 0;
    this.failures.clear();
    this.rateLimits.clear();
  }

  /** Sends a Socket Mode envelope to every connected client; resolves with its ack. */
  async sendEnvelope(
    type: string,
    payload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const id = `env-${++this.seq}`;
    const msg = JSON.stringify({
      envelope_id: id,
      type,
      payload,
      accepts_response_payload: type !== "events_api",
      ...extra,
    });
    for (const ws of this.sockets) ws.send(msg);
    await this.until(() => this.socketAcks.has(id));
    return this.socketAcks.get(id) ?? {};
  }

  get socketClients(): number {
    return this.sockets.size;
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.done();
      return false;
    });
  }

  private onSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on("close", () => {
      this.sockets.delete(ws);
      this.notify();
    });
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as {
        envelope_id?: string;
        payload?: Record<string, unknown>;
      };
      if (msg.envelope_id) this.socketAcks.set(msg.envelope_id, msg.payload ?? {});
      this.notify();
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.size,
        connection_info: { app_id: "A0PYJS" },
        debug_info: { host: "fake" },
      }),
    );
    this.notify();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.base);
    const bytes = await read(req);
    if (url.pathname.startsWith("/upload/")) {
      await this.receiveUpload(url.pathname.slice("/upload/".length), bytes, req, res);
      return;
    }
    const raw = bytes.toString("utf8");
    const body = parseBody(raw, req.headers["content-type"]);
    const respond = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    if (url.pathname.startsWith("/respond/")) {
      const problems = body.blocks !== undefined ? blockKitViolations(body.blocks) : [];
      this.responses.push({ id: url.pathname.slice("/respond/".length), body });
      if (problems.length) {
        this.violations.push({ method: "response_url", problems });
        respond(400, { ok: false, error: "invalid_blocks" });
      } else respond(200, { ok: true });
      this.notify();
      return;
    }
    if (!url.pathname.startsWith("/api/")) {
      respond(404, { ok: false, error: "unknown_path" });
      return;
    }
    const method = url.pathname.slice("/api/".length);
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : (body.token as string | undefined);
    const at = preciseNow();
    const retryAfter = this.overLimit(method, body, at);
    if (retryAfter !== undefined) {
      this.calls.push({
        method,
        body,
        token,
        result: { ok: false, error: "ratelimited", status: 429 },
        at,
      });
      respond(429, { ok: false, error: "ratelimited" }, { "retry-after": String(retryAfter) });
      this.notify();
      return;
    }
    const wait = this.delays.get(method);
    if (wait) {
      this.started.push(method);
      this.notify();
      await new Promise((r) => setTimeout(r, wait));
    }
    const result = this.answer(method, body, token);
    this.calls.push({ method, body, token, result, at });
    respond(200, result);
    this.notify();
  }

  /**
   * oauth.v2.access: the app's client id and secret, and a code used once (Slack refuses
   * a replayed one with invalid_code); answers a new bot token for the code's workspace.
   */
  private exchange(body: Record<string, unknown>): Record<string, unknown> {
    if (body.client_id !== this.oauthClient.id || body.client_secret !== this.oauthClient.secret)
      return { ok: false, error: "invalid_client_id" };
    const g = this.grants.get(String(body.code ?? ""));
    if (!g || g.used) return { ok: false, error: "invalid_code" };
    g.used = true;
    const n = ++this.seq;
    const token = `xoxb-${g.team}-${n}`;
    const teamName = g.teamName ?? `Team ${g.team}`;
    const botUserId = `U0BOT${g.team}`;
    this.botTokens.set(token, {
      team: g.team,
      teamName,
      botUserId,
      botId: `B0${g.team}`,
      revoked: false,
    });
    return {
      ok: true,
      app_id: "A0PYJS",
      authed_user: { id: g.user },
      scope: "commands,chat:write,chat:write.public,im:write,im:history,users:read,files:write",
      token_type: "bot",
      access_token: token,
      bot_user_id: botUserId,
      team: g.enterprise ? null : { id: g.team, name: teamName },
      enterprise: g.enterprise ? { id: g.enterprise, name: "Grid" } : null,
      is_enterprise_install: Boolean(g.enterprise),
    };
  }

  /**
   * Retry-After seconds when this call must be refused with a 429 (a told-to failure, or
   * over an enforced limit), else undefined, and the call counted in its windows.
   */
  private overLimit(method: string, body: Record<string, unknown>, at: number): number | undefined {
    const told = this.rateLimits.get(method);
    if (told && told.times > 0) {
      told.times -= 1;
      return told.retryAfter;
    }
    const windows: [string, Window][] = [];
    const perMethod = this.limits?.methods[method];
    if (perMethod) windows.push([`method:${method}`, perMethod]);
    const perChannel = this.limits?.perChannel;
    if (perChannel && method === "chat.postMessage" && typeof body.channel === "string")
      windows.push([`channel:${body.channel}`, perChannel]);
    const wait = Math.max(0, ...windows.map(([key, w]) => this.windows.waitMs(key, w, at)));
    if (wait > 0) return Math.ceil(wait / 1000);
    for (const [key] of windows) this.windows.record(key, at);
    return undefined;
  }

  /** The POST to an upload URL: recorded like a call (method "upload"), bytes kept. */
  private async receiveUpload(
    id: string,
    raw: Buffer,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const type = req.headers["content-type"] ?? "";
    const up = this.uploads.get(id);
    const file = type.includes("multipart/form-data") ? await multipartFile(raw, type) : raw;
    const ok = Boolean(up && file);
    if (up && file) up.bytes = file;
    this.calls.push({
      method: "upload",
      body: { file_id: id, bytes: file?.length ?? 0, content_type: type.split(";")[0] },
      token: req.headers.authorization?.replace(/^Bearer /, ""),
      result: { ok },
    });
    res.writeHead(ok ? 200 : 404, { "content-type": "text/plain" });
    res.end(ok ? `OK - ${file?.length ?? 0}` : "unknown upload");
    this.notify();
  }

  private answer(
    method: string,
    body: Record<string, unknown>,
    token: string | undefined,
  ): Record<string, unknown> {
    if (method === "oauth.v2.access") return this.exchange(body);
    if (!token) return { ok: false, error: "not_authed" };
    const bot = this.botTokens.get(token);
    if (bot?.revoked) return { ok: false, error: "token_revoked" };
    if (method === "auth.revoke") {
      if (bot) bot.revoked = true;
      return { ok: true, revoked: true };
    }
    const failure = this.failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return { ok: false, error: failure.error };
    }
    const checkBlocks = (blocks: unknown, max = MAX_MESSAGE_BLOCKS) => {
      if (blocks === undefined) return undefined;
      const problems = blockKitViolations(blocks, max);
      if (problems.length === 0) return undefined;
      this.violations.push({ method, problems });
      return { ok: false, error: "invalid_blocks", errors: problems };
    };
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://fake.slack.com/",
          team: bot?.teamName ?? "Fake",
          user: "pyjs",
          team_id: bot?.team ?? this.team,
          user_id: bot?.botUserId ?? this.botUserId,
          bot_id: bot?.botId ?? this.botId,
        };
      case "apps.connections.open":
        return { ok: true, url: `${this.base.replace(/^http/, "ws")}/socket` };
      case "conversations.open": {
        const users = String(body.users ?? "");
        if (!users || users.includes(",")) return { ok: false, error: "invalid_users" };
        if (users === this.botUserId) return { ok: false, error: "cannot_dm_bot" };
        return { ok: true, channel: { id: `D${users}` } };
      }
      case "chat.postMessage": {
        const channel = String(body.channel ?? "");
        if (!channel) return { ok: false, error: "channel_not_found" };
        if (!body.text && !body.blocks) return { ok: false, error: "no_text" };
        const bad = checkBlocks(body.blocks);
        if (bad) return bad;
        const ts = `1700000000.${String(++this.seq).padStart(6, "0")}`;
        this.messages.set(`${channel}:${ts}`, {
          channel,
          ts,
          text: body.text,
          blocks: body.blocks as unknown[] | undefined,
          updates: 0,
        });
        return { ok: true, channel, ts, message: { text: body.text, ts } };
      }
      case "chat.update": {
        const key = `${String(body.channel)}:${String(body.ts)}`;
        const msg = this.messages.get(key);
        if (!msg) return { ok: false, error: "message_not_found" };
        const bad = checkBlocks(body.blocks);
        if (bad) return bad;
        msg.text = body.text;
        msg.blocks = body.blocks as unknown[] | undefined;
        msg.updates += 1;
        return { ok: true, channel: msg.channel, ts: msg.ts };
      }
      case "chat.postEphemeral": {
        const bad = checkBlocks(body.blocks);
        if (bad) return bad;
        return { ok: true, message_ts: `1700000000.${String(++this.seq).padStart(6, "0")}` };
      }
      case "users.info": {
        const id = String(body.user ?? "");
        const u = this.users.get(id) ?? {};
        if (!id.startsWith("U")) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id,
            team_id: bot?.team ?? this.team,
            name: u.name ?? id.toLowerCase(),
            real_name: u.real_name ?? `Real ${id}`,
            tz: u.tz ?? "UTC",
            is_admin: u.is_admin ?? false,
            is_owner: u.is_owner ?? false,
            is_bot: false,
            profile: { display_name: u.display_name ?? "" },
          },
        };
      }
      case "files.getUploadURLExternal": {
        const filename = String(body.filename ?? "");
        const length = Number(body.length);
        if (!filename || !(length > 0)) return { ok: false, error: "invalid_arguments" };
        const id = `F${String(++this.seq).padStart(6, "0")}`;
        const alt = body.alt_text === undefined ? undefined : String(body.alt_text);
        this.uploads.set(id, { id, filename, length, alt_text: alt, completed: false });
        return { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const files = body.files as { id?: string; title?: string }[] | undefined;
        if (!Array.isArray(files) || files.length === 0)
          return { ok: false, error: "invalid_arguments" };
        const done: Record<string, unknown>[] = [];
        for (const f of files) {
          const up = this.uploads.get(String(f.id));
          // Slack refuses to complete a file whose bytes never arrived (or are short).
          if (!up || up.bytes?.length !== up.length) return { ok: false, error: "file_not_found" };
          up.completed = true;
          up.title = f.title;
          up.channel = body.channel_id === undefined ? undefined : String(body.channel_id);
          done.push({ id: up.id, name: up.filename, title: f.title ?? up.filename });
        }
        return { ok: true, files: done };
      }
      case "views.publish": {
        const view = body.view as { type?: string; blocks?: unknown } | undefined;
        if (view?.type !== "home") return { ok: false, error: "invalid_arguments" };
        const bad = checkBlocks(view.blocks, MAX_VIEW_BLOCKS);
        if (bad) return bad;
        this.homeViews.set(String(body.user_id), view);
        return { ok: true, view: { id: `V${++this.seq}`, ...view } };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }
}
