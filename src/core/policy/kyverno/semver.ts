/** A strict semantic version as blang/semver (used by Kyverno) parses it. */
export interface Semver {
  major: number;
  minor: number;
  patch: number;
  pre: (string | number)[];
}

const NUMERIC = /^(0|[1-9][0-9]*)$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;

/** Parses `MAJOR.MINOR.PATCH[-pre][+build]`; no `v` prefix, no leading zeros. */
export function parseSemver(text: string): Semver | undefined {
  const plus = text.indexOf("+");
  const withoutBuild = plus >= 0 ? text.slice(0, plus) : text;
  if (
    plus >= 0 &&
    !text
      .slice(plus + 1)
      .split(".")
      .every((p) => IDENTIFIER.test(p))
  )
    return undefined;
  const dash = withoutBuild.indexOf("-");
  const core = dash >= 0 ? withoutBuild.slice(0, dash) : withoutBuild;
  const parts = core.split(".");
  if (parts.length !== 3 || !parts.every((p) => NUMERIC.test(p))) return undefined;
  const pre: (string | number)[] = [];
  if (dash >= 0) {
    for (const id of withoutBuild.slice(dash + 1).split(".")) {
      if (!IDENTIFIER.test(id)) return undefined;
      if (/^[0-9]+$/.test(id)) {
        if (!NUMERIC.test(id)) return undefined;
        pre.push(Number(id));
      } else pre.push(id);
    }
  }
  const [major = 0, minor = 0, patch = 0] = parts.map(Number);
  return { major, minor, patch, pre };
}

/** -1, 0 or 1 following semver precedence (pre-releases sort before the release). */
export function compareSemver(a: Semver, b: Semver): number {
  for (const key of ["major", "minor", "patch"] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  if (a.pre.length === 0 || b.pre.length === 0) {
    return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i] as string | number;
    const y = b.pre[i] as string | number;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

type Comparator = (v: Semver) => boolean;

function comparator(op: string, version: Semver): Comparator {
  switch (op) {
    case ">":
      return (v) => compareSemver(v, version) > 0;
    case ">=":
      return (v) => compareSemver(v, version) >= 0;
    case "<":
      return (v) => compareSemver(v, version) < 0;
    case "<=":
      return (v) => compareSemver(v, version) <= 0;
    case "!=":
    case "!":
      return (v) => compareSemver(v, version) !== 0;
    default:
      return (v) => compareSemver(v, version) === 0;
  }
}

function expandWildcard(op: string, text: string): Comparator {
  const parts = text.split(".");
  const wild = parts.findIndex((p) => p === "x" || p === "X" || p === "*");
  if (wild < 0) {
    const version = parseSemver(text);
    if (!version) throw new Error(`invalid version ${text}`);
    return comparator(op, version);
  }
  const nums = parts.slice(0, wild).map(Number);
  if (wild === 0 || nums.some((n) => !Number.isInteger(n))) throw new Error(`invalid version ${text}`);
  const lower: Semver = { major: nums[0] ?? 0, minor: nums[1] ?? 0, patch: 0, pre: [] };
  const upper: Semver =
    wild === 1
      ? { major: lower.major + 1, minor: 0, patch: 0, pre: [] }
      : { major: lower.major, minor: lower.minor + 1, patch: 0, pre: [] };
  switch (op) {
    case ">":
      return (v) => compareSemver(v, upper) >= 0;
    case ">=":
      return (v) => compareSemver(v, lower) >= 0;
    case "<":
      return (v) => compareSemver(v, lower) < 0;
    case "<=":
      return (v) => compareSemver(v, upper) < 0;
    case "!=":
    case "!":
      return (v) => compareSemver(v, lower) < 0 || compareSemver(v, upper) >= 0;
    default:
      return (v) => compareSemver(v, lower) >= 0 && compareSemver(v, upper) < 0;
  }
}

/** blang/semver ranges: `>=1.0.0 <2.0.0 || 3.x`. Throws on an invalid range. */
export function satisfiesSemverRange(version: Semver, range: string): boolean {
  return range.split("||").some((alternative) => {
    const tokens = alternative.trim().split(/\s+/).filter(Boolean);
    const merged: string[] = [];
    for (const token of tokens) {
      const last = merged[merged.length - 1];
      if (last !== undefined && /^(>=|<=|>|<|!=|!|==|=)$/.test(last)) merged[merged.length - 1] = last + token;
      else merged.push(token);
    }
    if (merged.length === 0) throw new Error("invalid range");
    return merged.every((part) => {
      const match = /^(>=|<=|>|<|!=|!|==|=)?(.*)$/.exec(part);
      return expandWildcard(match?.[1] ?? "", match?.[2] ?? "")(version);
    });
  });
}
