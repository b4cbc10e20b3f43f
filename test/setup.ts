import nock from "nock";
import { afterEach, beforeAll, expect } from "vitest";

// No test may reach a network: every GitHub call must be answered by a nock interceptor.
// Test files share a worker (isolate: false), so the listener is registered once per worker.
const state = globalThis as typeof globalThis & { __gitopsBotUnmatched?: string[] };
const unmatched = (state.__gitopsBotUnmatched ??= (() => {
  const list: string[] = [];
  nock.emitter.on(
    "no match",
    (req: {
      method?: string;
      path?: string;
      host?: string;
      options?: { method?: string; path?: string; host?: string; hostname?: string };
    }) => {
      const method = req.method ?? req.options?.method ?? "?";
      const path = req.path ?? req.options?.path ?? "?";
      // The App's own HTTP server on loopback (tests of its endpoints) is reached for real.
      const host = req.options?.hostname ?? req.options?.host ?? req.host ?? "";
      if (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return;
      list.push(`${method} ${path}`);
    },
  );
  return list;
})());

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  const misses = unmatched.splice(0);
  nock.cleanAll();
  expect(misses, "requests that matched no nock interceptor").toEqual([]);
  expect(pending, "nock interceptors that were never called").toEqual([]);
});
