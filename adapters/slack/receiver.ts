import {
  type AppOptions,
  type Logger as BoltLogger,
  HTTPReceiver,
  SocketModeReceiver,
  type webApi,
} from "@slack/bolt";
import type { Env } from "../../src/config.js";
import type { Handler } from "../../src/http/server.js";

/** The one path Slack posts slash commands, interactivity and events to (HTTP mode). */
export const EVENTS_PATH = "/slack/events";

/** How Slack's requests reach Bolt: HTTP on the shared server, or a Socket Mode connection. */
export interface SlackReceiver {
  readonly mode: "http" | "socket";
  /** The Bolt App options that plug this receiver in. */
  readonly appOptions: Pick<AppOptions, "receiver" | "socketMode" | "appToken">;
  /** Routes for the shared HTTP server (empty in Socket Mode). */
  readonly routes: Record<string, Handler>;
  /** HTTP: always. Socket Mode: while the socket is open. */
  connected(): boolean;
  /** Forgets the connection (on stop), before the socket says so itself. */
  disconnected(): void;
}

interface ReceiverOptions {
  env: Env;
  logger: BoltLogger;
  /** The web client options of the App, which the socket's own client must share. */
  clientOptions: webApi.WebClientOptions;
}

/** Socket Mode with the app-level token; tracks whether the socket is connected. */
function socketReceiver(appToken: string, opts: ReceiverOptions): SlackReceiver {
  let connected = false;
  const receiver = new SocketModeReceiver({
    appToken,
    logger: opts.logger,
    // Its own web client (apps.connections.open) must reach the same API base.
    installerOptions: { clientOptions: { ...opts.clientOptions } },
  });
  receiver.client.on("connected", () => {
    connected = true;
  });
  for (const state of ["connecting", "reconnecting", "disconnecting", "disconnected"])
    receiver.client.on(state, () => {
      connected = false;
    });
  return {
    mode: "socket",
    appOptions: { socketMode: true, appToken, receiver },
    routes: {},
    connected: () => connected,
    disconnected: () => {
      connected = false;
    },
  };
}

/** Signed HTTP requests, served by Bolt's request listener at POST {@link EVENTS_PATH}. */
function httpReceiver(opts: ReceiverOptions): SlackReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: opts.env.SLACK_SIGNING_SECRET ?? "",
    endpoints: EVENTS_PATH,
    logger: opts.logger,
  });
  return {
    mode: "http",
    appOptions: { receiver },
    routes: { [`POST ${EVENTS_PATH}`]: (req, res) => receiver.requestListener(req, res) },
    connected: () => true,
    disconnected: () => {},
  };
}

/** Socket Mode when SLACK_APP_TOKEN is set, HTTP otherwise. */
export function createReceiver(opts: ReceiverOptions): SlackReceiver {
  const appToken = opts.env.SLACK_APP_TOKEN;
  return appToken ? socketReceiver(appToken, opts) : httpReceiver(opts);
}
