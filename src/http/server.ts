import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ConfigError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";

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
  /** Extra routes by "METHOD /path", e.g. "POST /slack/events". */
  routes?: Record<string, Handler>;
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

/** The one HTTP server: /healthz, /readyz, /metrics and whatever the adapters mount. */
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

export async function startHttpServer(opts: HttpOptions): Promise<HttpServer> {
  const routes = opts.routes ?? {};
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes[`${req.method} ${path}`];
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
      if (req.method === "GET" && path === "/metrics") {
        return send(
          res,
          200,
          await opts.metrics.registry.metrics(),
          opts.metrics.registry.contentType,
        );
      }
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
    server.listen(opts.port, opts.host ?? "0.0.0.0", () => ok());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  opts.log.info({ port }, "http server listening");
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
