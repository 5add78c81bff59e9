import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDiscord, type DiscordAdapter } from "../../adapters/discord/index.js";
import type { App } from "../../src/app/service.js";
import { learner } from "../../src/core/learner.js";
import { createMetrics, type Metrics } from "../../src/metrics.js";
import { makeKeys } from "../../src/store/keys.js";
import { PromptStore } from "../../src/store/prompts.js";
import { ReviewStore } from "../../src/store/reviews.js";
import { TeamStore } from "../../src/store/teams.js";
import {
  FakeDiscord,
  type FakeUser,
  type InteractionOptions,
  type Json,
  until,
} from "../fakes/discord.js";
import { bundledDeck, testApp } from "../support/app.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/** Shared setup of the Discord adapter tests: the fake Discord, the adapter, the real app. */

export const data = (cb: Json | undefined) => (cb?.data ?? {}) as Json;
export const embeds = (body: Json) => (body.embeds ?? []) as Json[];
export const customIds = (body: Json) =>
  ((body.components ?? []) as { components: { custom_id?: string; label?: string }[] }[]).flatMap(
    (r) => r.components.map((c) => c.custom_id ?? ""),
  );
export const labels = (body: Json) =>
  ((body.components ?? []) as { components: { label?: string }[] }[]).flatMap((r) =>
    r.components.map((c) => c.label ?? ""),
  );
export const promptIdIn = (body: Json) =>
  customIds(body)
    .map((id) => /^pyjs:show:(.+)$/.exec(id)?.[1])
    .find(Boolean);

/** The fake Discord alone (for tests that only call its REST API), started per file. */
export function useFakeDiscord(): { fake: FakeDiscord } {
  const h = {} as { fake: FakeDiscord };
  beforeAll(async () => {
    h.fake = await FakeDiscord.start();
  });
  afterAll(async () => {
    await h.fake?.close();
  });
  return h;
}

/** A started adapter on the fake Discord and a test Redis; its fields are set in beforeAll. */
export class DiscordHarness {
  readonly redis;
  readonly prefix;
  readonly prompts: PromptStore;
  readonly reviews: ReviewStore;
  readonly teams: TeamStore;
  fake!: FakeDiscord;
  discord!: DiscordAdapter;
  app!: App;
  metrics!: Metrics;

  constructor(private readonly appOptions: Parameters<typeof testApp>[2] = {}) {
    const { redis, prefix } = testRedis();
    this.redis = redis;
    this.prefix = prefix;
    this.prompts = new PromptStore(redis, makeKeys(prefix));
    this.reviews = new ReviewStore(redis, makeKeys(prefix));
    this.teams = new TeamStore(redis, makeKeys(prefix));
  }

  async start(): Promise<void> {
    this.fake = await FakeDiscord.start();
    this.app = testApp(this.redis, this.prefix, this.appOptions);
    this.metrics = createMetrics({ defaults: false });
    this.discord = await createDiscord({
      env: {
        DISCORD_TOKEN: this.fake.token,
        DISCORD_APPLICATION_ID: this.fake.applicationId,
        DISCORD_API_URL: this.fake.apiUrl,
      },
      app: this.app,
      // DISCORD_TEST_LOG=debug shows what the adapter logs while debugging a test.
      log: pino({ level: process.env.DISCORD_TEST_LOG ?? "silent" }),
      metrics: this.metrics,
    });
    await this.discord.start();
  }

  async stop(): Promise<void> {
    await this.discord?.stop();
    await this.fake?.close();
    await dropPrefix(this.redis, this.prefix);
    this.redis.disconnect();
  }

  /** The question messages the bot has posted in a user's DM, as stored by the fake. */
  questions(user: FakeUser): Json[] {
    return this.fake.created(this.fake.dmChannel(user)).filter((m) => promptIdIn(m));
  }

  async nthQuestion(user: FakeUser, n: number): Promise<{ msg: Json; promptId: string }> {
    const msg = await until(
      () => this.questions(user)[n],
      `question #${n + 1} in ${user.username}'s DM`,
    );
    const promptId = promptIdIn(msg);
    if (!promptId) throw new Error("question without a prompt id");
    return { msg, promptId };
  }

  async answerOf(user: FakeUser, promptId: string): Promise<string> {
    const p = await this.prompts.get(learner.discord(user.id), promptId);
    const card = p && bundledDeck().byId.get(p.card);
    if (!card) throw new Error(`no card for prompt ${promptId}`);
    return card.answer;
  }

  /** Starts a quiz from a server channel and returns the first question, once acknowledged. */
  async startQuiz(user: FakeUser, opts: InteractionOptions = {}) {
    const id = this.fake.slash(user, "quiz", opts);
    const first = await this.nthQuestion(user, 0);
    // The acknowledgement comes after the question is sent and its place remembered.
    await until(() => this.fake.originalEdit(id), "quiz acknowledgement");
    return { interaction: id, ...first };
  }
}

/** A harness started before this file's tests and stopped after them. */
export function useDiscord(appOptions: Parameters<typeof testApp>[2] = {}): DiscordHarness {
  const h = new DiscordHarness(appOptions);
  beforeAll(() => h.start());
  afterAll(() => h.stop());
  return h;
}

/** What the bot sent people (messages, edits, webhooks, interaction replies and updates). */
export function sentBodies(fake: FakeDiscord): { where: string; body: Json }[] {
  const bodies: { where: string; body: Json }[] = [];
  for (const r of fake.requests) {
    const body = r.body as Json | undefined;
    if (!body) continue;
    if (/^\/channels\/\d+\/messages/.test(r.path) || r.path.startsWith("/webhooks/")) {
      bodies.push({ where: `${r.method} ${r.path}`, body });
    } else if (r.path.startsWith("/interactions/") && (body.type === 4 || body.type === 7)) {
      bodies.push({ where: body.type === 4 ? "reply" : "update", body: data(body) });
    }
  }
  return bodies;
}

/**
 * The file's last test: nothing the bot sent while the file ran could ping anyone. (Each
 * file has its own fake Discord, so each file checks what it made the bot send.)
 */
export function itNeverMentions(h: { fake: FakeDiscord }): void {
  it("every message, reply, edit and follow-up sent in this file had allowed_mentions {parse: []}", () => {
    const bodies = sentBodies(h.fake);
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b.body.allowed_mentions, b.where).toEqual({ parse: [] });
  });
}
