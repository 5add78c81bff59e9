import {
  type AppOptions,
  type Logger as BoltLogger,
  HTTPReceiver,
  type HTTPReceiverOptions,
  SocketModeReceiver,
  type webApi,
} from "@slack/bolt";
import type { Env } from "../../src/config.js";
import type { Handler } from "../../src/http/server.js";
import { REDIRECT_PATH } from "./manifest.js";
import { readBody, sendRefusal, vet } from "./vet.js";

/** The one path Slack posts slash commands, interactivity and events to (HTTP mode). */
export const EVENTS_PATH = "/slack/events";
/** OAuth installs: the "Add to Slack" page, and where Slack sends the browser back. */
export const INSTALL_PATH = "/slack/install";
export { REDIRECT_PATH };

/** What Bolt's HTTPReceiver needs to run the OAuth flow (OAuth mode). */
export type OAuthReceiverOptions = Pick<
  HTTPReceiverOptions,
  "clientId" | "clientSecret" | "scopes" | "installationStore" | "installerOptions"
>;

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
  /** OAuth installs (HTTP mode only): the installer's options. */
  oauth?: OAuthReceiverOptions | undefined;
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

/**
 * The route in front of Bolt's listener: reads the body once, refuses what is unsigned,
 * stale, from the future or malformed (Bolt would crash or make junk learners), then
 * hands Bolt the buffered request.
 */
function vettedRoute(receiver: HTTPReceiver, secret: string, logger: BoltLogger): Handler {
  return async (req, res) => {
    const raw = await readBody(req);
    if (!raw) return sendRefusal(res, { ok: false, status: 413, reason: "body too large" });
    const verdict = vet(req, raw, secret, Date.now());
    if (!verdict.ok) {
      logger.warn(`Refused a Slack request (${verdict.status}): ${verdict.reason}`);
      return sendRefusal(res, verdict);
    }
    // Bolt reads a buffered request's rawBody instead of the (consumed) stream.
    Object.assign(req, { rawBody: raw });
    receiver.requestListener(req, res);
  };
}

/**
 * Signed HTTP requests, served by Bolt's request listener at POST {@link EVENTS_PATH};
 * with OAuth also the install page and the redirect back from Slack (GET).
 */
function httpReceiver(opts: ReceiverOptions): SlackReceiver {
  const secret = opts.env.SLACK_SIGNING_SECRET ?? "";
  const receiver = new HTTPReceiver({
    signingSecret: secret,
    endpoints: EVENTS_PATH,
    logger: opts.logger,
    ...(opts.oauth
      ? {
          ...opts.oauth,
          installerOptions: {
            ...opts.oauth.installerOptions,
            installPath: INSTALL_PATH,
            redirectUriPath: REDIRECT_PATH,
          },
        }
      : {}),
  });
  const install: Record<string, Handler> = opts.oauth
    ? {
        [`GET ${INSTALL_PATH}`]: (req, res) => receiver.requestListener(req, res),
        [`GET ${REDIRECT_PATH}`]: (req, res) => receiver.requestListener(req, res),
      }
    : {};
  return {
    mode: "http",
    appOptions: { receiver },
    routes: { [`POST ${EVENTS_PATH}`]: vettedRoute(receiver, secret, opts.logger), ...install },
    connected: () => true,
    disconnected: () => {},
  };
}

/** Socket Mode when SLACK_APP_TOKEN is set, HTTP otherwise. */
export function createReceiver(opts: ReceiverOptions): SlackReceiver {
  const appToken = opts.env.SLACK_APP_TOKEN;
  return appToken ? socketReceiver(appToken, opts) : httpReceiver(opts);
}
