/**
 * A process with pyjs's process guard installed that then suffers an unhandled
 * rejection and an uncaught exception; it prints "still alive" if it survives both.
 */
import { pino } from "pino";
import { guardProcess } from "../../src/main/process.js";

guardProcess(pino({ level: "info" }));
void Promise.reject(new Error("nobody caught this rejection"));
setTimeout(() => {
  throw new Error("thrown from a timer");
}, 10);
setTimeout(() => {
  process.stdout.write("still alive\n");
  process.exit(0);
}, 500);
