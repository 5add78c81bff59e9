import { addDays, MAX_VACATION_DAYS, nextDate } from "../core/controls.js";
import type { Card, Deck } from "../core/deck.js";
import { nextDelivery } from "../core/delivery-time.js";
import { ratingName } from "../core/grading.js";
import { isLeech } from "../core/leech.js";
import { localDate } from "../core/localtime.js";
import type { CardState, Grade } from "../core/scheduler.js";
import type { SessionLimits } from "../core/session.js";
import type { ControlsStore, UndoStatus } from "../store/controls.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { Settings, SettingsStore } from "../store/settings.js";
import type { SnapshotStore } from "../store/snapshot.js";
import type { Quiz } from "./quiz.js";
import type { Part, Reply } from "./reply.js";
import { text } from "./reply.js";
import type { Actor } from "./types.js";

export interface ControlsDeps {
  deck: Deck;
  settings: SettingsStore;
  snapshots: SnapshotStore;
  controls: ControlsStore;
  schedule?: ScheduleStore | undefined;
  quiz: Quiz;
  limits: SessionLimits;
  defaultTz: string;
  /** Lapses that make a card a leech (0: off). */
  leechThreshold: number;
}

/** What an undo that did nothing tells the learner (undefined: say nothing). */
const UNDO_REFUSED: Record<Exclude<UndoStatus, "ok">, string | undefined> = {
  "not-answered": undefined,
  "not-last": "Only your last rating can be undone.",
  "old-day": "Only today's ratings can be undone.",
  expired: "That rating can no longer be undone.",
  "no-record": "That rating can no longer be undone.",
  nothing: "That rating can no longer be undone.",
};

const SHOWN_IN_LISTS = 20;

/**
 * Learner controls: `undo` (and the Undo button on every result), `skip` (and the Skip
 * button), `suspend`/`unsuspend`/`suspended` (and Don't ask again), and vacations
 * (`pause 7d`, `pause until …`). Each asks the next card itself, so they answer like
 * the quiz: a note where the learner asked, the next question in the DM.
 */
export class Controls {
  constructor(private readonly d: ControlsDeps) {}

  private async today(actor: Actor, now: Date): Promise<{ settings: Settings; today: string }> {
    const settings = await this.d.settings.get(actor.learner);
    return { settings, today: localDate(now, this.d.quiz.tzOf(actor, settings)) };
  }

  /** The quiz's next question (or the day's summary), for the DM. */
  private async next(actor: Actor, now: Date): Promise<Part[]> {
    return (await this.d.quiz.start(actor, now)).dm ?? [];
  }

  /** `undo` (no prompt: the last review) or the Undo button (that review's prompt). */
  async undo(actor: Actor, now: Date, promptId?: string): Promise<Reply> {
    const pid = promptId ?? (await this.d.controls.lastReviewed(actor.learner));
    if (!pid) return text("Nothing to undo today.");
    const { today } = await this.today(actor, now);
    const res = await this.d.controls.undo(actor.learner, pid, today, now);
    if (res.status !== "ok") {
      const why = UNDO_REFUSED[res.status];
      if (why === undefined) return promptId ? { parts: [] } : text("Nothing to undo today.");
      return text(why);
    }
    const card = this.d.deck.byId.get(res.card ?? "");
    const rated = res.rating ? ratingName(res.rating as Grade) : "rating";
    return {
      parts: [
        {
          kind: "text",
          text: `Undone: your ${rated} on “${card?.term ?? res.card}” is taken back (points, streak and today's count too). Here it is again.`,
        },
      ],
      dm: await this.next(actor, now),
    };
  }

  /** `skip` / the Skip button: the open card waits until tomorrow, unrated. */
  async skip(actor: Actor, now: Date, promptId?: string): Promise<Reply> {
    const snap = await this.d.snapshots.read(actor.learner, promptId);
    const p = snap.prompt;
    if (!p || p.status === "answered" || (!promptId && p.id !== snap.currentId))
      return promptId ? { parts: [] } : text("No open card to skip. Type `quiz` for one.");
    const { today } = await this.today(actor, now);
    const stale = Object.entries(snap.settings.buried ?? {})
      .filter(([, until]) => until <= today)
      .map(([card]) => card);
    await this.d.controls.bury(actor.learner, p.card, nextDate(today), p.id, stale);
    const term = this.d.deck.byId.get(p.card)?.term ?? p.card;
    return {
      parts: [{ kind: "text", text: `Skipped “${term}”: it comes back tomorrow.` }],
      dm: await this.next(actor, now),
    };
  }

  /**
   * Don't ask again: suspends the card of a question and asks the next one. On an
   * answered card (the leech note's button) it suspends that card and leaves the open
   * question as it is; a second click says nothing.
   */
  async suspendPrompt(actor: Actor, now: Date, promptId: string): Promise<Reply> {
    const snap = await this.d.snapshots.read(actor.learner, promptId);
    const p = snap.prompt;
    if (!p) return { parts: [] };
    if (p.status === "answered") {
      if (snap.settings.suspended?.includes(p.card)) return { parts: [] };
      await this.d.controls.suspend(actor.learner, [p.card]);
      return text(`${this.suspendedNote([p.card])} \`unsuspend ${p.card}\` brings it back.`);
    }
    await this.d.controls.suspend(actor.learner, [p.card], p.id);
    return {
      parts: [
        {
          kind: "text",
          text: `${this.suspendedNote([p.card])} \`unsuspend ${p.card}\` brings it back.`,
        },
      ],
      dm: await this.next(actor, now),
    };
  }

  /** `suspend <term or card id>`: every card of a term, or one card. */
  async suspend(actor: Actor, now: Date, target: string): Promise<Reply> {
    const cards = this.resolve(target);
    if (!cards.length) return this.notFound(target);
    const ids = cards.map((c) => c.id);
    const snap = await this.d.snapshots.read(actor.learner);
    const open = snap.prompt && snap.prompt.id === snap.currentId ? snap.prompt : undefined;
    const dropOpen = open && open.status !== "answered" && ids.includes(open.card);
    await this.d.controls.suspend(actor.learner, ids, dropOpen ? open.id : undefined);
    const note = `${this.suspendedNote(ids)} \`unsuspend ${target}\` brings ${ids.length > 1 ? "them" : "it"} back.`;
    if (!dropOpen) return text(note);
    return { parts: [{ kind: "text", text: note }], dm: await this.next(actor, now) };
  }

  async unsuspend(actor: Actor, target: string): Promise<Reply> {
    const cards = this.resolve(target);
    if (!cards.length) return this.notFound(target);
    const settings = await this.d.settings.get(actor.learner);
    const held = new Set(settings.suspended ?? []);
    const ids = cards.map((c) => c.id).filter((id) => held.has(id));
    if (!ids.length) return text(`Nothing of “${target}” is suspended.`);
    await this.d.controls.unsuspend(actor.learner, ids);
    return text(`Back in your reviews: ${this.cardList(ids)}.`);
  }

  /** `suspended`: the cards never asked now, and the leeches (suspended or not). */
  async suspended(actor: Actor): Promise<Reply> {
    const snap = await this.d.snapshots.read(actor.learner);
    const ids = snap.settings.suspended ?? [];
    const leeches = this.leeches(this.d.quiz.decode(actor.learner, snap.states));
    const leechLines = leeches.length
      ? [
          `Leeches, cards forgotten ${this.d.leechThreshold} times or more (${leeches.length}):`,
          ...this.listLines(
            leeches.map((l) => l.card),
            (i) => ` · ${leeches[i]?.lapses} lapses`,
          ),
        ]
      : [];
    if (!ids.length) {
      return text(
        ["No suspended cards. `suspend <term or card id>` hides one.", ...leechLines].join("\n"),
      );
    }
    return text(
      [
        `Suspended (${ids.length}):`,
        ...this.listLines(ids),
        "`unsuspend <term or card id>` brings one back.",
        ...leechLines,
      ].join("\n"),
    );
  }

  /** Bulleted card lines, at most SHOWN_IN_LISTS and a "more" line. */
  private listLines(ids: readonly string[], after?: (index: number) => string): string[] {
    const lines = ids
      .slice(0, SHOWN_IN_LISTS)
      .map((id, i) => `${this.cardLine(id)}${after?.(i) ?? ""}`);
    const more = ids.length > SHOWN_IN_LISTS ? [`…and ${ids.length - SHOWN_IN_LISTS} more.`] : [];
    return [...lines, ...more];
  }

  private cardLine(id: string): string {
    const c = this.d.deck.byId.get(id);
    return `• ${id}${c ? ` — ${c.term}: ${c.prompt}` : " (no longer in the deck)"}`;
  }

  /** The learner's leeches (lapses at or over the threshold), most lapses first. */
  private leeches(states: ReadonlyMap<string, CardState>): { card: string; lapses: number }[] {
    return [...states]
      .filter(([, st]) => isLeech(st.lapses, this.d.leechThreshold))
      .map(([card, st]) => ({ card, lapses: st.lapses }))
      .sort((a, b) => b.lapses - a.lapses || a.card.localeCompare(b.card));
  }

  /** `pause 7d` / `pause until 2026-12-28`: no daily quiz until then; resumes by itself. */
  async vacation(actor: Actor, now: Date, days?: number, until?: string): Promise<Reply> {
    const { settings, today } = await this.today(actor, now);
    const back = until ?? addDays(today, days ?? 1);
    if (back <= today) return text("That date has passed. Use `pause until` a later date.");
    if (back > addDays(today, MAX_VACATION_DAYS))
      return text(`A vacation can last up to ${MAX_VACATION_DAYS} days.`);
    await this.d.settings.update(actor.learner, {
      vacationFrom: today,
      pausedUntil: back,
      paused: false,
      pausedReason: "",
    });
    if (settings.subscribed && settings.paused) {
      const zone = settings.tz ?? this.d.defaultTz;
      await this.d.schedule?.set(actor.learner, nextDelivery(now, settings.time ?? "09:00", zone));
    }
    const daily = settings.subscribed
      ? `No daily quiz until ${back}; it resumes by itself that day.`
      : "You have no daily quiz; `quiz` still works.";
    return text(
      `Enjoy the break! ${daily} Your streak is kept over the paused days. Cards that fall due meanwhile come back spread over the following days, at most ${this.d.limits.maxReviewsPerDay} reviews a day, the longest-waiting first. \`resume\` ends the vacation early.`,
    );
  }

  /** Cards a `suspend` target names: a card id, else every card of a term (or alias). */
  private resolve(target: string): Card[] {
    const t = target.trim().toLowerCase();
    const byId = this.d.deck.byId.get(t);
    if (byId) return [byId];
    return this.d.deck.cards.filter(
      (c) => c.term.toLowerCase() === t || c.aliases.some((a) => a.toLowerCase() === t),
    );
  }

  private notFound(target: string): Reply {
    return text(
      `No card or term “${target}”. \`/pyjs ${target}\` looks it up; card ids are shown by \`suspended\`.`,
    );
  }

  private suspendedNote(ids: string[]): string {
    return `Suspended ${ids.length === 1 ? "1 card" : `${ids.length} cards`}: ${this.cardList(ids)}. Never asked again; the history stays.`;
  }

  private cardList(ids: string[]): string {
    const shown = ids.slice(0, SHOWN_IN_LISTS).map((id) => {
      const c = this.d.deck.byId.get(id);
      return c ? `${id} (“${c.prompt}”)` : id;
    });
    return ids.length > SHOWN_IN_LISTS
      ? `${shown.join(", ")} and ${ids.length - SHOWN_IN_LISTS} more`
      : shown.join(", ");
  }
}
