import { own } from "../../own.js";

/**
 * Pattern key anchors: `(key)` conditional, `<(key)` global, `=(key)` equality, `^(key)` existence,
 * `X(key)` negation and `+(key)` add-if-not-present (Kyverno `pkg/engine/anchor`).
 */
export type AnchorType = "condition" | "global" | "negation" | "addIfNotPresent" | "equality" | "existence";

export interface Anchor {
  type: AnchorType;
  key: string;
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/;
const MODIFIERS: Record<string, AnchorType> = {
  "": "condition",
  "<": "global",
  X: "negation",
  "+": "addIfNotPresent",
  "=": "equality",
  "^": "existence",
};

// Pattern keys repeat across every resource evaluated; parse each once.
const parsed = new Map<string, Anchor | null>();
const MAX_CACHED = 10_000;

/** Parses a pattern key; undefined when the key carries no anchor. */
export function parseAnchor(text: string): Anchor | undefined {
  const cached = parsed.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const match = text.includes("(") ? ANCHOR.exec(text.trim()) : null;
  const type = match ? own(MODIFIERS, match[1] ?? "") : undefined;
  const key = match?.[2] ?? "";
  const anchor = type === undefined || key === "" ? null : { type, key };
  if (parsed.size >= MAX_CACHED) parsed.clear();
  parsed.set(text, anchor);
  return anchor ?? undefined;
}

/** Rebuilds the key text for an anchor type and key. */
export function anchorText(type: AnchorType, key: string): string {
  const modifier = Object.entries(MODIFIERS).find(([, t]) => t === type)?.[0] ?? "";
  return `${modifier}(${key})`;
}

/** Anchors that are evaluated before plain keys in a mapping. */
export function isPhaseOneAnchor(anchor: Anchor | undefined): boolean {
  return (
    anchor !== undefined &&
    (anchor.type === "condition" || anchor.type === "existence" || anchor.type === "equality" || anchor.type === "negation")
  );
}
