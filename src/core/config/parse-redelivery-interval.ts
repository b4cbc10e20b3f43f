/** The App redelivers failed deliveries every this many seconds unless REDELIVERY_INTERVAL says otherwise. */
export const DEFAULT_REDELIVERY_INTERVAL = 300;
/** Shorter runs would spend the App's rate limit on listings and gain little: GitHub keeps deliveries for days. */
const MIN_REDELIVERY_INTERVAL = 30;

/**
 * Reads REDELIVERY_INTERVAL: seconds between redelivery runs; empty means the default, 0 switches
 * redelivery off. Anything else is refused with a message naming the variable.
 */
export function parseRedeliveryInterval(value: string | undefined): { ok: true; seconds: number } | { ok: false; message: string } {
  const text = (value ?? "").trim();
  if (text === "") return { ok: true, seconds: DEFAULT_REDELIVERY_INTERVAL };
  if (!/^\d{1,6}$/.test(text))
    return {
      ok: false,
      message: `REDELIVERY_INTERVAL must be a whole number of seconds (0 switches redelivery off), not ${JSON.stringify(text.slice(0, 40))}.`,
    };
  const seconds = Number(text);
  if (seconds !== 0 && seconds < MIN_REDELIVERY_INTERVAL)
    return { ok: false, message: `REDELIVERY_INTERVAL must be 0 (off) or at least ${MIN_REDELIVERY_INTERVAL} seconds, not ${seconds}.` };
  return { ok: true, seconds };
}
