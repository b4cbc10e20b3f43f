import { isPhaseOneAnchor, parseAnchor } from "./anchor.js";
import type { Anchor } from "./anchor.js";
import { compareGoStrings, isPlainObject } from "./go-format.js";
import { WalkExpansion } from "./walk-expansion.js";
import { compileExpansion, mayExpand } from "./metadata-expansion.js";
import { DEFAULT_OPTIONS, valueMatcher } from "./validate-value.js";
import type { ValueMatcher, ValueOptions } from "./validate-value.js";

/**
 * A pattern read once for the walk (match-pattern.ts): each map's keys in Kyverno's evaluation
 * order with their anchors parsed, each scalar as a ready matcher, each child's plan linked. A
 * walk then follows the plan and never sorts keys, parses anchors or reads pattern text again.
 *
 * Two kinds of plan exist. A static plan ({@link staticPlan}) is compiled once for a pattern as
 * written (no `{{ }}` variables): its children are linked and never change. Where Kyverno's
 * metadata wildcard expansion rewrites a metadata map, the walk keeps that walk's rewritten map
 * beside the plan (walk-expansion.ts) instead. A dynamic plan ({@link planOf}) serves patterns
 * made or rewritten per resource (substituted variables, a rewritten metadata map, copies): it is
 * cached per pattern map, and the walk looks its children up in the pattern it walks.
 */

/** Key kinds, from the anchor around the key. `+(key)` reads as the plain key when validating. */
export const PLAIN = 0;
export const CONDITION = 1;
export const GLOBAL = 2;
export const EXISTENCE = 3;
export const EQUALITY = 4;
export const NEGATION = 5;

/** List kinds: empty, one map every item must match, one scalar, items matched one by one. */
export const EMPTY_LIST = 0;
export const EACH_ITEM = 1;
export const SCALAR_ITEMS = 2;
export const BY_INDEX = 3;

/** Plan kinds (numbers: the walk switches on them at every node). */
export const MAP = 0;
export const LIST = 1;
export const SCALAR = 2;
/** A pattern value of no JSON type. */
export const OTHER = 3;

/** One key of a pattern map. */
export class KeyStep {
  constructor(
    /** The key as written, anchor included. */
    readonly key: string,
    /** One of {@link PLAIN}, {@link CONDITION}... */
    readonly anchor: number,
    /** The resource key it reads: the key without its anchor (made a property name once, see {@link propertyName}). */
    readonly element: string,
    /** The pattern value last planned for this key (a dynamic walk compares it with the map's). */
    public value: unknown,
    /** The plan of {@link value}. */
    public child: PatternPlan | undefined,
  ) {
    this.inherited = element in Object.prototype;
  }

  /**
   * Whether a resource map inherits a property of this name (`toString`, `__proto__`): only then
   * must the walk ask whether the key is the resource's own before it reads the key.
   */
  readonly inherited: boolean;

  /** In a static plan: the key holds the metadata map its map's {@link WalkExpansion} rewrites. */
  expands = false;
  /** A plain or equality key of a static plan, whose passing the walk checks on its short way. */
  direct = false;
}

/** A key whose presence in the resource Kyverno records (conditional, existence, negation anchors). */
export interface TrackedKey {
  key: string;
  bare: string;
  negation: boolean;
}

const NO_STEPS: KeyStep[] = [];
const NO_TRACKED: TrackedKey[] = [];
const NO_ITEMS: PatternPlan[] = [];
const NEVER: ValueMatcher = () => false;

/** One node of a plan; one class for every kind, so the walk's property reads stay monomorphic. */
export class PatternPlan {
  /** Phase-one anchor keys (conditional, existence, equality, negation) in Go string order. */
  anchorSteps: KeyStep[] = NO_STEPS;
  /** Plain keys in Kyverno's order: global anchors and keys holding nested anchors first. */
  plainSteps: KeyStep[] = NO_STEPS;
  tracked: TrackedKey[] = NO_TRACKED;
  /**
   * The first key that is `metadata`, anchored or not, when its labels or annotations hold what
   * the wildcard expansion rewrites; otherwise the expansion would write nothing and is not tried.
   */
  metadataKey: string | undefined = undefined;
  /** For a list: one of {@link EMPTY_LIST}... */
  listKind = EMPTY_LIST;
  /** For a static list: the plan of every item. */
  items: PatternPlan[] = NO_ITEMS;
  matcher: ValueMatcher = NEVER;
  /** A `"*"` pattern: under a key, it asks only that the key be there. */
  star = false;
  /** In a static plan: the expansion of {@link metadataKey}'s map. */
  expansion: WalkExpansion | undefined = undefined;
  /** In a static plan: the map's one key, when it is plain and holds a map, with nothing else to do (see the walker's `map`). */
  only: KeyStep | undefined = undefined;

  constructor(
    /** One of {@link MAP}, {@link LIST}, {@link SCALAR}, {@link OTHER}. */
    readonly kind: number,
    /** The pattern as written (a dynamic walk reads the pattern it is given instead). */
    readonly pattern: unknown,
    /** Dynamic: its children are looked up in the walked pattern, not linked. */
    readonly dynamic: boolean,
  ) {}
}

/** Compiling a static plan: the plans made so far, whether a YAML alias shares one, the expanded metadata maps. */
interface StaticContext {
  options: ValueOptions;
  memo: Map<object, PatternPlan>;
  aliased: boolean;
  expanded: Record<string, unknown>[];
}

/** A compiled pattern: its static plan, unless only a copy can be walked, and whether it expands metadata. */
interface Compiled {
  plan: PatternPlan | undefined;
  expands: boolean;
}

const staticPlans = new WeakMap<object, Compiled>();
const staticFloatPlans = new WeakMap<object, Compiled>();

function compileStatic(pattern: unknown, options: ValueOptions): Compiled {
  const context: StaticContext = { options, memo: new Map(), aliased: false, expanded: [] };
  const plan = compileNode(pattern, context);
  const expands = context.expanded.length > 0;
  // An expanded map reached twice (an alias), or one holding another, is only walked right in a copy.
  const copyOnly = expands && (context.aliased || context.expanded.some(holdsExpansion));
  return { plan: copyOnly ? undefined : plan, expands };
}

function holdsExpansion(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsExpansion);
  if (!isPlainObject(value)) return false;
  return planOf(value, DEFAULT_OPTIONS).metadataKey !== undefined || Object.values(value).some(holdsExpansion);
}

function compiled(pattern: unknown, options: ValueOptions): Compiled {
  // A plan is kept only once whole: a pattern nested deeper than the stack allows throws here on
  // every use, and its rule ends in an error each time. A pattern that is not an object is
  // planned each time (cheap, and rare).
  if (typeof pattern !== "object" || pattern === null) return compileStatic(pattern, options);
  const cache = options.numbersAreFloats ? staticFloatPlans : staticPlans;
  let known = cache.get(pattern);
  if (known === undefined) cache.set(pattern, (known = compileStatic(pattern, options)));
  return known;
}

/**
 * The static plan of a pattern as written, compiled once per pattern object and options;
 * undefined when only a copy of it can be walked (walk it with {@link planOf}: a YAML alias or a
 * metadata map inside another one that the expansion rewrites).
 */
export function staticPlan(pattern: unknown, options: ValueOptions = DEFAULT_OPTIONS): PatternPlan | undefined {
  return compiled(pattern, options).plan;
}

/** Whether a dynamic walk would rewrite this pattern's metadata in place (so it must walk a copy). */
export function patternExpands(pattern: unknown): boolean {
  return compiled(pattern, DEFAULT_OPTIONS).expands;
}

function compileNode(pattern: unknown, context: StaticContext | undefined): PatternPlan {
  if (context && typeof pattern === "object" && pattern !== null) {
    const known = context.memo.get(pattern);
    if (known) {
      context.aliased = true;
      return known;
    }
  }
  const options = context?.options;
  if (isPlainObject(pattern)) return mapPlan(pattern, context);
  if (Array.isArray(pattern)) return listPlan(pattern, context);
  return scalarPlan(pattern, options ?? DEFAULT_OPTIONS);
}

function scalarPlan(pattern: unknown, options: ValueOptions): PatternPlan {
  if (pattern === null || typeof pattern === "string" || typeof pattern === "number" || typeof pattern === "boolean") {
    const plan = new PatternPlan(SCALAR, pattern, false);
    plan.matcher = valueMatcher(pattern, options);
    plan.star = pattern === "*";
    return plan;
  }
  return new PatternPlan(OTHER, pattern, false);
}

function anchorCode(anchor: Anchor | undefined): number {
  switch (anchor?.type) {
    case "condition":
      return CONDITION;
    case "global":
      return GLOBAL;
    case "existence":
      return EXISTENCE;
    case "equality":
      return EQUALITY;
    case "negation":
      return NEGATION;
    default:
      return PLAIN;
  }
}

function keyStep(key: string, pattern: Record<string, unknown>, context: StaticContext | undefined): KeyStep {
  const anchor = parseAnchor(key);
  const value = pattern[key];
  return new KeyStep(
    key,
    anchorCode(anchor),
    anchor ? propertyName(anchor.key) : key,
    value,
    context ? compileNode(value, context) : undefined,
  );
}

/**
 * The same text as the engine's own property name. A key cut out of an anchor (`=(name)`) is a
 * new string, and reading a property by such a string makes the engine look its name up every
 * time; a key read back from an object is the name itself, so reads by it are direct.
 */
function propertyName(text: string): string {
  return Object.keys({ [text]: true })[0] ?? text;
}

function mapPlan(pattern: Record<string, unknown>, context: StaticContext | undefined): PatternPlan {
  const plan = new PatternPlan(MAP, pattern, context === undefined);
  context?.memo.set(pattern, plan);
  const anchorKeys: string[] = [];
  const plainKeys: string[] = [];
  const tracked: TrackedKey[] = [];
  let metadataKey: string | undefined;
  for (const key of Object.keys(pattern)) {
    const anchor = parseAnchor(key);
    if (isPhaseOneAnchor(anchor)) anchorKeys.push(key);
    else plainKeys.push(key);
    if (anchor && (anchor.type === "condition" || anchor.type === "existence" || anchor.type === "negation"))
      tracked.push({ key, bare: anchor.key, negation: anchor.type === "negation" });
    if (metadataKey === undefined && (key === "metadata" || anchor?.key === "metadata")) metadataKey = key;
  }
  anchorKeys.sort(compareGoStrings);
  if (metadataKey !== undefined && !mayExpand(pattern[metadataKey])) metadataKey = undefined;
  if (anchorKeys.length > 0) plan.anchorSteps = anchorKeys.map((key) => keyStep(key, pattern, context));
  const ordered = orderPlainKeys(plainKeys, pattern);
  if (ordered.length > 0) plan.plainSteps = ordered.map((key) => keyStep(key, pattern, context));
  if (tracked.length > 0) plan.tracked = tracked;
  plan.metadataKey = metadataKey;
  const metadata = metadataKey === undefined ? undefined : pattern[metadataKey];
  if (context) {
    for (const step of plan.anchorSteps) step.direct = step.anchor === EQUALITY && !step.inherited;
    for (const step of plan.plainSteps) step.direct = step.anchor === PLAIN && !step.inherited;
  }
  const first = plan.plainSteps[0];
  if (first?.direct && plan.plainSteps.length === 1 && anchorKeys.length === 0 && tracked.length === 0 && metadataKey === undefined) {
    if (first.child?.kind === MAP) plan.only = first;
  }
  if (context && metadataKey !== undefined && isPlainObject(metadata)) {
    context.expanded.push(metadata);
    plan.expansion = new WalkExpansion(metadataKey, metadata, compileExpansion(metadata));
    for (const step of [...plan.anchorSteps, ...plan.plainSteps]) {
      if (step.key !== metadataKey) continue;
      step.expands = true;
      step.direct = false;
    }
  }
  return plan;
}

function listPlan(pattern: unknown[], context: StaticContext | undefined): PatternPlan {
  const plan = new PatternPlan(LIST, pattern, context === undefined);
  context?.memo.set(pattern, plan);
  const first: unknown = pattern[0];
  if (pattern.length === 0) plan.listKind = EMPTY_LIST;
  else if (isPlainObject(first)) plan.listKind = EACH_ITEM;
  else if (first === null || typeof first === "string" || typeof first === "number" || typeof first === "boolean")
    plan.listKind = SCALAR_ITEMS;
  else plan.listKind = BY_INDEX;
  // Existence anchors read every item, whatever the first one is.
  if (context && pattern.length > 0) plan.items = pattern.map((item) => compileNode(item, context));
  return plan;
}

const dynamicPlans = new WeakMap<object, PatternPlan>();
const dynamicFloatPlans = new WeakMap<object, PatternPlan>();
const scalarPlans = new Map<unknown, PatternPlan>();
const scalarFloatPlans = new Map<unknown, PatternPlan>();
const MAX_CACHED = 10_000;

/** A dynamic plan made for one walk, kept nowhere (a metadata map as one walk rewrote it). */
export function freshPlan(pattern: unknown, options: ValueOptions): PatternPlan {
  return typeof pattern === "object" && pattern !== null ? compileNode(pattern, undefined) : planOf(pattern, options);
}

/**
 * The dynamic plan of a pattern value, kept per pattern object (per value for scalars): for
 * patterns made or rewritten per resource. Its children are looked up in the walked pattern.
 */
export function planOf(pattern: unknown, options: ValueOptions): PatternPlan {
  const floats = options.numbersAreFloats === true;
  if (typeof pattern === "object" && pattern !== null) {
    const cache = floats ? dynamicFloatPlans : dynamicPlans;
    let plan = cache.get(pattern);
    if (!plan) cache.set(pattern, (plan = compileNode(pattern, undefined)));
    return plan;
  }
  const cache = floats ? scalarFloatPlans : scalarPlans;
  let plan = cache.get(pattern);
  if (!plan) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(pattern, (plan = scalarPlan(pattern, options)));
  }
  return plan;
}

/**
 * Makes a copy of a pattern map order as its original (copyPattern): the copy has the same keys,
 * and its nested anchors are those of the original as written.
 */
export function planCopyAs(copy: Record<string, unknown>, source: Record<string, unknown>, keepPlan: boolean): void {
  if (keepPlan) {
    const plan = dynamicPlans.get(source);
    if (plan) dynamicPlans.set(copy, plan);
    const floatPlan = dynamicFloatPlans.get(source);
    if (floatPlan) dynamicFloatPlans.set(copy, floatPlan);
  }
  nestedAnchors.set(copy, hasNestedAnchors(source));
}

/** The metadata key a walk expands in this pattern map, if any. */
export function expandedMetadataKey(pattern: Record<string, unknown>): string | undefined {
  return planOf(pattern, DEFAULT_OPTIONS).metadataKey;
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
