/**
 * A count with its thousands grouped, as `count.toLocaleString("en-US")` writes it (`12,345`).
 *
 * Why not `toLocaleString`: its first call loads ICU's number formatting, about 12 ms of CPU, which
 * `gitops-bot check` paid on every run to word a limit it rarely reports. Counts are safe integers;
 * anything else (fractions, -0, NaN, huge numbers) is still handed to `toLocaleString`, so every
 * number reads exactly as before (a test holds the two side by side).
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count) || Object.is(count, -0)) return count.toLocaleString("en-US");
  const digits = String(Math.abs(count));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  return count < 0 ? `-${grouped}` : grouped;
}
