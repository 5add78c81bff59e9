import { learner } from "./learner.js";
import { decodeState, State } from "./scheduler.js";

/**
 * The review log as the FSRS optimizer tools read it (fsrs-optimizer, and
 * `convertCsvToFsrsItems` of @open-spaced-repetition/binding): one row per review,
 *   card_id,review_time,review_rating,review_state,review_duration
 * review_time in ms since the epoch, rating 1–4 (Again…Easy), state the card's state
 * *before* the review (0 New, 1 Learning, 2 Review, 3 Relearning: the tools treat 0/1 as
 * the start of learning and drop what came before a card's last one), duration in ms (0:
 * pyjs does not time answers). Rows are ordered by review time. Pure.
 */
export const REVIEWS_CSV_HEADER = "card_id,review_time,review_rating,review_state,review_duration";

/** What a row needs of a review-log entry (amends folded, undos dropped by the reader). */
export interface ExportedReview {
  card: string;
  /** Review time, epoch ms. */
  review: number;
  rating: number;
  /** Encoded card state before the review ("" for a new card). */
  before: string;
  /** Answer time in ms, when known. */
  duration?: number | undefined;
}

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function field(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The state a review found the card in, or undefined when the logged state is unreadable. */
function stateBefore(encoded: string): State | undefined {
  if (!encoded) return State.New;
  try {
    return decodeState(encoded).state;
  } catch {
    return undefined;
  }
}

export interface ReviewsCsv {
  csv: string;
  reviews: number;
  cards: number;
}

/** The CSV (header, then one line per review, "\n"-terminated). */
export function reviewsCsv(entries: readonly ExportedReview[]): ReviewsCsv {
  const rows = entries
    .filter((e) => e.rating >= 1 && e.rating <= 4 && Number.isFinite(e.review))
    .map((e) => ({ e, state: stateBefore(e.before) }))
    .filter((r): r is { e: ExportedReview; state: State } => r.state !== undefined)
    .sort((a, b) => a.e.review - b.e.review);
  const lines = rows.map(({ e, state }) =>
    [field(e.card), Math.round(e.review), e.rating, state, Math.max(0, e.duration ?? 0)].join(","),
  );
  return {
    csv: `${[REVIEWS_CSV_HEADER, ...lines].join("\n")}\n`,
    reviews: rows.length,
    cards: new Set(rows.map((r) => r.e.card)).size,
  };
}

/** `pyjs-reviews-<learner>.csv`, with the learner's name or user id, file-name safe. */
export function exportFileName(learnerId: string): string {
  const name = (learner.shortName(learnerId) ?? learnerId).replace(/[^\p{L}\p{N}_@+-]+/gu, "-");
  return `pyjs-reviews-${name.replace(/^-+|-+$/g, "") || "learner"}.csv`;
}
