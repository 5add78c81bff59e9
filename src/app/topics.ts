import type { Deck } from "../core/deck.js";
import { NEW_PER_DAY } from "../core/grammar.js";
import type { CardState } from "../core/scheduler.js";
import { findDeck, formatTopics, parseTopics, toggleTopic, topicRows } from "../core/topics.js";
import type { ReviewStore } from "../store/reviews.js";
import type { SettingsStore } from "../store/settings.js";
import { type Reply, reply, text } from "./reply.js";
import type { Actor } from "./types.js";

export interface TopicsDeps {
  deck: Deck;
  settings: SettingsStore;
  reviews: ReviewStore;
  decode: (learner: string, raw: Record<string, string>) => Map<string, CardState>;
}

/** `topics`, `topics add|remove <deck>`, `topics all`, `set new <N>`. Progress is never touched. */
export class Topics {
  constructor(private readonly d: TopicsDeps) {}

  async list(actor: Actor, note?: string): Promise<Reply> {
    const [settings, raw] = await Promise.all([
      this.d.settings.get(actor.learner),
      this.d.reviews.states(actor.learner),
    ]);
    const rows = topicRows(
      this.d.deck,
      parseTopics(settings.topics),
      this.d.decode(actor.learner, raw),
    );
    return reply({ kind: "topics", topics: rows, newPerDay: settings.newPerDay, note });
  }

  async toggle(actor: Actor, typed: string, on: boolean): Promise<Reply> {
    const found = findDeck(this.d.deck, typed);
    if (!found) {
      const names = this.d.deck.decks.map((d) => `\`${d.name}\``).join(", ");
      return text(`There is no deck called "${typed}". The decks are: ${names}.`);
    }
    const settings = await this.d.settings.get(actor.learner);
    const next = toggleTopic(this.d.deck, parseTopics(settings.topics), found.name, on);
    if (next && next.length === 0)
      return text("That is your last topic: add another one first (or `topics all`).");
    await this.d.settings.update(actor.learner, { topics: formatTopics(next) });
    const note = on
      ? `Added ${found.title}: its new cards join your daily quiz.`
      : `Removed ${found.title}: no new cards from it; cards you have seen keep their progress and due dates.`;
    return this.list(actor, note);
  }

  async all(actor: Actor): Promise<Reply> {
    await this.d.settings.update(actor.learner, { topics: "" });
    return this.list(actor, "You now study every deck, essentials first.");
  }

  async setNew(actor: Actor, perDay: number): Promise<Reply> {
    const n = Math.min(NEW_PER_DAY.max, Math.max(NEW_PER_DAY.min, Math.round(perDay)));
    await this.d.settings.update(actor.learner, { newPerDay: n });
    return text(`From now on: up to ${n} new card${n === 1 ? "" : "s"} a day.`);
  }
}
