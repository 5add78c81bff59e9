import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { preciseNow, SlidingWindows, type Window } from "./windows.js";

/**
 * A local fake of Discord for tests: the REST routes discord.js uses and a gateway that
 * speaks HELLO / IDENTIFY / READY / RESUME / heartbeats and dispatches the events a test
 * injects. Everything is on 127.0.0.1; every REST request is recorded with its body.
 */

export type Json = Record<string, unknown>;

export interface Recorded {
  method: string;
  /** Path without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: string | undefined;
  /** What the fake answered (status and JSON body). */
  status?: number;
  response?: unknown;
  /** Files of a multipart request (`files[n]` parts), in order; the JSON is in `body`. */
  files?: RecordedFile[];
  /** When the fake received it (ms since the epoch, with fractions). */
  at?: number;
}

/**
 * Discord's limits, enforced when a test opts in (`enforceLimits`): the global limit per
 * bot (50 requests/s; interaction callbacks and webhooks are exempt, as on Discord) and
 * a per-route bucket for messages per channel. Every limited route answers
 * `X-RateLimit-Limit/Remaining/Reset-After/Bucket`; a request over a limit gets 429 with
 * `Retry-After`, JSON `retry_after` and `global`, and `X-RateLimit-Global` when global.
 */
export interface DiscordLimits {
  globalPerSecond: number;
  /** POST /channels/{id}/messages per channel (Discord's bucket is about 5 per 5 s). */
  channelMessages?: Window;
}

/** A told-to 429 (`rateLimit`): for requests whose `METHOD /path` starts with `route`. */
interface Told {
  route: string;
  times: number;
  retryAfter: number;
  global: boolean;
}

type Over = { retryAfter: number; global: boolean; headers: Record<string, string> };

export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

/**
 * A multipart/form-data request as discord.js sends one with files: `payload_json` holds
 * the JSON body, each `files[n]` part a file.
 */
async function parseMultipart(
  raw: Buffer,
  type: string,
): Promise<{ body: unknown; files: RecordedFile[] }> {
  const form = await new Response(new Uint8Array(raw), {
    headers: { "content-type": type },
  }).formData();
  let body: unknown;
  const files: RecordedFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === "string") {
      if (field === "payload_json") body = JSON.parse(value);
    } else {
      files.push({
        field,
        name: value.name,
        contentType: value.type,
        data: Buffer.from(await value.arrayBuffer()),
      });
    }
  }
  return { body, files };
}

/** The shard a server's events go to: (server id >> 22) % shard count. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: null;
  bot?: boolean;
}

export interface InteractionOptions {
  /** In the fake's server (default) or in the user's DM with the bot. */
  inGuild?: boolean;
  /** Member permission bits in that channel (decimal string), e.g. "32" for Manage Server. */
  permissions?: string;
  nick?: string | null;
  /** Which server: the fake's own (default) or `otherGuildId`, a second one pyjs is in. */
  guildId?: string;
  /** Who installed pyjs for this interaction: the server (default) or the user's account. */
  install?: "guild" | "user";
  /** Not in a server nor the bot's DM: a DM between the user and someone else. */
  otherDm?: boolean;
}

let counter = 0n;
/** Increasing snowflake-shaped ids (17+ digits), unique across fakes in one process. */
export function snowflake(): string {
  counter += 1n;
  return String(1_300_000_000_000_000_000n + BigInt(process.pid) * 1_000_000n + counter);
}

const nowIso = () => new Date().toISOString();

/** A message object as the API returns it (and the gateway dispatches it). */
function messageShape(channelId: string, author: FakeUser, body: Json): Json {
  return {
    id: snowflake(),
    channel_id: channelId,
    author,
    content: body.content ?? "",
    embeds: body.embeds ?? [],
    components: body.components ?? [],
    timestamp: nowIso(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    pinned: false,
    type: 0,
    flags: body.flags ?? 0,
  };
}

export class FakeDiscord {
  readonly token = `fake.${randomBytes(12).toString("hex")}`;
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly guildName = "Test Server";
  readonly channelId = snowflake();
  /** A second server pyjs is installed in, with one text channel, for boundary tests. */
  readonly otherGuildId = snowflake();
  readonly otherChannelId = snowflake();
  readonly bot: FakeUser = {
    id: this.applicationId,
    username: "pyjs",
    global_name: null,
    discriminator: "0",
    avatar: null,
    bot: true,
  };
  readonly requests: Recorded[] = [];
  readonly gatewayQueries: string[] = [];
  readonly identifies: Json[] = [];
  resumes = 0;
  /** What GET /gateway/bot recommends; each identify's `[id, count]` pair gets its shard's guilds. */
  recommendedShards = 1;
  private readonly shards = new Map<WebSocket, [number, number]>();
  /** Users whose DMs are closed: sending to their DM channel fails with 50007. */
  readonly closedDms = new Set<string>();
  readonly users = new Map<string, FakeUser>();
  readonly messages = new Map<string, Json>();
  private readonly dms = new Map<string, string>();
  /** interaction token -> id of its original response message. */
  private readonly originals = new Map<string, string>();
  /** interaction id -> token. */
  private readonly tokens = new Map<string, string>();
  private readonly channels = new Map<string, Json>();
  private readonly sockets = new Set<WebSocket>();
  private readonly ready = new WeakSet<WebSocket>();
  private readonly seq = new WeakMap<WebSocket, number>();
  private server!: Server;
  private wss!: WebSocketServer;
  private limits: DiscordLimits | undefined;
  private readonly windows = new SlidingWindows();
  private told: Told | undefined;
  port = 0;

  /** Enforces rate limits from now on (see DiscordLimits); undefined stops. */
  enforceLimits(limits: DiscordLimits | undefined): void {
    this.limits = limits;
    this.windows.clear();
  }

  /** Makes the next `times` requests matching `route` (`POST /channels`) answer 429. */
  rateLimit(route: string, times = 1, opts: { retryAfter?: number; global?: boolean } = {}): void {
    this.told = { route, times, retryAfter: opts.retryAfter ?? 1, global: opts.global ?? false };
  }

  /** Requests answered 429. */
  get limited(): Recorded[] {
    return this.requests.filter((r) => r.status === 429);
  }

  /**
   * Whether this request is over a limit (then its 429), and the route bucket's headers;
   * a request within every limit is counted in its windows.
   */
  private overLimit(method: string, path: string, at: number): Over | undefined {
    const t = this.told;
    if (t && t.times > 0 && `${method} ${path}`.startsWith(t.route)) {
      t.times -= 1;
      return { retryAfter: t.retryAfter, global: t.global, headers: {} };
    }
    if (!this.limits || path.startsWith("/interactions/") || path.startsWith("/webhooks/"))
      return undefined;
    const global: Window = { limit: this.limits.globalPerSecond, ms: 1000 };
    const route = /^\/channels\/(\d+)\/messages$/.exec(path);
    const bucket: [string, Window] | undefined =
      route && method === "POST" && this.limits.channelMessages
        ? [`messages:${route[1]}`, this.limits.channelMessages]
        : undefined;
    const globalWait = this.windows.waitMs("global", global, at);
    const routeWait = bucket ? this.windows.waitMs(bucket[0], bucket[1], at) : 0;
    const headers = bucket ? this.bucketHeaders(bucket, at, routeWait > 0 ? 0 : 1) : {};
    if (globalWait > 0) return { retryAfter: globalWait / 1000, global: true, headers };
    if (routeWait > 0) return { retryAfter: routeWait / 1000, global: false, headers };
    this.windows.record("global", at);
    if (bucket) this.windows.record(bucket[0], at);
    return bucket
      ? { retryAfter: 0, global: false, headers: this.bucketHeaders(bucket, at, 0) }
      : undefined;
  }

  /** `X-RateLimit-*` for a route bucket after this request (`taking`: not counted yet). */
  private bucketHeaders(
    [key, w]: [string, Window],
    at: number,
    taking: number,
  ): Record<string, string> {
    const remaining = Math.max(0, w.limit - this.windows.count(key, w, at) - taking);
    return {
      "x-ratelimit-limit": String(w.limit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset-after": (w.ms / 1000).toFixed(3),
      "x-ratelimit-bucket": "channel-messages",
    };
  }

  static async start(opts: { heartbeatMs?: number } = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord();
    await fake.listen(opts.heartbeatMs ?? 5000);
    return fake;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  private async listen(heartbeatMs: number): Promise<void> {
    this.channels.set(this.channelId, {
      id: this.channelId,
      type: 0,
      guild_id: this.guildId,
      name: "general",
      position: 0,
      permission_overwrites: [],
    });
    this.channels.set(this.otherChannelId, {
      id: this.otherChannelId,
      type: 0,
      guild_id: this.otherGuildId,
      name: "general",
      position: 0,
      permission_overwrites: [],
    });
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: String(err), code: 0 }));
      });
    });
    this.wss = new WebSocketServer({ server: this.server, path: "/gateway" });
    this.wss.on("connection", (ws, req) => {
      this.gatewayQueries.push((req.url ?? "").split("?")[1] ?? "");
      this.sockets.add(ws);
      this.seq.set(ws, 0);
      ws.on("close", () => this.sockets.delete(ws));
      ws.on("message", (raw) => this.onGateway(ws, raw.toString()));
      ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: heartbeatMs } }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- people -------------------------------------------------------------------------

  user(name: string, globalName: string | null = null): FakeUser {
    const u: FakeUser = {
      id: snowflake(),
      username: name,
      global_name: globalName,
      discriminator: "0",
      avatar: null,
    };
    this.users.set(u.id, u);
    return u;
  }

  /** The DM channel between the bot and `user` (created on first use, as Discord does). */
  dmChannel(user: FakeUser): string {
    let id = this.dms.get(user.id);
    if (!id) {
      id = snowflake();
      this.dms.set(user.id, id);
      this.channels.set(id, {
        id,
        type: 1,
        recipients: [user],
        last_message_id: null,
      });
    }
    return id;
  }

  // --- gateway ------------------------------------------------------------------------

  private send(ws: WebSocket, payload: Json): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }

  private dispatchTo(ws: WebSocket, t: string, d: unknown): void {
    const s = (this.seq.get(ws) ?? 0) + 1;
    this.seq.set(ws, s);
    this.send(ws, { op: 0, t, s, d });
  }

  private onGateway(ws: WebSocket, raw: string): void {
    const msg = JSON.parse(raw) as { op: number; d: unknown };
    switch (msg.op) {
      case 1: // heartbeat
        this.send(ws, { op: 11 });
        break;
      case 2: {
        // identify; a server belongs to shard (server id >> 22) % shard count
        this.identifies.push(msg.d as Json);
        this.ready.add(ws);
        const [id, count] = (msg.d as { shard?: [number, number] }).shard ?? [0, 1];
        this.shards.set(ws, [id, count]);
        const owns = shardOf(this.guildId, count) === id;
        this.dispatchTo(ws, "READY", {
          v: 10,
          user: this.bot,
          guilds: owns ? [{ id: this.guildId, unavailable: true }] : [],
          session_id: randomBytes(8).toString("hex"),
          resume_gateway_url: this.gatewayUrl,
          shard: [id, count],
          application: { id: this.applicationId, flags: 0 },
          private_channels: [],
          user_settings: {},
          relationships: [],
          presences: [],
          guild_join_requests: [],
        });
        if (owns) this.dispatchTo(ws, "GUILD_CREATE", this.guildPayload());
        break;
      }
      case 6: // resume
        this.resumes++;
        this.ready.add(ws);
        this.dispatchTo(ws, "RESUMED", {});
        break;
      default:
        break;
    }
  }

  private guildPayload(): Json {
    return {
      id: this.guildId,
      name: this.guildName,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: snowflake(),
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: this.guildId,
          name: "@everyone",
          permissions: "1024",
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: "en-US",
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: nowIso(),
      large: false,
      unavailable: false,
      member_count: 3,
      voice_states: [],
      members: [],
      channels: [this.channels.get(this.channelId)],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /**
   * Sends a dispatch event to every connected, identified client — with shards, as
   * Discord does: a server's events to the shard that owns it, the rest (DMs) to shard 0.
   */
  dispatch(t: string, d: unknown): void {
    const guild = (d as { guild_id?: string } | null)?.guild_id;
    for (const ws of this.sockets) {
      if (!this.ready.has(ws)) continue;
      const [id, count] = this.shards.get(ws) ?? [0, 1];
      const owner = guild ? shardOf(guild, count) : 0;
      if (count === 1 || owner === id) this.dispatchTo(ws, t, d);
    }
  }

  /** Drops every gateway connection with `code` (4000: unknown error, clients resume). */
  dropConnections(code = 4000): void {
    for (const ws of this.sockets) {
      this.ready.delete(ws);
      ws.close(code, "fake: dropped");
    }
  }

  connectedClients(): number {
    let n = 0;
    for (const ws of this.sockets) if (this.ready.has(ws)) n++;
    return n;
  }

  // --- injected events ----------------------------------------------------------------

  private interactionBase(user: FakeUser, opts: InteractionOptions): Json {
    const inGuild = opts.inGuild ?? true;
    const id = snowflake();
    const token = `itok-${randomBytes(12).toString("hex")}`;
    this.tokens.set(id, token);
    const base: Json = {
      id,
      application_id: this.applicationId,
      token,
      version: 1,
      locale: "en-US",
      app_permissions: "2248473465835073",
      entitlements: [],
      attachment_size_limit: 10_485_760,
    };
    const byUser = opts.install === "user";
    if (opts.otherDm) {
      const other = snowflake();
      Object.assign(base, {
        channel_id: other,
        channel: { id: other, type: 1, recipients: [user] },
        context: 2,
        authorizing_integration_owners: { "1": user.id },
        user,
      });
    } else if (inGuild) {
      const guild = opts.guildId ?? this.guildId;
      const channelId = guild === this.otherGuildId ? this.otherChannelId : this.channelId;
      Object.assign(base, {
        guild_id: guild,
        guild_locale: "en-US",
        channel_id: channelId,
        channel: this.channels.get(channelId),
        context: 0,
        authorizing_integration_owners: byUser ? { "1": user.id } : { "0": guild },
        member: {
          user,
          nick: opts.nick ?? null,
          avatar: null,
          roles: [],
          joined_at: nowIso(),
          deaf: false,
          mute: false,
          flags: 0,
          pending: false,
          permissions: opts.permissions ?? "0",
        },
      });
    } else {
      const dm = this.dmChannel(user);
      Object.assign(base, {
        channel_id: dm,
        channel: { id: dm, type: 1, recipients: [user] },
        context: 1,
        authorizing_integration_owners: byUser ? { "1": user.id } : { "0": "0" },
        user,
      });
    }
    return base;
  }

  /** `/pyjs query:<query>`; returns the interaction id. */
  slash(user: FakeUser, query: string | undefined, opts: InteractionOptions = {}): string {
    const i = this.interactionBase(user, opts);
    Object.assign(i, {
      type: 2,
      data: {
        id: snowflake(),
        name: "pyjs",
        type: 1,
        ...(opts.inGuild === false || opts.otherDm
          ? {}
          : { guild_id: opts.guildId ?? this.guildId }),
        options: query === undefined ? [] : [{ name: "query", type: 3, value: query }],
      },
    });
    this.dispatch("INTERACTION_CREATE", i);
    return i.id as string;
  }

  /** Typing in the `query` option; returns the interaction id. */
  autocomplete(user: FakeUser, value: string, opts: InteractionOptions = {}): string {
    const i = this.interactionBase(user, opts);
    Object.assign(i, {
      type: 4,
      data: {
        id: snowflake(),
        name: "pyjs",
        type: 1,
        options: [{ name: "query", type: 3, value, focused: true }],
      },
    });
    this.dispatch("INTERACTION_CREATE", i);
    return i.id as string;
  }

  /** A button press on `message` (a stored message, by default in the user's DM). */
  button(user: FakeUser, customId: string, message: Json, opts: InteractionOptions = {}): string {
    const i = this.interactionBase(user, { inGuild: false, ...opts });
    Object.assign(i, {
      type: 3,
      data: { custom_id: customId, component_type: 2 },
      message,
    });
    // A component's `@original` is the message it is on (after an update or deferUpdate).
    this.originals.set(String(i.token), String(message.id));
    this.dispatch("INTERACTION_CREATE", i);
    return i.id as string;
  }

  /** Submitting the answer modal opened from `message`. */
  modalSubmit(
    user: FakeUser,
    customId: string,
    fields: Record<string, string>,
    message?: Json,
  ): string {
    const i = this.interactionBase(user, { inGuild: false });
    Object.assign(i, {
      type: 5,
      data: {
        custom_id: customId,
        components: Object.entries(fields).map(([id, value], n) => ({
          type: 18,
          id: n * 2 + 1,
          component: { type: 4, id: n * 2 + 2, custom_id: id, value },
        })),
      },
      ...(message ? { message } : {}),
    });
    if (message) this.originals.set(String(i.token), String(message.id));
    this.dispatch("INTERACTION_CREATE", i);
    return i.id as string;
  }

  /** Any interaction, `type` and `data` as Discord sends them; returns the interaction id. */
  interaction(
    user: FakeUser,
    type: number,
    data: Json,
    extra: Json = {},
    opts: InteractionOptions = {},
  ): string {
    const i = this.interactionBase(user, opts);
    Object.assign(i, { type, data, ...extra });
    this.dispatch("INTERACTION_CREATE", i);
    return i.id as string;
  }

  /** `user` types `content` in their DM with the bot; returns the message id. */
  dm(user: FakeUser, content: string): string {
    const msg = messageShape(this.dmChannel(user), user, { content });
    // Discord includes it; discord.js needs it to build an uncached DM channel.
    this.dispatch("MESSAGE_CREATE", { ...msg, channel_type: 1 });
    return msg.id as string;
  }

  // --- REST ---------------------------------------------------------------------------

  private message(channelId: string, body: Json, author: FakeUser = this.bot): Json {
    const msg = messageShape(channelId, author, body);
    this.messages.set(msg.id as string, msg);
    return msg;
  }

  private edit(id: string, channelId: string, body: Json): Json {
    const old = this.messages.get(id) ?? this.message(channelId, {});
    const msg: Json = { ...old, edited_timestamp: nowIso() };
    for (const k of ["content", "embeds", "components"]) if (k in body) msg[k] = body[k];
    this.messages.set(id, msg);
    return msg;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = decodeURIComponent(url.pathname).replace(/^(?:\/api)?\/v\d+/, "");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const type = req.headers["content-type"] ?? "";
    let body: unknown;
    let files: RecordedFile[] | undefined;
    if (type.startsWith("multipart/form-data")) {
      ({ body, files } = await parseMultipart(bytes, type));
    } else if (bytes.length) {
      const raw = bytes.toString("utf8");
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const method = req.method ?? "GET";
    const at = preciseNow();
    const record: Recorded = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      auth: req.headers.authorization,
      ...(files ? { files } : {}),
      at,
    };
    let headers: Record<string, string> = {};
    const json = (status: number, data?: unknown) => {
      record.status = status;
      record.response = data;
      if (data === undefined) {
        res.writeHead(status, headers);
        res.end();
        return;
      }
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(data));
    };
    const error = (status: number, code: number, message: string) =>
      json(status, { message, code });
    const b = (body ?? {}) as Json;
    /** The path's captures when the request is `verb` on a path matching `re`. */
    const route = (verb: string, re: RegExp): string[] | undefined => {
      if (method !== verb) return undefined;
      const m = re.exec(path);
      return m ? m.slice(1).map((x) => x ?? "") : undefined;
    };

    // Interaction callbacks and webhooks are authorised by their token; the rest by the bot's.
    const open = path.startsWith("/interactions/") || path.startsWith("/webhooks/");
    if (!open && req.headers.authorization !== `Bot ${this.token}`) {
      this.requests.push(record);
      return error(401, 0, "401: Unauthorized");
    }
    const over = this.overLimit(method, path, at);
    this.requests.push(record);
    if (over) headers = over.headers;
    if (over && over.retryAfter > 0) {
      headers = {
        ...headers,
        "retry-after": String(Math.ceil(over.retryAfter)),
        "x-ratelimit-scope": "user",
        ...(over.global ? { "x-ratelimit-global": "true" } : {}),
      };
      return json(429, {
        message: "You are being rate limited.",
        retry_after: Number(over.retryAfter.toFixed(3)),
        global: over.global,
        code: 0,
      });
    }
    if (route("GET", /^\/gateway\/bot$/)) {
      return json(200, {
        url: this.gatewayUrl,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (route("GET", /^\/users\/@me$/)) return json(200, this.bot);
    const getUser = route("GET", /^\/users\/(\d+)$/);
    if (getUser) {
      const u = this.users.get(getUser[0] ?? "");
      return u ? json(200, u) : error(404, 10013, "Unknown User");
    }
    if (route("POST", /^\/users\/@me\/channels$/)) {
      const u = this.users.get(String(b.recipient_id));
      if (!u) return error(400, 50033, "Invalid Recipient(s)");
      return json(200, this.channels.get(this.dmChannel(u)));
    }
    const getChannel = route("GET", /^\/channels\/(\d+)$/);
    if (getChannel) {
      const ch = this.channels.get(getChannel[0] ?? "");
      return ch ? json(200, ch) : error(404, 10003, "Unknown Channel");
    }
    const post = route("POST", /^\/channels\/(\d+)\/messages$/);
    if (post) {
      const channelId = post[0] ?? "";
      const ch = this.channels.get(channelId);
      if (!ch) return error(404, 10003, "Unknown Channel");
      const recipient = (ch.recipients as FakeUser[] | undefined)?.[0];
      if (recipient && this.closedDms.has(recipient.id))
        return error(403, 50007, "Cannot send messages to this user");
      return json(200, this.message(channelId, b));
    }
    const patch = route("PATCH", /^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (patch) {
      const [channelId = "", id = ""] = patch;
      if (!this.messages.has(id)) return error(404, 10008, "Unknown Message");
      return json(200, this.edit(id, channelId, b));
    }
    if (route("POST", /^\/interactions\/\d+\/[^/]+\/callback$/)) return json(204);
    if (route("POST", /^\/webhooks\/\d+\/[^/]+$/)) {
      return json(200, this.message(this.channelId, b));
    }
    const hook =
      route("PATCH", /^\/webhooks\/\d+\/([^/]+)\/messages\/([^/]+)$/) ??
      route("GET", /^\/webhooks\/\d+\/([^/]+)\/messages\/([^/]+)$/);
    if (hook) {
      const [token = "", which = ""] = hook;
      let id = which;
      if (which === "@original") {
        id = this.originals.get(token) ?? (this.message(this.channelId, {}).id as string);
        this.originals.set(token, id);
      }
      if (method === "PATCH") return json(200, this.edit(id, this.channelId, b));
      const msg = this.messages.get(id);
      return msg ? json(200, msg) : error(404, 10008, "Unknown Message");
    }
    if (route("PUT", /^\/applications\/\d+(?:\/guilds\/\d+)?\/commands$/)) {
      const list = Array.isArray(body) ? (body as Json[]) : [];
      return json(
        200,
        list.map((c) => ({
          id: snowflake(),
          application_id: this.applicationId,
          version: "1",
          ...c,
        })),
      );
    }
    return error(404, 0, "404: Not Found");
  }

  // --- looking at what the client did -------------------------------------------------

  /** The interaction callbacks (responses) posted for an interaction id, in order. */
  callbacks(interactionId: string): Json[] {
    return this.requests
      .filter((r) => r.method === "POST" && r.path.startsWith(`/interactions/${interactionId}/`))
      .map((r) => r.body as Json);
  }

  /** Requests to an interaction's webhook (follow-ups, edits of the original response). */
  webhookRequests(interactionId: string): Recorded[] {
    const token = this.tokens.get(interactionId);
    return this.requests.filter(
      (r) => token !== undefined && r.path.startsWith(`/webhooks/${this.applicationId}/${token}`),
    );
  }

  /** The last edit of an interaction's original response (what a deferred reply became). */
  originalEdit(interactionId: string): Json | undefined {
    const edits = this.webhookRequests(interactionId).filter(
      (r) => r.method === "PATCH" && r.path.endsWith("/messages/@original"),
    );
    return edits.at(-1)?.body as Json | undefined;
  }

  /** Follow-up messages posted for an interaction. */
  followUps(interactionId: string): Json[] {
    return this.webhookRequests(interactionId)
      .filter((r) => r.method === "POST")
      .map((r) => r.body as Json);
  }

  /** Messages posted to a channel (request bodies), in order. */
  posted(channelId: string): Json[] {
    return this.requests
      .filter((r) => r.method === "POST" && r.path === `/channels/${channelId}/messages`)
      .map((r) => r.body as Json);
  }

  /** Messages the bot created in a channel, as first sent (the fake's answers), in order. */
  created(channelId: string): Json[] {
    return this.requests
      .filter(
        (r) =>
          r.method === "POST" && r.path === `/channels/${channelId}/messages` && r.status === 200,
      )
      .map((r) => r.response as Json);
  }
}

/** Waits until `probe` returns something truthy (polling; no timing assumptions). */
export async function until<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what = "condition",
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
