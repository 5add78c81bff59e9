/** What the lookup server process (lookup-server.ts) and the bench say over IPC. */

export const BOT_TOKEN = "xoxb-bench-0000000000-token";

export type ServerMessage =
  | { type: "ready"; port: number; apiBase: string }
  | {
      type: "stats";
      cpu: NodeJS.CpuUsage;
      rss: number;
      /** Web API calls the fake received, by method. */
      apiCalls: Record<string, number>;
    }
  | { type: "error"; message: string };
