import { describe, expect, it } from "vitest";
import { until } from "../fakes/discord.js";
import { itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("the gateway connection", () => {
  it("discovers the gateway from GET /gateway/bot and connects with JSON, no compression", () => {
    expect(h.fake.requests.some((r) => r.method === "GET" && r.path === "/gateway/bot")).toBe(true);
    expect(h.fake.gatewayQueries[0]).toBe("v=10&encoding=json");
    // Guilds (1) | DirectMessages (4096); no privileged MessageContent (32768).
    expect(h.fake.identifies[0]?.intents).toBe(1 | 4096);
    expect(h.fake.identifies[0]?.token).toBe(h.fake.token);
    expect(h.discord.ready()).toBe(true);
  });
});

describe("resilience", () => {
  it("resumes after the gateway drops the connection and keeps answering", async () => {
    h.fake.dropConnections(4000);
    await until(() => h.fake.resumes > 0 && h.fake.connectedClients() === 1, "resumed session");
    await until(() => h.discord.ready(), "ready again");
    const id = h.fake.slash(h.fake.user("olga"), "npx");
    expect((await until(() => h.fake.callbacks(id)[0], "lookup after resume")).type).toBe(4);
  });
});

itNeverMentions(h);
