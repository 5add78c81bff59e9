import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDecks } from "../src/cards/load.js";
import { BUNDLED_CARDS_DIR } from "../src/config.js";
import { formatDeckError } from "../src/core/deck.js";
import { answerKey } from "../src/core/grading.js";
import { sharedAnswerErrors } from "../src/core/shared-answers.js";
import { runCli } from "./support/cli.js";

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "pyjs-cards-"));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

const goodCard = `
  - id: pipx-to-npx
    term: pipx
    js: npx
    prompt: "pipx is the Python equivalent of ___."
    answer: npx
    explain: Runs CLI tools in isolated environments.
    link: https://pipx.pypa.io/
    tags: [tools]`;

describe("bundled cards", () => {
  const { deck, errors } = readDecks(BUNDLED_CARDS_DIR);

  it("every deck file validates", () => {
    expect(errors.map(formatDeckError)).toEqual([]);
    expect(deck.cards.length).toBeGreaterThanOrEqual(40);
  });

  it("covers every idea of the seed glossary", () => {
    const terms = new Set(deck.cards.map((c) => c.term.toLowerCase()));
    for (const t of [
      "pip",
      "venv",
      "requirements.txt",
      "pyproject.toml",
      "setup.py",
      "poetry",
      "poetry.lock",
      "pypi",
      "wheel",
      "egg",
      "pipx",
      "wsgi",
      "asgi",
      "gunicorn",
      "uvicorn",
      "werkzeug",
      "twisted",
      "flask",
      "django",
      "fastapi",
      "asyncio",
      "celery",
    ]) {
      expect(terms, t).toContain(t);
    }
  });

  it("asks both directions: pipx -> npx and npx -> pipx", () => {
    const answers = deck.cards.filter((c) => c.term === "pipx").map((c) => c.answer);
    expect(answers).toEqual(expect.arrayContaining(["npx", "pipx"]));
  });

  it("teaches poetry.lock as yarn.lock, not the seed's 'yaml.lock' slip", () => {
    const text = JSON.stringify(deck.cards).toLowerCase();
    expect(text).not.toContain("yaml.lock");
    const lock = deck.cards.find((c) => c.term === "poetry.lock" && c.js);
    expect(lock?.js?.toLowerCase()).toContain("yarn.lock");
  });

  it("no card accepts another card's answer about the same term unless marked", () => {
    expect(sharedAnswerErrors(deck).map(formatDeckError)).toEqual([]);
  });

  it("no prompt gives its own answer away", () => {
    for (const c of deck.cards) {
      const prompt = answerKey(c.prompt.replace("___", " "));
      expect(prompt.includes(answerKey(c.answer)) && answerKey(c.answer).length > 3, c.id).toBe(
        false,
      );
    }
  });
});

describe("deck validation errors", () => {
  it("names the file, the card and the field", () => {
    const dir = dirWith({
      "broken.yaml": `title: Broken\ncards:\n  - id: no-blank\n    term: pip\n    prompt: "no blank here"\n    answer: npm\n    explain: x\n    link: http://insecure.example\n    tags: []\n`,
    });
    const msgs = readDecks(dir).errors.map(formatDeckError);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/broken\.yaml: card no-blank: field prompt: .*___/),
        expect.stringMatching(/broken\.yaml: card no-blank: field link: .*https/),
        expect.stringMatching(/broken\.yaml: card no-blank: field tags: /),
      ]),
    );
  });

  it("labels a card without a usable id by its position", () => {
    const dir = dirWith({ "a.yaml": `title: A\ncards:\n  - term: pip\n` });
    expect(readDecks(dir).errors.map(formatDeckError)).toEqual(
      expect.arrayContaining([expect.stringMatching(/a\.yaml: card #1: field id: /)]),
    );
  });

  it("rejects duplicate ids across decks", () => {
    const dir = dirWith({
      "a.yaml": `title: A\ncards:${goodCard}\n`,
      "b.yaml": `title: B\ncards:${goodCard}\n`,
    });
    const msgs = readDecks(dir).errors.map(formatDeckError);
    expect(msgs).toEqual([
      expect.stringMatching(
        /b\.yaml: card pipx-to-npx: field id: duplicate id \(first defined in .*a\.yaml\)/,
      ),
    ]);
  });

  it("reports YAML syntax errors with the file and line", () => {
    const dir = dirWith({ "bad.yaml": "title: [unclosed\ncards: x\n" });
    expect(readDecks(dir).errors.map(formatDeckError)[0]).toMatch(
      /bad\.yaml: not valid YAML \(line \d+\)/,
    );
  });

  it("rejects unknown fields (a typo in a field name is not silently ignored)", () => {
    const dir = dirWith({ "a.yaml": `title: A\ncards:${goodCard}\n    explian: typo\n` });
    expect(readDecks(dir).errors.map(formatDeckError)[0]).toMatch(/card pipx-to-npx: .*explian/);
  });
});

/** Two cards about pipx, the first accepting `extra` (and marking `marks`). */
const pipxPair = (extra: string, marks = "") => `title: P
cards:
  - id: pipx-to-npx
    term: pipx
    js: npx
    prompt: "pipx is the Python equivalent of ___."
    answer: npx
    accept: [${extra}]${marks}
    explain: Runs CLI tools in isolated environments.
    link: https://pipx.pypa.io/
    tags: [tools]
  - id: npx-to-pipx
    term: PipX
    js: npx
    prompt: "npx's Python counterpart is ___."
    answer: pipx
    explain: Runs CLI tools in isolated environments.
    link: https://pipx.pypa.io/
    tags: [tools]
  - id: pip-to-npm
    term: pip
    prompt: "pip is the Python equivalent of ___."
    answer: npm
    accept: ["npx"]
    explain: Installs packages.
    link: https://pip.pypa.io/
    tags: [tools]
`;

describe("the shared-answer gate", () => {
  const gate = (yaml: string) =>
    sharedAnswerErrors(readDecks(dirWith({ "p.yaml": yaml })).deck).map(formatDeckError);

  it("names the file, card and field of an accepted answer that is a same-term card's answer", () => {
    expect(gate(pipxPair('"pipx", "npx run"'))).toEqual([
      expect.stringMatching(
        /p\.yaml: card pipx-to-npx: field accept: "pipx" is also the answer of npx-to-pipx \("pipx"\), about the same term "pipx"/,
      ),
    ]);
    // Spellings the grader folds collide too.
    expect(gate(pipxPair('"PipX."'))).toHaveLength(1);
  });

  it("fails `pyjs cards check` (exit 1)", async () => {
    const r = await runCli(["cards", "check", dirWith({ "p.yaml": pipxPair('"pipx"') })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/p\.yaml: card pipx-to-npx: field accept: "pipx" is also the answer/);
    expect(r.stderr).toContain("1 problem found.");
  }, 60_000);

  it("leaves other terms' answers alone (pip-to-npm accepting npx is not about pipx)", () => {
    expect(gate(pipxPair('"npx run"'))).toEqual([]);
  });

  it("accepts a marked entry, and refuses marks that are stale", () => {
    const marked = '\n    accept_shared:\n      pipx: "both are run the same way here"';
    expect(gate(pipxPair('"pipx"', marked))).toEqual([]);
    expect(gate(pipxPair('"npx run"', marked))).toEqual([
      expect.stringMatching(/card pipx-to-npx: field accept_shared: "pipx" is not in accept/),
    ]);
    const harmless = '\n    accept_shared:\n      npx run: "why not"';
    expect(gate(pipxPair('"npx run"', harmless))).toEqual([
      expect.stringMatching(/field accept_shared: "npx run" is no other card's answer/),
    ]);
  });
});
