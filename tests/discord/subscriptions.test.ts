import { describe, expect, it } from "vitest";
import { until } from "../fakes/discord.js";
import { data, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("/pyjs subscribe", () => {
  it("passes the query through the shared grammar (subscribe with an IANA zone)", async () => {
    const dave = h.fake.user("dave");
    const id = h.fake.slash(dave, "subscribe 07:30 europe/berlin");
    const cb = await until(() => h.fake.callbacks(id)[0], "subscribe reply");
    expect(cb.type).toBe(4);
    expect(String(data(cb).content)).toContain("07:30 (Europe/Berlin)");
    const bad = h.fake.slash(dave, "subscribe 07:30 Mars/Olympus");
    const no = await until(() => h.fake.callbacks(bad)[0], "bad zone reply");
    expect(String(data(no).content)).toContain("not a time zone I know");
  });
});

itNeverMentions(h);
