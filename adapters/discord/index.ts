import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  ComponentType,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  type ModalSubmitInteraction,
  Options,
  Partials,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  Status,
  TextInputStyle,
} from "discord.js";
import { DeliveryError, type Messenger } from "../../src/app/messenger.js";
import type { Part, Reply } from "../../src/app/reply.js";
import type { App } from "../../src/app/service.js";
import type { Action, Actor } from "../../src/app/types.js";
import type { Env } from "../../src/config.js";
import { parseCommand } from "../../src/core/grammar.js";
import { learner } from "../../src/core/learner.js";
import { MAX_INPUT } from "../../src/core/text.js";
import type { Logger } from "../../src/logger.js";
import type { Metrics } from "../../src/metrics.js";
import { autocomplete } from "./autocomplete.js";
import { errInfo, isDmClosed, toDeliveryError } from "./errors.js";
import { ANSWER_FIELD, customId, parseCustomId } from "./ids.js";
import { Outbox } from "./outbox.js";
import {
  escapeMd,
  NO_MENTIONS,
  payload,
  promptOf,
  type Rendered,
  renderPart,
  renderParts,
  splitMessages,
} from "./render.js";

export { discordRegister, PYJS_COMMAND, registerCommands } from "./commands.js";

export interface DiscordOptions {
  env: Pick<Env, "DISCORD_TOKEN" | "DISCORD_APPLICATION_ID" | "DISCORD_API_URL">;
  app: App;
  log: Logger;
  metrics?: Metrics | undefined;
  /** Clock, for tests; the real time by default. */
  now?: () => Date;
  /** How long a fast command may take before the reply is deferred (Discord allows 3 s). */
  deferAfterMs?: number;
  /** How long start() waits for the gateway to become ready. */
  readyTimeoutMs?: number;
}

export interface DiscordAdapter {
  readonly client: Client;
  /** Works over REST alone: usable without start() (e.g. in `pyjs worker`). */
  readonly messenger: Messenger;
  /** Logs in and resolves once the gateway session is ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Connected to the gateway (for /readyz). */
  ready(): boolean;
}

/** Commands whose answer may take more than a moment: acknowledged at once, answered later. */
const SLOW = new Set(["quiz", "stats", "leaderboard", "leaderboard-here", "forget-me"]);

const EPHEMERAL = MessageFlags.Ephemeral;

function dmClosedText(server: string | undefined): Part {
  const where = server ? `**${escapeMd(server)}**` : "the server";
  return {
    kind: "text",
    text: `I can't send you direct messages, so the quiz could not start. To allow them, open ${where} → **Privacy Settings** and turn on **Direct Messages**, then run \`/pyjs quiz\` again.`,
  };
}

/** The person behind an interaction, as the app knows them. */
export function actorOf(i: Interaction): Actor {
  const member = i.member;
  let name = i.user.displayName;
  if (member && "displayName" in member) name = member.displayName;
  else if (member && "nick" in member && member.nick) name = member.nick;
  return {
    learner: learner.discord(i.user.id),
    platform: "discord",
    tenant: i.guildId ?? undefined,
    channel: i.channelId ?? undefined,
    name,
    // Manage Server (Administrator implies it), as computed by Discord for this channel.
    isAdmin: i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
  };
}

/** Resolves true when `p` settles within `ms`, false otherwise (never rejects). */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

function apiCode(err: unknown): number | string | undefined {
  return err instanceof DiscordAPIError ? err.code : undefined;
}

/** The Discord adapter: gateway events -> app calls, replies -> embeds, buttons and modals. */
export async function createDiscord(opts: DiscordOptions): Promise<DiscordAdapter> {
  const { app, log, metrics } = opts;
  const token = opts.env.DISCORD_TOKEN;
  if (!token) throw new Error("DISCORD_TOKEN is not set");
  const now = opts.now ?? (() => new Date());
  const deferAfterMs = opts.deferAfterMs ?? 1500;

  const client = new Client({
    // Guilds: servers and channels (names, leaderboard channels). DirectMessages: typed
    // answers in the DM with the bot. No MessageContent: that privileged intent only
    // matters for server messages; DMs to the bot carry their text without it.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    // DM channels are not cached until used; without this partial DMs are dropped.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    // Nothing here reads old messages back from the cache.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      // People seen in interactions; the bot's own user is always kept.
      UserManager: { maxSize: 10_000, keepOverLimit: (u) => u.id === u.client.user?.id },
      GuildMemberManager: { maxSize: 1_000, keepOverLimit: (m) => m.id === m.client.user?.id },
    }),
    ...(opts.env.DISCORD_API_URL ? { rest: { api: opts.env.DISCORD_API_URL } } : {}),
  });
  // REST works before (and without) the gateway login, so the messenger can deliver from a
  // process that never calls start() (`pyjs worker`).
  client.rest.setToken(token);

  // --- sending ----------------------------------------------------------------------

  const outbox = new Outbox(client.rest);

  /** Sends parts as messages (one per question), remembering where each question is. */
  async function sendParts(
    channelId: string,
    actor: Actor | undefined,
    parts: Part[],
    ctx: { inDm?: boolean } = {},
  ): Promise<void> {
    for (const msg of splitMessages(parts)) {
      const sent = await outbox.send(channelId, renderParts(msg.parts, ctx));
      if (msg.promptId && actor) {
        await app.rememberPromptRef(actor, msg.promptId, `${sent.channel_id}:${sent.id}`);
        if (msg.parts.some((x) => x.kind === "question")) {
          metrics?.promptsSent.inc({ platform: "discord" });
        }
      }
    }
  }

  async function sendToUser(userId: string, actor: Actor, parts: Part[]): Promise<void> {
    if (parts.length === 0) return;
    await sendParts(await outbox.dmChannel(userId), actor, parts, { inDm: true });
  }

  /** Edits the message showing a prompt (found by the ref saved when it was sent). */
  async function editPrompt(actor: Actor, promptId: string, rendered: Rendered): Promise<boolean> {
    const ref = await app.promptRef(actor, promptId);
    const [channelId, messageId] = ref?.split(":") ?? [];
    if (!channelId || !messageId) return false;
    try {
      await outbox.edit(channelId, messageId, rendered);
      return true;
    } catch (err) {
      log.warn({ err: errInfo(err), promptId }, "could not edit the question message");
      return false;
    }
  }

  // --- slash command, autocomplete ---------------------------------------------------

  async function onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const query = (i.options.getString("query") ?? "").slice(0, MAX_INPUT);
    const actor = actorOf(i);
    const work = app.handleCommand(actor, query, now());
    // Keep a rejection from being reported as unhandled while we acknowledge.
    work.catch(() => undefined);
    let deferred = false;
    if (SLOW.has(parseCommand(query).kind) || !(await settlesWithin(work, deferAfterMs))) {
      await i.deferReply({ flags: EPHEMERAL });
      deferred = true;
    }
    const r = await work;
    let parts = r.parts;
    if (r.dm?.length) {
      try {
        await sendToUser(i.user.id, actor, r.dm);
      } catch (err) {
        if (!isDmClosed(err)) throw err;
        log.info({ user: i.user.id }, "DMs closed; told the user how to open them");
        parts = [dmClosedText(i.guild?.name)];
      }
    }
    const body = payload(renderParts(parts, { inDm: !i.inGuild() }));
    if (deferred) await i.editReply(body);
    else await i.reply({ ...body, flags: EPHEMERAL });
  }

  async function onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const typed = typeof focused.value === "string" ? focused.value : "";
    await i.respond(autocomplete(app.glossary, typed));
  }

  // --- buttons and the answer modal --------------------------------------------------

  /**
   * Answers a button press or modal submission: a reveal or result replaces the message
   * the button was on; what is only for the asker goes ephemerally; the next card (or the
   * summary) is sent as new DMs; nothing at all is just acknowledged.
   */
  async function respond(
    i: ButtonInteraction | ModalSubmitInteraction,
    actor: Actor,
    r: Reply,
    opts: { replaceWithParts?: boolean } = {},
  ): Promise<void> {
    const dm = r.dm ?? [];
    const first = dm[0];
    const head = first && promptOf(first) && first.kind !== "question" ? first : undefined;
    const rest = head ? dm.slice(1) : dm;
    const canUpdate = i.isButton() || i.isFromMessage();
    const inDm = !i.inGuild();
    if (head && canUpdate) {
      await i.update(payload(renderPart(head), { edit: true }));
      if (r.parts.length) {
        await i.followUp({ ...payload(renderParts(r.parts, { inDm })), flags: EPHEMERAL });
      }
    } else if (opts.replaceWithParts && canUpdate && r.parts.length) {
      await i.update(payload(renderParts(r.parts, { inDm }), { edit: true }));
    } else if (r.parts.length || head) {
      const shown = head ? [...r.parts, head] : r.parts;
      await i.reply({ ...payload(renderParts(shown, { inDm })), flags: EPHEMERAL });
    } else if (canUpdate) {
      await i.deferUpdate();
    } else {
      await i.reply({ ...payload(renderParts([{ kind: "expired" }])), flags: EPHEMERAL });
    }
    if (rest.length) {
      try {
        await sendToUser(i.user.id, actor, rest);
      } catch (err) {
        if (!isDmClosed(err)) throw err;
        const body = payload(renderParts([dmClosedText(i.guild?.name)]));
        await i.followUp({ ...body, flags: EPHEMERAL });
      }
    }
  }

  async function onButton(i: ButtonInteraction): Promise<void> {
    const id = parseCustomId(i.customId);
    const actor = actorOf(i);
    if (!id || id.kind === "modal") {
      log.info({ customId: i.customId.slice(0, 100), user: i.user.id }, "unknown button");
      await i.reply({ ...payload(renderParts([{ kind: "expired" }])), flags: EPHEMERAL });
      return;
    }
    if (id.kind === "answer") {
      await i.showModal({
        custom_id: customId.modal(id.promptId),
        title: "Your answer",
        components: [
          {
            type: ComponentType.Label,
            label: "Answer",
            description: "Right → Good, a small typo → Hard, wrong → Again.",
            component: {
              type: ComponentType.TextInput,
              custom_id: ANSWER_FIELD,
              style: TextInputStyle.Short,
              required: true,
              max_length: MAX_INPUT,
            },
          },
        ],
      });
      return;
    }
    let action: Action;
    if (id.kind === "forget") action = { type: "forget-confirm" };
    else if (id.kind === "show") action = { type: "show", promptId: id.promptId };
    else action = { type: "rate", promptId: id.promptId, rating: id.rating };
    const r = await app.handleAction(actor, action, now());
    await respond(i, actor, r, { replaceWithParts: id.kind === "forget" });
  }

  async function onModal(i: ModalSubmitInteraction): Promise<void> {
    const id = parseCustomId(i.customId);
    const actor = actorOf(i);
    if (id?.kind !== "modal") {
      await i.reply({ ...payload(renderParts([{ kind: "expired" }])), flags: EPHEMERAL });
      return;
    }
    let text = "";
    try {
      text = i.fields.getTextInputValue(ANSWER_FIELD);
    } catch {
      // A forged submission without the field reads as an empty answer.
    }
    const r = await app.handleAction(
      actor,
      { type: "answer", promptId: id.promptId, text: text.slice(0, MAX_INPUT) },
      now(),
    );
    await respond(i, actor, r);
  }

  // --- typed answers in the DM -------------------------------------------------------

  async function onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.system || message.webhookId || message.inGuild()) return;
    if (!message.content.trim()) return;
    const actor: Actor = {
      learner: learner.discord(message.author.id),
      platform: "discord",
      channel: message.channelId,
      name: message.author.displayName,
    };
    const r = await app.handleMessage(actor, message.content, now(), { messageId: message.id });
    const dm = r.dm ?? [];
    let rest = dm;
    const first = dm[0];
    const promptId = first && first.kind !== "question" ? promptOf(first) : undefined;
    if (first && promptId && (await editPrompt(actor, promptId, renderPart(first)))) {
      rest = dm.slice(1);
    }
    const parts = [...r.parts.filter((p) => p.kind !== "sent-to-dm"), ...rest];
    if (parts.length) await sendParts(message.channelId, actor, parts, { inDm: true });
  }

  // --- wiring ------------------------------------------------------------------------

  async function guard(i: Interaction, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      const code = apiCode(err);
      if (
        code === RESTJSONErrorCodes.UnknownInteraction ||
        code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged
      ) {
        log.warn({ interaction: i.id, code }, "interaction expired before it was answered");
        return;
      }
      log.error(
        { err: errInfo(err), interaction: i.id, user: i.user.id },
        "discord interaction failed",
      );
      if (!i.isRepliable()) return;
      const body = {
        content: "Sorry, something went wrong on my side. Please try again.",
        allowedMentions: NO_MENTIONS,
      };
      try {
        if (i.deferred && !i.replied) await i.editReply(body);
        else if (i.replied) await i.followUp({ ...body, flags: EPHEMERAL });
        else await i.reply({ ...body, flags: EPHEMERAL });
      } catch (again) {
        log.warn({ err: errInfo(again), interaction: i.id }, "could not report the failure");
      }
    }
  }

  client.on(Events.InteractionCreate, (i) => {
    if (i.isAutocomplete()) {
      if (i.commandName !== "pyjs") return;
      void onAutocomplete(i).catch((err: unknown) =>
        log.warn({ err: errInfo(err), interaction: i.id }, "autocomplete failed"),
      );
      return;
    }
    if (i.isChatInputCommand()) {
      if (i.commandName === "pyjs") void guard(i, () => onCommand(i));
      return;
    }
    if (i.isButton()) {
      if (i.customId.startsWith("pyjs:")) void guard(i, () => onButton(i));
      return;
    }
    if (i.isModalSubmit() && i.customId.startsWith("pyjs:")) void guard(i, () => onModal(i));
  });

  client.on(Events.MessageCreate, (message) => {
    void onMessage(message).catch((err: unknown) => {
      log.error(
        { err: errInfo(err), message: message.id, user: message.author.id },
        "discord DM failed",
      );
    });
  });

  client.on(Events.ShardReady, (shard) => log.info({ shard }, "discord gateway ready"));
  client.on(Events.ShardResume, (shard, replayed) =>
    log.info({ shard, replayed }, "discord gateway resumed"),
  );
  let stopping = false;
  client.on(Events.ShardReconnecting, (shard) => {
    if (!stopping) log.warn({ shard }, "discord gateway reconnecting");
  });
  client.on(Events.ShardDisconnect, (event, shard) =>
    log.error({ shard, code: event.code }, "discord gateway disconnected for good"),
  );
  client.on(Events.ShardError, (err, shard) => log.warn({ err, shard }, "discord gateway error"));
  client.on(Events.Error, (err) => log.error({ err }, "discord client error"));
  client.on(Events.Warn, (message) => log.warn({ message }, "discord warning"));
  client.on(Events.Debug, (message) => log.trace({ message }, "discord debug"));

  // --- the Messenger port (daily deliveries, weekly leaderboards) ---------------------

  const messenger: Messenger = {
    platform: "discord",
    async sendDm(id, parts) {
      const who = learner.parse(id);
      if (who?.platform !== "discord")
        throw new DeliveryError(`not a Discord learner: ${id}`, true, "learner");
      try {
        await sendToUser(who.user, { learner: id, platform: "discord" }, parts);
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
    async postToChannel(tenant, channelId, parts) {
      try {
        const channel = await outbox.channel(channelId);
        if (!("guild_id" in channel) || channel.guild_id !== tenant)
          throw new DeliveryError(
            `channel ${channelId} is not in server ${tenant}`,
            true,
            "tenant",
          );
        await sendParts(channelId, undefined, parts);
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
  };

  return {
    client,
    messenger,
    async start() {
      const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        client.once(Events.ClientReady, () => resolve());
        timer = setTimeout(
          () => reject(new Error(`Discord was not ready within ${readyTimeoutMs / 1000} s`)),
          readyTimeoutMs,
        );
      });
      try {
        // Both awaited together, so a timeout while logging in is never left unhandled.
        await Promise.all([client.login(token), ready]);
      } catch (err) {
        stopping = true;
        await client.destroy().catch(() => undefined);
        throw err;
      } finally {
        clearTimeout(timer);
      }
      log.info(
        { user: client.user?.tag, guilds: client.guilds.cache.size },
        "discord adapter started",
      );
    },
    async stop() {
      stopping = true;
      await client.destroy();
    },
    ready() {
      return client.isReady() && client.ws.status === Status.Ready;
    },
  };
}
