import { type Client, Events, Status } from "discord.js";
import type { Logger } from "../../src/logger.js";

/**
 * The gateway session's lifecycle: log in and wait for READY (within a deadline), log
 * what the shards go through, and log out. A reconnect while stopping is not a warning.
 */
export class Gateway {
  private stopping = false;

  constructor(
    private readonly client: Client,
    private readonly token: string,
    private readonly log: Logger,
    private readonly readyTimeoutMs: number,
  ) {
    this.logEvents();
  }

  /** Logs in and resolves once the gateway session is ready. */
  async start(): Promise<void> {
    const { client, readyTimeoutMs } = this;
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
      await Promise.all([client.login(this.token), ready]);
    } catch (err) {
      this.stopping = true;
      await client.destroy().catch(() => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    this.log.info(
      { user: client.user?.tag, guilds: client.guilds.cache.size },
      "discord adapter started",
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.client.destroy();
  }

  /** Connected to the gateway (for /readyz). */
  ready(): boolean {
    return this.client.isReady() && this.client.ws.status === Status.Ready;
  }

  private logEvents(): void {
    const { client, log } = this;
    client.on(Events.ShardReady, (shard) => log.info({ shard }, "discord gateway ready"));
    client.on(Events.ShardResume, (shard, replayed) =>
      log.info({ shard, replayed }, "discord gateway resumed"),
    );
    client.on(Events.ShardReconnecting, (shard) => {
      if (!this.stopping) log.warn({ shard }, "discord gateway reconnecting");
    });
    client.on(Events.ShardDisconnect, (event, shard) =>
      log.error({ shard, code: event.code }, "discord gateway disconnected for good"),
    );
    client.on(Events.ShardError, (err, shard) => log.warn({ err, shard }, "discord gateway error"));
    client.on(Events.Error, (err) => log.error({ err }, "discord client error"));
    client.on(Events.Warn, (message) => log.warn({ message }, "discord warning"));
    client.on(Events.Debug, (message) => log.trace({ message }, "discord debug"));
  }
}
