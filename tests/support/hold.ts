import { vi } from "vitest";
import type { App } from "../../src/app/service.js";

/**
 * Makes the app's next `method` call wait until `release()` (a slow app, without
 * stalling a Redis other tests share); `restore()` puts the real method back.
 */
export function holdNext(app: App, method: "handleAction" | "handleCommand") {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const real = app[method].bind(app) as (...args: unknown[]) => Promise<unknown>;
  const spy = vi.spyOn(app, method).mockImplementationOnce((async (...args: unknown[]) => {
    await gate;
    return real(...args);
  }) as never);
  return { release: () => release(), restore: () => spy.mockRestore() };
}
