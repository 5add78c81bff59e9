import type { ChildProcess } from "node:child_process";

/** Child processes this bench started, so Ctrl-C can stop them (by their own handle). */
const children = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export function stopChildren(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
}

/** The next IPC message of `type` from `child` (rejects if it exits first or takes too long). */
export function nextMessage<T extends { type: string }>(
  child: ChildProcess,
  type: T["type"],
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`child sent no "${type}" within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onMessage = (m: unknown) => {
      const msg = m as T;
      if (msg && typeof msg === "object" && msg.type === type) {
        cleanup();
        resolve(msg);
      } else if (msg && typeof msg === "object" && (msg as { type?: string }).type === "error") {
        cleanup();
        reject(new Error(`child failed: ${(msg as unknown as { message: string }).message}`));
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited (code ${code}) before sending "${type}"`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}
