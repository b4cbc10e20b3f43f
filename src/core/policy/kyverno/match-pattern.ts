/* eslint-disable max-lines -- the pattern walk, read side by side with Kyverno pkg/engine/validate (README, design) */
import { anchorText, isPhaseOneAnchor, parseAnchor } from "./anchor.js";
import type { Anchor } from "./anchor.js";
import { compareGoStrings, goSprint, goTypeName, isPlainObject } from "./go-format.js";
import { DEFAULT_OPTIONS, validateValue } from "./validate-value.js";
import type { ValueOptions } from "./validate-value.js";
import { containsWildcard, matchWildcard } from "./wildcard.js";

/**
 * A failure inside the pattern walk. Kyverno tells skips (conditional and global anchors not met)
 * from failures partly by error type and partly by searching the message text; both are kept so
 * the same inputs give the same verdict.
 */
type Failure =
  | { kind: "anchor"; code: AnchorErrorCode; message: string }
  | { kind: "pattern"; path: string; skip: boolean; message: string; mentions?: number }
  | { kind: "plain"; message: string; mentions?: number };

type AnchorErrorCode = "conditional" | "global" | "negation";

const ANCHOR_MESSAGES: Record<AnchorErrorCode, string> = {
  negation: "negation anchor matched in resource",
  conditional: "conditional anchor mismatch",
  global: "global anchor mismatch",
};

type Step = [path: string, failure: Failure | undefined];
const OK: Step = ["", undefined];

function anchorFailure(code: AnchorErrorCode, detail: string): Failure {
  return { kind: "anchor", code, message: `${ANCHOR_MESSAGES[code]}: ${detail}` };
}

function plain(message: string): Failure {
  return { kind: "plain", message };
}

const MENTION_BITS: Record<AnchorErrorCode, number> = { negation: 1, conditional: 2, global: 4 };
// Listed once: a failure's text is searched for each of them.
const MENTIONS = Object.entries(MENTION_BITS).map(([code, bit]) => [ANCHOR_MESSAGES[code as AnchorErrorCode], bit] as const);

function isAnchorFailure(failure: Failure, code: AnchorErrorCode): boolean {
  if (failure.kind === "anchor") return failure.code === code;
  // A failure is asked again at every level it passes on its way up: its text is searched once.
  let mentions = failure.mentions;
  if (mentions === undefined) {
    mentions = 0;
    for (const [text, bit] of MENTIONS) if (failure.message.includes(text)) mentions |= bit;
    failure.mentions = mentions;
  }
  return (mentions & MENTION_BITS[code]) !== 0;
}

function isSkip(failure: Failure): boolean {
  return isAnchorFailure(failure, "conditional") || isAnchorFailure(failure, "global");
}

/** `multierr.Combine`: one error stays itself, several become one message joined by "; ". */
function combine(failures: Failure[]): Failure {
  if (failures.length === 1 && failures[0]) return failures[0];
  return plain(failures.map((f) => f.message).join("; "));
}

function skipPatternFailure(failures: Failure[], path: string): Failure {
  const inner = combine(failures);
  return { kind: "pattern", path, skip: true, message: inner.message };
}

/** Records, per anchor key, whether the resource ever had that key (Kyverno's AnchorMap). */
class AnchorPresence {
  // Most patterns track no anchor at all; the map is made on first use.
  private seen: Map<string, boolean> | undefined;

  check(order: KeyOrder, resource: unknown): void {
    const tracked = order.tracked;
    if (tracked.length === 0) return;
    const seen = (this.seen ??= new Map());
    for (const [key, anchorKey] of tracked) {
      if (seen.get(key) === true) continue;
      seen.set(key, hasKey(resource, anchorKey));
    }
  }

  keysAreMissing(): boolean {
    if (!this.seen) return false;
    for (const [key, present] of this.seen) {
      if (!present && parseAnchor(key)?.type !== "negation") return true;
    }
    return false;
  }
}

function hasKey(resource: unknown, key: string): boolean {
  if (isPlainObject(resource)) return Object.hasOwn(resource, key);
  if (Array.isArray(resource)) return resource.some((item) => hasKey(item, key));
  return false;
}

function lookup(map: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(map, key) ? (map[key] ?? null) : null;
}

/** Outcome of matching one resource against one pattern. */
export type PatternResult =
  | { status: "pass" }
  | { status: "skip"; message: string }
  | { status: "fail"; path: string; message: string }
  | { status: "error"; message: string };

/**
 * Validates a resource against a Kyverno `validate.pattern` (Kyverno `validate.MatchPattern`).
 * The pattern is modified in place where metadata keys hold wildcards, as Kyverno does; pass a copy.
 */
export function matchPattern(resource: unknown, pattern: unknown, options: ValueOptions = DEFAULT_OPTIONS): PatternResult {
  const walker = WALKER.start(options);
  const presence = new AnchorPresence();
  const [path, failure] = walker.element(resource, pattern, presence);
  if (!failure) return { status: "pass" };
  if (isSkip(failure)) return { status: "skip", message: failure.message };
  if (isAnchorFailure(failure, "negation")) return { status: "fail", path, message: failure.message };
  if (presence.keysAreMissing()) return { status: "error", message: failure.message };
  if (path === "") return { status: "error", message: failure.message };
  return { status: "fail", path, message: failure.message };
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

// The message is only written on a mismatch: formatting Go-style is dearer than comparing.
function scalarMismatch(resource: unknown, pattern: unknown, path: string): Step {
  return [path, plain(`resource value '${goSprint(resource)}' does not match '${goSprint(pattern)}' at path ${path}`)];
}

function hasNonPatternSkip(skipped: readonly Failure[]): boolean {
  return skipped.some((f) => f.kind !== "pattern");
}

/**
 * Walks a pattern over a resource. The path being walked is a stack of keys, written out as
 * Kyverno's `/a/b/0/` text only where a failure reports it: most of a walk passes.
 */
class PatternWalker {
  // The keys down to the current path are keys[0..depth): the array only grows, so a walk
  // allocates nothing for its path.
  private readonly keys: (string | number)[] = [];
  private depth = 0;
  private options: ValueOptions = DEFAULT_OPTIONS;

  /** Readies the walker for a new walk (a walk never starts another, so one walker serves all). */
  start(options: ValueOptions): this {
    this.options = options;
    // A walk that threw (a stack exhausted by hostile nesting) may have left keys behind.
    this.depth = 0;
    return this;
  }

  /** The path being walked, as Kyverno writes it (`/` at the root, `/spec/containers/0/` below). */
  private path(): string {
    let text = "/";
    for (let index = 0; index < this.depth; index++) text += `${this.keys[index]}/`;
    return text;
  }

  /** Walks `pattern` over `resource` one key (or index) below the current path. */
  private below(key: string | number, resource: unknown, pattern: unknown, presence: AnchorPresence, known?: KeyOrder): Step {
    this.keys[this.depth++] = key;
    const step = this.element(resource, pattern, presence, known);
    this.depth--;
    return step;
  }

  /** Walks `pattern` over `resource` at the current path; `known` is `keyOrder(pattern)` when the caller has it. */
  element(resource: unknown, pattern: unknown, presence: AnchorPresence, known?: KeyOrder): Step {
    if (isPlainObject(pattern)) {
      if (!isPlainObject(resource)) {
        const path = this.path();
        return [
          path,
          plain(
            `pattern and resource have different structures. Path: ${path}. Expected ${goTypeName(pattern)}, found ${goTypeName(resource)}`,
          ),
        ];
      }
      const order = known ?? keyOrder(pattern);
      presence.check(order, resource);
      return this.map(resource, pattern, order, presence);
    }
    if (Array.isArray(pattern)) {
      if (!Array.isArray(resource)) {
        const path = this.path();
        return [path, plain(`validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`)];
      }
      return this.array(resource, pattern, presence);
    }
    if (isScalar(pattern)) return this.scalarMatches(resource, pattern) ? OK : scalarMismatch(resource, pattern, this.path());
    const path = this.path();
    return [path, plain(`failed at '${path}', pattern contains unknown type`)];
  }

  /** A scalar pattern against a value, or against every item of a list. */
  private scalarMatches(resource: unknown, pattern: string | number | boolean | null): boolean {
    if (!Array.isArray(resource)) return validateValue(resource, pattern, this.options);
    for (const item of resource) {
      if (!validateValue(item, pattern, this.options)) return false;
    }
    return true;
  }

  private map(resource: Record<string, unknown>, pattern: Record<string, unknown>, order: KeyOrder, presence: AnchorPresence): Step {
    // Expansion rewrites the metadata maps inside the pattern, never the pattern's own keys.
    if (order.metadataKey !== undefined) expandInMetadata(pattern, order.metadataKey, resource);
    const { anchorKeys, anchors, plainKeys, plainAnchors } = order;

    // Phase one: conditional, equality, existence and negation anchors, in key order.
    if (anchorKeys.length > 0) {
      // Made on the first skip: most visits skip nothing.
      let skipped: Failure[] | undefined;
      let applied = 0;
      for (let index = 0; index < anchorKeys.length; index++) {
        const key = anchorKeys[index] as string;
        const value = pattern[key];
        const [handlerPath, failure] = this.handle(
          anchors[index],
          value,
          resource,
          presence,
          key,
          childOrder(order.anchorChildren, index, value),
        );
        if (failure) {
          if (isSkip(failure)) {
            (skipped ??= []).push(failure);
            continue;
          }
          if (!skipped || !hasNonPatternSkip(skipped)) return [handlerPath, failure];
          continue;
        }
        applied++;
      }
      if (skipped && (applied === 0 || hasNonPatternSkip(skipped))) {
        const path = this.path();
        return [path, skipPatternFailure(skipped, path)];
      }
    }

    // Phase two: plain keys; global anchors and keys holding nested anchors go first.
    for (let index = 0; index < plainKeys.length; index++) {
      const key = plainKeys[index] as string;
      const value = pattern[key];
      const step = this.handle(plainAnchors[index], value, resource, presence, key, childOrder(order.plainChildren, index, value));
      if (step[1]) return step;
    }
    return OK;
  }

  private array(resource: unknown[], pattern: unknown[], presence: AnchorPresence): Step {
    if (pattern.length === 0) return [this.path(), plain("pattern Array empty")];
    const first = pattern[0];
    if (isPlainObject(first)) return this.elements(resource.length, resource, first, presence, keyOrder(first));
    if (isScalar(first)) {
      return this.element(resource, first, presence);
    }
    if (resource.length < pattern.length) {
      return [
        "",
        plain(
          `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`,
        ),
      ];
    }
    return this.elements(pattern.length, resource, pattern, presence);
  }

  /**
   * Matches the first `count` resource elements against the pattern's elements (a list) or against
   * one pattern (a map): the first real failure wins; when every element was skipped by an anchor,
   * the whole array is skipped, as Kyverno does.
   */
  private elements(
    count: number,
    resource: readonly unknown[],
    pattern: readonly unknown[] | Record<string, unknown>,
    presence: AnchorPresence,
    mapOrder?: KeyOrder,
  ): Step {
    // Made on the first skip: most walks skip nothing.
    let skipped: Failure[] | undefined;
    let applied = 0;
    for (let i = 0; i < count; i++) {
      const patternElement: unknown = Array.isArray(pattern) ? (pattern as readonly unknown[])[i] : pattern;
      const [elementPath, failure] = this.below(i, resource[i], patternElement, presence, mapOrder);
      if (failure) {
        if (isSkip(failure)) {
          (skipped ??= []).push(failure);
          continue;
        }
        return [elementPath, failure];
      }
      applied++;
    }
    if (applied === 0 && skipped) {
      const path = this.path();
      return [path, skipPatternFailure(skipped, path)];
    }
    return OK;
  }

  private handle(
    anchor: Anchor | undefined,
    pattern: unknown,
    resource: Record<string, unknown>,
    presence: AnchorPresence,
    key: string,
    known: KeyOrder | undefined,
  ): Step {
    switch (anchor?.type) {
      case "condition":
        return this.conditional(anchor, pattern, resource, presence, known);
      case "global":
        return this.global(anchor, pattern, resource, presence, known);
      case "existence":
        return this.existence(anchor, pattern, resource, presence);
      case "equality": {
        if (!Object.hasOwn(resource, anchor.key)) return OK;
        const step = this.below(anchor.key, lookup(resource, anchor.key), pattern, presence, known);
        return step[1] ? step : OK;
      }
      case "negation": {
        if (Object.hasOwn(resource, anchor.key)) {
          const current = `${this.path()}${anchor.key}/`;
          return [current, anchorFailure("negation", `${current} is not allowed`)];
        }
        return OK;
      }
      default: {
        // `+(key)` only means something to mutate rules; validation reads it as the plain key.
        const element = anchor?.type === "addIfNotPresent" ? anchor.key : key;
        const value = lookup(resource, element);
        if (pattern === "*") {
          if (value !== null) return OK;
          const path = this.path();
          return [path, plain(`${path}/${element} not found`)];
        }
        // Most pattern leaves are scalars that match: their path text is only built on a mismatch.
        if (isScalar(pattern)) return this.scalarMatches(value, pattern) ? OK : scalarMismatch(value, pattern, `${this.path()}${element}/`);
        const step = this.below(element, value, pattern, presence, known);
        return step[1] ? step : OK;
      }
    }
  }

  private conditional(
    anchor: Anchor,
    pattern: unknown,
    resource: Record<string, unknown>,
    presence: AnchorPresence,
    known?: KeyOrder,
  ): Step {
    if (!Object.hasOwn(resource, anchor.key)) {
      return [`${this.path()}${anchor.key}/`, anchorFailure("conditional", "conditional anchor key doesn't exist in the resource")];
    }
    const [returnPath, failure] = this.below(anchor.key, lookup(resource, anchor.key), pattern, presence, known);
    if (failure) return [returnPath, anchorFailure("conditional", failure.message)];
    return OK;
  }

  private global(anchor: Anchor, pattern: unknown, resource: Record<string, unknown>, presence: AnchorPresence, known?: KeyOrder): Step {
    if (!Object.hasOwn(resource, anchor.key)) return OK;
    const [returnPath, failure] = this.below(anchor.key, lookup(resource, anchor.key), pattern, presence, known);
    if (failure) return [returnPath, anchorFailure("global", failure.message)];
    return OK;
  }

  private existence(anchor: Anchor, pattern: unknown, resource: Record<string, unknown>, presence: AnchorPresence): Step {
    if (!Object.hasOwn(resource, anchor.key)) return OK;
    const value = lookup(resource, anchor.key);
    if (!Array.isArray(value)) {
      return [
        `${this.path()}${anchor.key}/`,
        plain(`invalid resource type ${goTypeName(value)}: Existence ^ () anchor can be used only on list/array type resource`),
      ];
    }
    if (!Array.isArray(pattern)) {
      return [
        `${this.path()}${anchor.key}/`,
        plain(`invalid pattern type ${goTypeName(pattern)}: Pattern has to be of list to compare against resource`),
      ];
    }
    this.keys[this.depth++] = anchor.key;
    const step = this.existsForEach(value, pattern, presence);
    this.depth--;
    return step;
  }

  /** Every map of the existence anchor's pattern list must match some item of the resource's list. */
  private existsForEach(list: unknown[], pattern: unknown[], presence: AnchorPresence): Step {
    let last: Step = OK;
    for (const entry of pattern) {
      if (!isPlainObject(entry)) {
        return [
          this.path(),
          plain(`invalid pattern type ${goTypeName(pattern)}: Pattern has to be of type map to compare against items in resource`),
        ];
      }
      last = this.existsInList(list, entry, presence);
      if (last[1]) return last;
    }
    return last;
  }

  private existsInList(list: unknown[], pattern: Record<string, unknown>, presence: AnchorPresence): Step {
    for (let i = 0; i < list.length; i++) {
      if (!this.below(i, list[i], pattern, presence)[1]) return OK;
    }
    const path = this.path();
    return [path, plain(`existence anchor validation failed at path ${path}`)];
  }
}

const WALKER = new PatternWalker();

interface KeyOrder {
  /** Phase-one anchor keys in Go string order. */
  anchorKeys: string[];
  /** The parsed anchor of each of {@link anchorKeys}. */
  anchors: (Anchor | undefined)[];
  /** Plain keys in Kyverno's evaluation order. */
  plainKeys: string[];
  /** The parsed anchor (global, add-if-not-present or none) of each of {@link plainKeys}. */
  plainAnchors: (Anchor | undefined)[];
  /** Conditional, existence and negation anchors whose presence Kyverno tracks: [key, bare key]. */
  tracked: [string, string][];
  /**
   * The first key that is `metadata`, anchored or not, when its labels or annotations hold what
   * the wildcard expansion rewrites (wildcard keys, values that are not strings); otherwise the
   * expansion would write nothing and is not tried.
   */
  metadataKey: string | undefined;
  /** The last map value seen under each of {@link anchorKeys} and its order (a walk's copies change it). */
  anchorChildren: (ChildOrder | undefined)[];
  /** The same for {@link plainKeys}. */
  plainChildren: (ChildOrder | undefined)[];
}

interface ChildOrder {
  value: Record<string, unknown>;
  order: KeyOrder;
}

/**
 * The key order of a map value under a pattern key. The parent's order remembers its children's,
 * so a walk asks the order table once per pattern, not once per map it visits.
 */
function childOrder(children: (ChildOrder | undefined)[], index: number, value: unknown): KeyOrder | undefined {
  if (!isPlainObject(value)) return undefined;
  const known = children[index];
  if (known !== undefined && known.value === value) return known.order;
  const order = keyOrder(value);
  children[index] = { value, order };
  return order;
}

const keyOrders = new WeakMap<Record<string, unknown>, KeyOrder>();

// Patterns are walked once per resource, so what only depends on a pattern's keys is worked out
// once per pattern object (metadata expansion replaces a rewritten map, which gets its own).
function keyOrder(pattern: Record<string, unknown>): KeyOrder {
  let order = keyOrders.get(pattern);
  if (!order) {
    const anchorKeys: string[] = [];
    const plainKeys: string[] = [];
    const tracked: [string, string][] = [];
    let metadataKey: string | undefined;
    for (const key of Object.keys(pattern)) {
      const anchor = parseAnchor(key);
      if (isPhaseOneAnchor(anchor)) anchorKeys.push(key);
      else plainKeys.push(key);
      if (anchor && (anchor.type === "condition" || anchor.type === "existence" || anchor.type === "negation"))
        tracked.push([key, anchor.key]);
      if (metadataKey === undefined && (key === "metadata" || anchor?.key === "metadata")) metadataKey = key;
    }
    anchorKeys.sort(compareGoStrings);
    if (metadataKey !== undefined && !mayExpand(pattern[metadataKey])) metadataKey = undefined;
    const ordered = orderPlainKeys(plainKeys, pattern);
    order = {
      anchorKeys,
      anchors: anchorKeys.map((key) => parseAnchor(key)),
      plainKeys: ordered,
      plainAnchors: ordered.map((key) => parseAnchor(key)),
      tracked,
      metadataKey,
      anchorChildren: [],
      plainChildren: [],
    };
    keyOrders.set(pattern, order);
  }
  return order;
}

/**
 * A copy of a pattern for a walk that may expand its metadata in place (the compiled pattern must
 * stay as written), equal to a deep copy for the walk. The walk only ever writes into the metadata
 * maps it expands: those are copied, with every list and map on the way to them; the rest is
 * shared. A pattern that holds one list or map in two places (a YAML alias) is copied whole, as
 * `structuredClone` copies it, so a write through one place still shows through the other.
 */
export function copyPattern(pattern: unknown): unknown {
  if (typeof pattern !== "object" || pattern === null) return pattern;
  let plan = copyPlans.get(pattern);
  if (!plan) copyPlans.set(pattern, (plan = planCopy(pattern)));
  return plan === "whole" ? structuredClone(pattern) : copyWritable(pattern, plan);
}

/** The maps a walk may expand, and the lists and maps on the way to them. */
interface CopyPlan {
  copied: Set<object>;
  expanded: Set<object>;
}

const copyPlans = new WeakMap<object, CopyPlan | "whole">();

function planCopy(root: object): CopyPlan | "whole" {
  const seen = new Set<object>();
  const plan: CopyPlan = { copied: new Set(), expanded: new Set() };
  let aliased = false;
  // Whether the node is copied: it is expanded, or leads to what is.
  const visit = (node: unknown): boolean => {
    if (typeof node !== "object" || node === null) return false;
    if (seen.has(node)) {
      aliased = true;
      return false;
    }
    seen.add(node);
    let leads = false;
    if (Array.isArray(node)) {
      for (const item of node) if (visit(item)) leads = true;
    } else if (isPlainObject(node)) {
      for (const key of Object.keys(node)) if (visit(node[key])) leads = true;
      const metadataKey = keyOrder(node).metadataKey;
      const metadata = metadataKey === undefined ? undefined : node[metadataKey];
      if (isPlainObject(metadata)) {
        plan.expanded.add(metadata);
        plan.copied.add(metadata);
        leads = true;
      }
    }
    if (leads) plan.copied.add(node);
    return leads;
  };
  visit(root);
  return aliased ? "whole" : plan;
}

function copyWritable(node: unknown, plan: CopyPlan): unknown {
  if (typeof node !== "object" || node === null || !plan.copied.has(node)) return node;
  if (Array.isArray(node)) return node.map((item) => copyWritable(item, plan));
  const source = node as Record<string, unknown>;
  const map: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = copyWritable(source[key], plan);
    if (key === "__proto__") Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
    else map[key] = value;
  }
  // The copy orders as its original, except an expanded map, which a fresh copy always ordered
  // when the walk reached it, after the expansion.
  if (!plan.expanded.has(node)) keyOrders.set(map, keyOrder(source));
  nestedAnchors.set(map, hasNestedAnchors(source));
  return map;
}

const nestedAnchors = new WeakMap<object, boolean>();

/** True when a pattern value holds anchors somewhere below it. */
function hasNestedAnchors(pattern: unknown): boolean {
  if (typeof pattern !== "object" || pattern === null) return false;
  let cached = nestedAnchors.get(pattern);
  if (cached === undefined) {
    cached = computeNestedAnchors(pattern);
    nestedAnchors.set(pattern, cached);
  }
  return cached;
}

function computeNestedAnchors(pattern: unknown): boolean {
  if (isPlainObject(pattern)) {
    for (const key of Object.keys(pattern)) {
      const anchor = parseAnchor(key);
      if (anchor && anchor.type !== "addIfNotPresent") return true;
    }
    return Object.values(pattern).some(hasNestedAnchors);
  }
  if (Array.isArray(pattern)) return pattern.some(hasNestedAnchors);
  return false;
}

/** Kyverno's getSortedNestedAnchorResource: front-inserted keys come out in reverse order. */
function orderPlainKeys(keys: string[], pattern: Record<string, unknown>): string[] {
  const front: string[] = [];
  const back: string[] = [];
  for (const key of [...keys].sort(compareGoStrings)) {
    if (parseAnchor(key)?.type === "global" || hasNestedAnchors(pattern[key])) front.unshift(key);
    else back.push(key);
  }
  return [...front, ...back];
}

function patternEntry(pattern: Record<string, unknown>, tag: string): [string, unknown] | undefined {
  for (const [key, value] of Object.entries(pattern)) {
    if (key === tag || parseAnchor(key)?.key === tag) return [key, value];
  }
  return undefined;
}

/**
 * Kyverno's wildcards.ExpandInMetadata: wildcard keys under metadata.labels/annotations in the
 * pattern are replaced by the first matching key of the resource. Non-string pattern values there
 * are dropped, as Kyverno's string map conversion drops them.
 */
function expandInMetadata(pattern: Record<string, unknown>, metadataKey: string, resource: Record<string, unknown>): void {
  const patternMetadata = pattern[metadataKey];
  const resourceMetadata = resource["metadata"];
  if (resourceMetadata === undefined || resourceMetadata === null || !isPlainObject(patternMetadata)) return;
  for (const tag of ["labels", "annotations"]) {
    const expanded = expandTag(tag, patternMetadata, resourceMetadata);
    // Writing back an identical map would change nothing but the object identity.
    if (expanded && !sameEntries(patternMetadata[expanded[0]], expanded[1])) patternMetadata[expanded[0]] = expanded[1];
  }
}

/**
 * Whether {@link expandInMetadata} can write anything into this pattern metadata: only where the
 * labels or annotations it reads hold a wildcard key or a value that is not a string (dropped), or
 * a key an object literal cannot hold as its own.
 */
function mayExpand(patternMetadata: unknown): boolean {
  if (!isPlainObject(patternMetadata)) return false;
  return ["labels", "annotations"].some((tag) => {
    const entry = patternEntry(patternMetadata, tag);
    if (!entry || !isPlainObject(entry[1])) return false;
    return Object.entries(entry[1]).some(([key, value]) => containsWildcard(key) || typeof value !== "string" || key === "__proto__");
  });
}

function sameEntries(before: unknown, after: Record<string, unknown>): boolean {
  if (!isPlainObject(before)) return false;
  const keys = Object.keys(before);
  return keys.length === Object.keys(after).length && keys.every((k) => Object.hasOwn(after, k) && after[k] === before[k]);
}

function stringEntries(tag: string, data: unknown): [string, Record<string, string>] | undefined {
  if (!isPlainObject(data)) return undefined;
  const entry = patternEntry(data, tag);
  if (!entry || entry[1] === null || entry[1] === undefined || !isPlainObject(entry[1])) return undefined;
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry[1])) if (typeof v === "string") result[k] = v;
  return [entry[0], result];
}

function expandTag(tag: string, patternMetadata: unknown, resourceMetadata: unknown): [string, Record<string, unknown>] | undefined {
  const patternData = stringEntries(tag, patternMetadata);
  if (!patternData) return undefined;
  const resourceData = stringEntries(tag, resourceMetadata);
  if (!resourceData) return undefined;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patternData[1])) {
    if (!containsWildcard(key)) {
      result[key] = value;
      continue;
    }
    const anchor = parseAnchor(key);
    const bare = anchor ? anchor.key : key;
    const found = Object.keys(resourceData[1]).find((candidate) => matchWildcard(bare, candidate)) ?? bare;
    result[anchor ? anchorText(anchor.type, found) : found] = value;
  }
  return [patternData[0], result];
}
