import { getTransformStream } from "@probot/pino";
import { pino, type Logger } from "pino";
import { deliveryFactsOf } from "../handlers/delivery-facts.js";

/**
 * Fields that may carry a credential, removed from every log line before it is written. GitHub's
 * client library already masks the `authorization` header of a failed request; these cover what Probot's HTTP
 * logger writes of incoming requests (a scraper's bearer token, cookies) and any object a
 * handler might log with a token, key, secret or password in it.
 */
export const REDACTED_PATHS: readonly string[] = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["proxy-authorization"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
  "headers.authorization",
  "*.headers.authorization",
  "err.request.headers.authorization",
  'err.response.headers["set-cookie"]',
  "token",
  "*.token",
  "privateKey",
  "*.privateKey",
  "secret",
  "*.secret",
  "password",
  "*.password",
];

/** Probot's HTTP log line of a successful probe or scrape, e.g. `GET /readyz 200 - 1ms`. */
const ROUTINE_LINE = /^(?:GET|HEAD) \/(?:healthz|readyz|metrics)(?:\?\S*)? 2\d\d /;

/**
 * True for Probot's log line of a successful probe or scrape: two probes every ten seconds per
 * replica would otherwise bury the handling lines. Failed probes are still logged.
 */
export function isRoutineProbeLine(args: readonly unknown[]): boolean {
  const message = args.find((a) => typeof a === "string");
  return typeof message === "string" && ROUTINE_LINE.test(message);
}

/**
 * The App's pino logger: Probot's own format (pretty for development, JSON in production or
 * with LOG_FORMAT=json, Sentry with SENTRY_DSN) with the fields above redacted. Reads the same
 * variables as `probot run`: LOG_LEVEL, LOG_FORMAT, LOG_LEVEL_IN_STRING, LOG_MESSAGE_KEY, SENTRY_DSN.
 * Successful probes and scrapes are not logged.
 */
export async function createLogger(params: { env: NodeJS.ProcessEnv; destination?: NodeJS.WritableStream }): Promise<Logger> {
  const { env } = params;
  const format = env["LOG_FORMAT"]
    ? env["LOG_FORMAT"] === "pretty"
      ? "pretty"
      : "json"
    : env["NODE_ENV"] === "production"
      ? "json"
      : "pretty";
  const transform = await getTransformStream({
    logFormat: format,
    logLevelInString: env["LOG_LEVEL_IN_STRING"] === "true",
    ...(env["SENTRY_DSN"] ? { sentryDsn: env["SENTRY_DSN"] } : {}),
  });
  transform.pipe(params.destination ?? (pino.destination(1) as unknown as NodeJS.WritableStream));
  return pino(
    {
      level: env["LOG_LEVEL"] || "info",
      name: "probot",
      messageKey: env["LOG_MESSAGE_KEY"] || "msg",
      redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          if (isRoutineProbeLine(args)) return;
          // Probot logs a failed delivery outside the handler: give that line the handling's facts.
          const facts = deliveryFactsOf(args[0]);
          if (facts === null) return method.apply(this, args);
          const rest = args.slice(1);
          const message = typeof rest[0] === "string" ? rest : [(args[0] as Error).message, ...rest];
          method.apply(this, [{ ...facts, err: args[0] }, ...message] as unknown as Parameters<typeof method>);
        },
      },
    },
    transform,
  );
}
