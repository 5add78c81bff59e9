import { describe, expect, it } from "vitest";
import { parseCommand } from "../src/core/grammar.js";

describe("/pyjs grammar", () => {
  it.each([
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
    ["HELP", { kind: "help" }],
    ["quiz", { kind: "quiz" }],
    ["unsubscribe", { kind: "unsubscribe" }],
    ["pause", { kind: "pause" }],
    ["resume", { kind: "resume" }],
    ["stats", { kind: "stats" }],
    ["leaderboard", { kind: "leaderboard" }],
    ["leaderboard here", { kind: "leaderboard-here" }],
    ["leaderboard off", { kind: "leaderboard-opt", optIn: false }],
    ["leaderboard ON", { kind: "leaderboard-opt", optIn: true }],
    ["forget me", { kind: "forget-me" }],
    ["pip", { kind: "lookup", term: "pip" }],
    ["  node_modules  ", { kind: "lookup", term: "node_modules" }],
    ["/pyjs pipx", { kind: "lookup", term: "pipx" }],
    ["subscribe", { kind: "subscribe", time: undefined, tz: undefined }],
    ["subscribe 9:05", { kind: "subscribe", time: "09:05", tz: undefined }],
    ["subscribe 09:00 Europe/Berlin", { kind: "subscribe", time: "09:00", tz: "Europe/Berlin" }],
    [
      "subscribe america/new_york 18:30",
      { kind: "subscribe", time: "18:30", tz: "America/New_York" },
    ],
    ["subscribe UTC", { kind: "subscribe", time: undefined, tz: "UTC" }],
  ])("%j", (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it.each([
    ["subscribe 25:00", /not a time/],
    ["subscribe 09:00 Mars/Olympus", /not a time zone/],
    ["subscribe 09:00 Europe/Berlin extra", /not a time zone/],
    ["quiz now", /takes no arguments/],
    ["leaderboard everywhere", /leaderboard here/],
    ["forget", /forget me/],
  ])("usage error for %j", (input, message) => {
    const cmd = parseCommand(input);
    expect(cmd.kind).toBe("usage");
    if (cmd.kind === "usage") expect(cmd.message).toMatch(message);
  });
});
