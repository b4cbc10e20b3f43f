import type { IncomingMessage, ServerResponse } from "node:http";
import type { ReadinessReport } from "./readiness.js";

/**
 * `/healthz` (liveness: the process answers), `/readyz` (readiness: GitHub and Redis) and
 * `/metrics` (Prometheus text), beside Probot's webhook route. A Probot server handler: it answers
 * its own paths and returns false for every other request.
 */
export function createHttpEndpoints(params: {
  readiness: () => Promise<ReadinessReport>;
  scrape: () => Promise<{ contentType: string; body: string }>;
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    switch (path) {
      case "/healthz":
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("ok\n");
        return true;
      case "/readyz": {
        const report = await params.readiness();
        res
          .writeHead(report.ready ? 200 : 503, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" })
          .end(`${JSON.stringify(report)}\n`);
        return true;
      }
      case "/metrics": {
        const { contentType, body } = await params.scrape();
        res.writeHead(200, { "content-type": contentType }).end(body);
        return true;
      }
      default:
        return false;
    }
  };
}
