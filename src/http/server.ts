import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ConfigError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { sameSecret } from "./secret.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpOptions {
  port: number;
  host?: string;
  log: Logger;
  metrics: Metrics;
  /** Process up and Redis answering. */
  healthy: () => Promise<boolean>;
  /** Adapters connected and workers running. */
  ready: () => Promise<boolean>;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Extra routes by "METHOD /path", e.g. "POST /slack/events". */
  routes?: Record<string, Handler>;
  /** Handlers for a path and everything under it, any method (e.g. "/admin/queues"). */
  mounts?: Record<string, Handler>;
}

/** The handler mounted at `path` or at one of its parent paths. */
function mounted(mounts: Record<string, Handler>, path: string): Handler | undefined {
  for (const [at, handler] of Object.entries(mounts))
    if (path === at || path.startsWith(`${at}/`)) return handler;
  return undefined;
}

export interface HttpServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? "";
  return sameSecret(header.startsWith("Bearer ") ? header.slice(7).trim() : "", token);
}

/** GET /metrics: Prometheus text, behind the bearer token when one is configured. */
async function serveMetrics(opts: HttpOptions, req: IncomingMessage, res: ServerResponse) {
  if (opts.metricsToken && !bearerMatches(req, opts.metricsToken)) {
    res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "text/plain" });
    res.end("metrics need Authorization: Bearer <METRICS_TOKEN>\n");
    return;
  }
  send(res, 200, await opts.metrics.registry.metrics(), opts.metrics.registry.contentType);
}

/** PORT taken or not allowed: a one-line reason instead of a stack. */
function listenError(err: NodeJS.ErrnoException, port: number): Error {
  if (err.code === "EADDRINUSE")
    return new ConfigError([
      `PORT: ${port} is already in use (stop what listens there, or set PORT)`,
    ]);
  if (err.code === "EACCES")
    return new ConfigError([`PORT: ${port} needs privileges (use a port above 1023)`]);
  return err;
}

/** The one HTTP server: /healthz, /readyz, /metrics and whatever the adapters mount. */
export async function startHttpServer(opts: HttpOptions): Promise<HttpServer> {
  const routes = opts.routes ?? {};
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes[`${req.method} ${path}`] ?? mounted(opts.mounts ?? {}, path);
    const handle = async () => {
      if (route) return route(req, res);
      if (req.method === "GET" && path === "/healthz") {
        const ok = await opts.healthy().catch(() => false);
        return send(res, ok ? 200 : 503, ok ? "ok\n" : "redis unavailable\n");
      }
      if (req.method === "GET" && path === "/readyz") {
        const ok = await opts.ready().catch(() => false);
        return send(res, ok ? 200 : 503, ok ? "ready\n" : "not ready\n");
      }
      if (req.method === "GET" && path === "/metrics") return serveMetrics(opts, req, res);
      send(res, 404, "not found\n");
    };
    handle().catch((err: unknown) => {
      opts.log.error({ err, path }, "http handler failed");
      if (!res.headersSent) send(res, 500, "internal error\n");
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once("error", (err) => fail(listenError(err, opts.port)));
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => ok());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  const host = typeof addr === "object" && addr ? addr.address : opts.host;
  opts.log.info({ host, port, metricsToken: Boolean(opts.metricsToken) }, "http server listening");
  return {
    server,
    port,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
      }),
  };
}
