import { inspect } from "node:util";
import {
  App as BoltApp,
  type Logger as BoltLogger,
  HTTPReceiver,
  LogLevel,
  type RespondArguments,
  type RespondFn,
  SocketModeReceiver,
  type webApi,
} from "@slack/bolt";
import { DeliveryError, type Messenger } from "../../src/app/messenger.js";
import type { Part, Reply } from "../../src/app/reply.js";
import type { App } from "../../src/app/service.js";
import type { Action, Actor } from "../../src/app/types.js";
import type { Env } from "../../src/config.js";
import { isTimeZone, parseCommand } from "../../src/core/grammar.js";
import type { Handler } from "../../src/http/server.js";
import type { Logger } from "../../src/logger.js";
import type { Metrics } from "../../src/metrics.js";
import {
  ACTION_ID_PATTERN,
  parseAction,
  type RenderContext,
  renderHome,
  renderMessage,
  type SlackMessage,
} from "./blocks.js";
import { politeError, slackErrorCode, toDeliveryError } from "./errors.js";
import { BOT_EVENTS, SLASH_COMMAND } from "./manifest.js";
import { fromSlackText } from "./mrkdwn.js";

export { printSlackManifest, slackManifest } from "./manifest.js";

/** The one path Slack posts slash commands, interactivity and events to (HTTP mode). */
export const EVENTS_PATH = "/slack/events";

/** Retries for the Web API client: 429s wait for Retry-After, other failures back off. */
export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 60_000,
  randomize: true,
};

export interface SlackOptions {
  env: Env;
  app: App;
  log: Logger;
  metrics: Metrics;
  /** Clock for the App calls (tests pin it); defaults to the real time. */
  now?: () => Date;
  /** Web API retry policy (tests use a short one). */
  retryConfig?: webApi.RetryOptions;
  /** Per-call Web API timeout in ms (0: none). */
  apiTimeoutMs?: number;
  /** How long a users.info answer is reused. */
  profileTtlMs?: number;
  /** Longest a slash command waits for users.info before answering without it. */
  profileWaitMs?: number;
}

export interface Slack {
  readonly mode: "http" | "socket";
  messenger: Messenger;
  /** Routes for the shared HTTP server (empty in Socket Mode). */
  routes: Record<string, Handler>;
  /** Socket Mode: connects. HTTP mode: nothing more to do (the route serves). */
  start(): Promise<void>;
  /** Disconnects (Socket Mode) and waits for requests in progress. */
  stop(): Promise<void>;
  /** Token verified and, in Socket Mode, connected. */
  ready(): boolean;
  /** Resolves when every Slack request received so far has been fully handled. */
  settled(): Promise<void>;
}

/** What users.info tells us about a person. */
export interface Profile {
  tz?: string | undefined;
  isAdmin: boolean;
  name?: string | undefined;
}

interface Ref {
  channel: string;
  ts: string;
}

interface Who {
  team: string;
  user: string;
  actor: Actor;
}

/** `slack:{team}:{user}`, the learner id every Slack person gets. */
export function slackLearner(team: string, user: string): string {
  return `slack:${team}:${user}`;
}

export function parseSlackLearner(learner: string): { team: string; user: string } | undefined {
  const m = /^slack:([A-Z0-9_-]+):([A-Z0-9_-]+)$/i.exec(learner);
  return m?.[1] && m[2] ? { team: m[1], user: m[2] } : undefined;
}

/** The Web API base URL with the trailing slash the web client expects. */
export function normalizeApiUrl(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function parseRef(ref: string | undefined): Ref | undefined {
  if (!ref) return undefined;
  const i = ref.indexOf(":");
  return i > 0 && i < ref.length - 1
    ? { channel: ref.slice(0, i), ts: ref.slice(i + 1) }
    : undefined;
}

/** DM channel ids start with D (public C, private G). */
const isImChannel = (id: string | undefined): id is string => Boolean(id?.startsWith("D"));

/** Errors from chat.update that mean "post it anew instead". */
const UPDATE_FALLBACK = new Set([
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "channel_not_found",
]);

const SORRY = "Sorry, something went wrong on my side. Please try again in a moment.";

/** Bolt and the web client log through pino (which redacts secrets), at pino's level. */
function boltLogger(log: Logger): BoltLogger {
  const write =
    (level: "debug" | "info" | "warn" | "error") =>
    (...msg: unknown[]): void => {
      if (!log.isLevelEnabled(level)) return;
      const err = msg.find((m): m is Error => m instanceof Error);
      const text = msg
        .filter((m) => !(m instanceof Error))
        .map((m) => (typeof m === "string" ? m : inspect(m, { depth: 3, breakLength: Infinity })))
        .join(" ");
      log[level](err ? { err } : {}, text || err?.message || "");
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel: () => {},
    setName: () => {},
    getLevel: () =>
      log.isLevelEnabled("debug")
        ? LogLevel.DEBUG
        : log.isLevelEnabled("info")
          ? LogLevel.INFO
          : log.isLevelEnabled("warn")
            ? LogLevel.WARN
            : LogLevel.ERROR,
  };
}

/**
 * The Slack adapter: `/pyjs`, quiz buttons, typed answers in the DM and the App Home,
 * all translated into App calls; replies rendered as Block Kit. HTTP mode mounts Bolt's
 * request listener on the shared server at POST /slack/events; with SLACK_APP_TOKEN it
 * uses Socket Mode instead and mounts nothing.
 */
export async function createSlack(opts: SlackOptions): Promise<Slack> {
  const { env, app, metrics } = opts;
  const log = opts.log.child({ component: "slack" });
  const now = opts.now ?? (() => new Date());
  const token = env.SLACK_BOT_TOKEN;
  if (!token) throw new Error("SLACK_BOT_TOKEN is required for Slack");
  const socket = Boolean(env.SLACK_APP_TOKEN);
  if (!socket && !env.SLACK_SIGNING_SECRET)
    throw new Error("SLACK_SIGNING_SECRET is required for Slack HTTP mode");

  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    timeout: opts.apiTimeoutMs ?? 15_000,
    ...(env.SLACK_API_URL ? { slackApiUrl: normalizeApiUrl(env.SLACK_API_URL) } : {}),
  };
  let connected = false;
  let started = false;
  let initialized = false;
  let socketReceiver: SocketModeReceiver | undefined;
  let httpReceiver: HTTPReceiver | undefined;
  if (env.SLACK_APP_TOKEN) {
    socketReceiver = new SocketModeReceiver({
      appToken: env.SLACK_APP_TOKEN,
      logger,
      // Its own web client (apps.connections.open) must reach the same API base.
      installerOptions: { clientOptions: { ...clientOptions } },
    });
    const client = socketReceiver.client;
    client.on("connected", () => {
      connected = true;
    });
    for (const state of ["connecting", "reconnecting", "disconnecting", "disconnected"])
      client.on(state, () => {
        connected = false;
      });
  } else {
    httpReceiver = new HTTPReceiver({
      signingSecret: env.SLACK_SIGNING_SECRET ?? "",
      endpoints: EVENTS_PATH,
      logger,
    });
  }
  const bolt = new BoltApp({
    token,
    logger,
    clientOptions,
    convoStore: false,
    deferInitialization: true,
    ...(socketReceiver
      ? { socketMode: true, appToken: env.SLACK_APP_TOKEN, receiver: socketReceiver }
      : { receiver: httpReceiver }),
  });
  const client = bolt.client;

  // Every event Bolt processes is tracked, so stop() and tests can wait for them.
  const inflight = new Set<Promise<unknown>>();
  const processEvent = bolt.processEvent.bind(bolt);
  bolt.processEvent = (event) => {
    const p = processEvent(event);
    inflight.add(p);
    p.then(
      () => inflight.delete(p),
      () => inflight.delete(p),
    );
    return p;
  };
  const settled = async () => {
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };

  // ---- people -------------------------------------------------------------------------

  const profileTtl = opts.profileTtlMs ?? 10 * 60_000;
  const profiles = new Map<string, { at: number; p: Promise<Profile | undefined> }>();
  const fetchProfile = (user: string): Promise<Profile | undefined> => {
    const hit = profiles.get(user);
    if (hit && Date.now() - hit.at < profileTtl) return hit.p;
    const p = client.users.info({ user }).then(
      (res) => {
        const u = res.user;
        return {
          tz: u?.tz && isTimeZone(u.tz) ? u.tz : undefined,
          isAdmin: Boolean(u?.is_admin || u?.is_owner),
          name: u?.profile?.display_name || u?.real_name || u?.name || undefined,
        } satisfies Profile;
      },
      (err: unknown) => {
        profiles.delete(user);
        log.warn(
          { err, user, code: slackErrorCode(err) },
          "users.info failed; going on without it",
        );
        return undefined;
      },
    );
    if (profiles.size >= 10_000) profiles.clear();
    profiles.set(user, { at: Date.now(), p });
    return p;
  };
  /** users.info, but no longer than `waitMs` (a slash command must be answered in 3 s). */
  const profileWithin = async (user: string, waitMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((ok) => {
      timer = setTimeout(() => ok(undefined), waitMs);
    });
    try {
      return await Promise.race([fetchProfile(user), late]);
    } finally {
      clearTimeout(timer);
    }
  };

  const who = async (
    team: string,
    user: string,
    extra: { channel?: string | undefined; name?: string | undefined; profile?: boolean },
  ): Promise<Who> => {
    const profile =
      extra.profile === false ? undefined : await profileWithin(user, opts.profileWaitMs ?? 1500);
    const actor: Actor = {
      learner: slackLearner(team, user),
      platform: "slack",
      tenant: team,
      tz: profile?.tz,
      isAdmin: profile?.isAdmin ?? false,
      channel: extra.channel,
      name: profile?.name ?? extra.name,
    };
    return { team, user, actor };
  };
  const ctxOf = (actor: Actor): RenderContext => ({ tz: actor.tz ?? "UTC" });

  // ---- sending ------------------------------------------------------------------------

  const dmChannels = new Map<string, string>();
  const openDm = async (user: string): Promise<string> => {
    const known = dmChannels.get(user);
    if (known) return known;
    const res = await client.conversations.open({ users: user });
    const id = res.channel?.id;
    if (!id) throw new DeliveryError("conversations.open returned no channel", false, "no_channel");
    if (dmChannels.size >= 10_000) dmChannels.clear();
    dmChannels.set(user, id);
    return id;
  };

  const post = async (channel: string, msg: SlackMessage): Promise<string> => {
    const res = await client.chat.postMessage({
      channel,
      ...(msg.blocks.length ? { blocks: msg.blocks } : {}),
      text: msg.text,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!res.ts) throw new DeliveryError("chat.postMessage returned no ts", false, "no_ts");
    return res.ts;
  };

  /** Updates a message in place; false when it is gone and should be posted anew. */
  const update = async (ref: Ref, msg: SlackMessage): Promise<boolean> => {
    try {
      await client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        blocks: msg.blocks,
        text: msg.text,
      });
      return true;
    } catch (err) {
      if (UPDATE_FALLBACK.has(slackErrorCode(err))) return false;
      throw err;
    }
  };

  /**
   * Parts for the learner's DM: each question is its own message (remembered as the
   * prompt's ref), a reveal or result replaces its question's message, anything else is
   * grouped into one message. `origin` is the message a button was pressed on.
   */
  const deliver = async (actor: Actor, channel: string, parts: Part[], origin?: Ref) => {
    const ctx = ctxOf(actor);
    let pending: Part[] = [];
    const flush = async () => {
      const msg = renderMessage(pending, ctx);
      pending = [];
      if (msg) await post(channel, msg);
    };
    for (const part of parts) {
      if (part.kind === "question") {
        // A daily greeting shares the question's message: one delivery, one message, so
        // a retried delivery can never repeat half of it.
        const lead = pending;
        pending = [];
        const ts = await post(channel, renderMessage([...lead, part], ctx) as SlackMessage);
        await app.rememberPromptRef(actor, part.question.promptId, `${channel}:${ts}`);
        metrics.promptsSent.inc({ platform: "slack" });
      } else if (part.kind === "reveal" || part.kind === "result") {
        await flush();
        const promptId = part.kind === "reveal" ? part.question.promptId : part.result.promptId;
        const msg = renderMessage([part], ctx) as SlackMessage;
        const ref = parseRef(await app.promptRef(actor, promptId)) ?? origin;
        if (ref && (await update(ref, msg))) continue;
        const ts = await post(channel, msg);
        await app.rememberPromptRef(actor, promptId, `${channel}:${ts}`);
      } else {
        pending.push(part);
      }
    }
    await flush();
  };

  const publishHome = async (w: Who, notice: Part[] = []) => {
    const r = await app.handleCommand(w.actor, "stats", now());
    const stats = r.parts.find((p) => p.kind === "stats");
    const shown = [...notice, ...r.parts.filter((p) => p.kind !== "stats")];
    await client.views.publish({
      user_id: w.user,
      view: renderHome(stats, shown, ctxOf(w.actor)),
    });
  };

  const safely = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      log.warn({ err, code: slackErrorCode(err) }, `${what} failed`);
    }
  };

  const ephemeral = (msg: SlackMessage | undefined, replace = false): RespondArguments => ({
    response_type: "ephemeral",
    replace_original: replace,
    ...(msg ?? { text: SORRY }),
  });

  const tell = (respond: RespondFn | undefined, text: string) =>
    safely("telling the user", async () => {
      await respond?.({ response_type: "ephemeral", replace_original: false, text });
    });

  // ---- listeners ----------------------------------------------------------------------

  bolt.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    let acked = false;
    const context = { team: command.team_id, user: command.user_id, where: "command" };
    try {
      const input = fromSlackText(command.text ?? "");
      const kind = parseCommand(input).kind;
      const w = await who(command.team_id, command.user_id, {
        channel: command.channel_id,
        name: command.user_name,
        profile: kind !== "lookup" && kind !== "help" && kind !== "usage",
      });
      const r: Reply = await app.handleCommand(w.actor, input, now());
      const msg = renderMessage(r.parts, ctxOf(w.actor));
      await ack(msg ? ephemeral(msg) : undefined);
      acked = true;
      if (r.dm?.length) {
        const dm = r.dm;
        try {
          await deliver(w.actor, await openDm(w.user), dm);
        } catch (err) {
          log.warn({ ...context, err, code: slackErrorCode(err) }, "could not send the DM");
          await tell(respond, politeError(err, "send you a direct message"));
        }
      }
    } catch (err) {
      log.error({ ...context, err, code: slackErrorCode(err) }, "slash command failed");
      if (!acked) await safely("ack", () => ack(ephemeral(undefined)));
      else await tell(respond, SORRY);
    }
  });

  bolt.action(
    { type: "block_actions", action_id: ACTION_ID_PATTERN },
    async ({ ack, body, action, respond }) => {
      await ack();
      if (action.type !== "button") return;
      const parsed: Action | undefined = parseAction(action.action_id, action.value);
      if (!parsed) return;
      const team = body.team?.id ?? body.user.team_id ?? "";
      const user = body.user.id;
      const container = body.container as {
        type?: string;
        channel_id?: string;
        message_ts?: string;
        is_ephemeral?: boolean;
      };
      const fromHome = container.type === "view" || body.view?.type === "home";
      const context = { team, user, where: "action", action: parsed.type };
      let w: Who | undefined;
      try {
        w = await who(team, user, { channel: body.channel?.id, name: body.user.name });
        const r = await app.handleAction(w.actor, parsed, now());
        if (fromHome) {
          if (r.dm?.length) await deliver(w.actor, await openDm(user), r.dm);
          await publishHome(w, r.parts);
          return;
        }
        const channel = container.channel_id ?? body.channel?.id;
        const inIm = isImChannel(channel);
        const parts = inIm ? r.parts.filter((p) => p.kind !== "sent-to-dm") : r.parts;
        const msg = renderMessage(parts, ctxOf(w.actor));
        if (msg) await respond(ephemeral(msg, Boolean(container.is_ephemeral)));
        if (r.dm?.length) {
          const origin =
            inIm && container.message_ts ? { channel, ts: container.message_ts } : undefined;
          await deliver(w.actor, inIm ? channel : await openDm(user), r.dm, origin);
        }
      } catch (err) {
        log.error({ ...context, err, code: slackErrorCode(err) }, "button press failed");
        const text = politeError(err, "do that");
        const current = w;
        if (fromHome && current)
          await safely("home notice", () => publishHome(current, [{ kind: "text", text }]));
        else await tell(respond, text);
      }
    },
  );

  bolt.event("message", async ({ event, body }) => {
    if (event.subtype !== undefined || event.bot_id || event.channel_type !== "im") return;
    const text = fromSlackText(event.text ?? "");
    if (!text.trim() || !event.user) return;
    const team = (body as { team_id?: string }).team_id ?? event.team ?? "";
    const context = { team, user: event.user, where: "dm" };
    try {
      const w = await who(team, event.user, { channel: event.channel });
      const r = await app.handleMessage(w.actor, text, now(), {
        messageId: event.client_msg_id ?? `${event.channel}:${event.ts}`,
      });
      const parts = r.parts.filter((p) => p.kind !== "sent-to-dm");
      await deliver(w.actor, event.channel, [...parts, ...(r.dm ?? [])]);
    } catch (err) {
      log.error({ ...context, err, code: slackErrorCode(err) }, "DM message failed");
      await safely("apology", () => post(event.channel, { blocks: [], text: SORRY }));
    }
  });

  bolt.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    const team = (body as { team_id?: string }).team_id ?? "";
    try {
      await publishHome(await who(team, event.user, {}));
    } catch (err) {
      log.error({ team, user: event.user, err, code: slackErrorCode(err) }, "App Home failed");
    }
  });

  bolt.error(async (error) => {
    log.error({ err: error, code: error.code }, "slack request failed");
  });

  // ---- messenger ----------------------------------------------------------------------

  const messenger: Messenger = {
    platform: "slack",
    async sendDm(learner, parts) {
      const who = parseSlackLearner(learner);
      if (!who) throw new DeliveryError(`not a Slack learner: ${learner}`, true, "not_slack");
      const actor: Actor = { learner, platform: "slack", tenant: who.team };
      const cached = profiles.get(who.user);
      if (cached) actor.tz = (await cached.p)?.tz;
      try {
        await deliver(actor, await openDm(who.user), parts);
      } catch (err) {
        const e = toDeliveryError(err, "DM");
        log.warn({ learner, code: e.code, permanent: e.permanent }, "DM delivery failed");
        throw e;
      }
    },
    async postToChannel(tenant, channel, parts) {
      const msg = renderMessage(parts, { tz: "UTC" });
      if (!msg) return;
      try {
        await post(channel, msg);
      } catch (err) {
        const e = toDeliveryError(err, "channel post");
        log.warn({ tenant, channel, code: e.code, permanent: e.permanent }, "channel post failed");
        throw e;
      }
    },
  };

  // ---- lifecycle ----------------------------------------------------------------------

  try {
    await bolt.init();
    initialized = true;
  } catch (err) {
    throw new Error(
      `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${slackErrorCode(err)}). Check the token and SLACK_API_URL.`,
      { cause: err },
    );
  }
  const receiver = httpReceiver;
  const routes: Record<string, Handler> = receiver
    ? { [`POST ${EVENTS_PATH}`]: (req, res) => receiver.requestListener(req, res) }
    : {};
  log.info({ mode: socket ? "socket" : "http", events: BOT_EVENTS }, "slack adapter ready");

  return {
    mode: socket ? "socket" : "http",
    messenger,
    routes,
    async start() {
      if (socket && !started) {
        started = true;
        await bolt.start();
      }
    },
    async stop() {
      if (socket && started) {
        started = false;
        await bolt.stop().catch((err: unknown) => log.warn({ err }, "socket mode stop failed"));
      }
      connected = false;
      await settled();
    },
    ready: () => initialized && (!socket || connected),
    settled,
  };
}
