import type { IncomingMessage, ServerResponse } from "node:http";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express, { type NextFunction, type Request, type Response } from "express";
import { sameSecret } from "./secret.js";
import type { Handler } from "./server.js";

/** Where the queue dashboard is mounted. */
export const ADMIN_PATH = "/admin/queues";
/** The cookie a `?token=` visit sets, so the dashboard's own requests carry the token. */
const COOKIE = "pyjs_admin";
/** How long the cookie lasts: a working session, not forever. */
const COOKIE_SECONDS = 8 * 3600;

/** The token a request carries: `Authorization: Bearer …`, else the dashboard cookie. */
function carried(req: IncomingMessage): string {
  const header = req.headers.authorization ?? "";
  if (header.startsWith("Bearer ")) return header.slice(7).trim();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === COOKIE) return decodeURIComponent(value.join("="));
  }
  return "";
}

/**
 * The guard in front of the dashboard. `?token=<ADMIN_TOKEN>` (a browser's first visit)
 * sets an HttpOnly, SameSite=Strict cookie scoped to the dashboard and redirects to the
 * same address without the token, so it stays out of history and logs; every other
 * request needs the bearer header or that cookie. Anything else is a 401.
 */
function guard(token: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const url = new URL(req.originalUrl, "http://pyjs.invalid");
    const query = url.searchParams.get("token");
    if (query !== null && sameSecret(query, token)) {
      url.searchParams.delete("token");
      res.setHeader(
        "set-cookie",
        `${COOKIE}=${encodeURIComponent(token)}; Path=${ADMIN_PATH}; Max-Age=${COOKIE_SECONDS}; HttpOnly; SameSite=Strict${req.secure ? "; Secure" : ""}`,
      );
      res.redirect(303, url.pathname + url.search);
      return;
    }
    if (sameSecret(carried(req), token)) return next();
    res
      .status(401)
      .set({ "www-authenticate": "Bearer", "cache-control": "no-store" })
      .type("text/plain")
      .send("the queue dashboard needs ADMIN_TOKEN (Authorization: Bearer, or ?token=)\n");
  };
}

/**
 * The operators' queue dashboard (bull-board) for pyjs's BullMQ queues, as a handler
 * for everything under ADMIN_PATH, behind `token`. Mounted only when ADMIN_TOKEN is set.
 */
export function queueDashboard(token: string, queues: Queue[]): Handler {
  const board = new ExpressAdapter();
  board.setBasePath(ADMIN_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: board });
  const app = express();
  app.disable("x-powered-by");
  app.use(ADMIN_PATH, guard(token), board.getRouter());
  return (req: IncomingMessage, res: ServerResponse) => {
    app(req, res);
  };
}
