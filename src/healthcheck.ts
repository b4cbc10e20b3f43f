/**
 * The container's HEALTHCHECK (`node dist/healthcheck.js`): asks the App's /healthz on its own
 * port and exits 0 when it answers 200, 1 otherwise. A script rather than curl, because the
 * runtime image has no shell and no curl.
 */
const port = Number(process.env["PORT"]) || 3000;
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
  process.exit(response.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
