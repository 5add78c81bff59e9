import { formatLocal } from "../../src/core/localtime.js";

/**
 * Slack mrkdwn helpers. Slack reads `<…>` as mentions and links and `&…;` as entities,
 * so every piece of user or card text we echo goes through `esc` first: `/pyjs <!channel>`
 * then shows the characters instead of pinging a channel.
 */
export function esc(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** The first `n` UTF-16 units of `text`, never splitting a surrogate pair. */
function head(text: string, n: number): string {
  const cut = text.slice(0, n);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * Text cut to `max` characters with an ellipsis when cut. Lengths are UTF-16 units, which
 * is never fewer than what Slack counts, so the result is always within its limit.
 */
export function clipPlain(text: string, max: number): string {
  return text.length <= max ? text : `${head(text, max - 1)}…`;
}

/**
 * Already-escaped mrkdwn cut to `max` characters with an ellipsis, never leaving half an
 * entity (`&am`) or half a link (`<https://…`) behind.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = head(text, max - 1).replace(/&[a-z]{0,4}$/i, "");
  const open = cut.lastIndexOf("<");
  if (open > cut.lastIndexOf(">")) cut = cut.slice(0, open);
  return `${cut}…`;
}

/** A link with an escaped label; a URL that is not plain http(s) is shown as text. */
export function link(url: string, label = url): string {
  if (!/^https?:\/\/[^\s|<>]+$/i.test(url)) return esc(label);
  return `<${url.replaceAll("&", "&amp;")}|${esc(label)}>`;
}

/**
 * A date Slack shows in each reader's own zone (`<!date^…>`), with `fallback`
 * (the learner's zone as we know it) for clients that cannot.
 */
export function slackDate(when: Date, tz: string): string {
  const secs = Math.floor(when.getTime() / 1000);
  return `<!date^${secs}^{date_short_pretty} at {time}|${esc(formatLocal(when, tz))}>`;
}

/**
 * Text as the person typed it, from Slack's wire format: auto-links become their label
 * (Slack links `setup.py` and `pypi.org` as `<http://setup.py|setup.py>`), then `&lt;`,
 * `&gt;` and `&amp;` are decoded. Mention markup (`<@U1>`, `<!channel>`) stays as text
 * and is escaped again by `esc` wherever it is echoed.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>\s]*)(?:\|([^>]*))?>/gi, (_m, url: string, label?: string) =>
      label !== undefined && label !== "" ? label : url.replace(/^mailto:/i, ""),
    )
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
