const UNITS: readonly [string, number][] = [
  ["y", 365 * 24 * 3600 * 1000],
  ["w", 7 * 24 * 3600 * 1000],
  ["d", 24 * 3600 * 1000],
  ["h", 3600 * 1000],
  ["m", 60 * 1000],
  ["s", 1000],
  ["ms", 1],
];
// Prometheus' model.ParseDuration: units from largest to smallest, each at most once, no spaces.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Milliseconds of a Prometheus duration (`30s`, `1h30m`, `0`), or undefined when Prometheus
 * would reject it (`5x`, `1.5h`, `5 m`, an empty string).
 */
export function parsePrometheusDuration(text: string): number | undefined {
  if (text === "0") return 0;
  if (text === "" || text.length > 64) return undefined;
  const match = DURATION.exec(text);
  if (!match) return undefined;
  let total = 0;
  UNITS.forEach(([, factor], index) => {
    const amount = match[index + 1];
    if (amount !== undefined) total += Number(amount) * factor;
  });
  return total;
}
