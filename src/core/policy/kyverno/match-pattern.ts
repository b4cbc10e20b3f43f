import { AnchorPresence } from "./anchor-presence.js";
import { goTypeName, isPlainObject } from "./go-format.js";
import type { WalkExpansion } from "./walk-expansion.js";
import { expandInMetadata } from "./metadata-expansion.js";
import {
  BY_INDEX,
  CONDITION,
  EACH_ITEM,
  EMPTY_LIST,
  EQUALITY,
  EXISTENCE,
  GLOBAL,
  LIST,
  MAP,
  NEGATION,
  SCALAR,
  freshPlan,
  planOf,
} from "./pattern-plan.js";
import type { KeyStep, PatternPlan } from "./pattern-plan.js";
import { DEFAULT_OPTIONS } from "./validate-value.js";
import type { ValueOptions } from "./validate-value.js";
import { Failed, Form, Miss, Told, failurePlace, hasNonPatternSkip } from "./pattern-failure.js";
import type { FailurePlace } from "./failure-places.js";

type Step = Miss | undefined;

/** Outcome of matching one resource against one pattern. */
export type PatternResult =
  | { status: "pass" }
  | { status: "skip"; readonly message: string }
  | { status: "fail"; path: string; segments: readonly (string | number)[]; readonly message: string }
  | { status: "error"; readonly message: string };

const PASS: PatternResult = Object.freeze({ status: "pass" });

/**
 * Validates a resource against a Kyverno `validate.pattern` (Kyverno `validate.MatchPattern`).
 * The pattern is modified in place where metadata keys hold wildcards, as Kyverno does; pass a copy.
 * For a pattern no walk rewrites, {@link matchPlan} with its static plan does the same, faster.
 */
export function matchPattern(resource: unknown, pattern: unknown, options: ValueOptions = DEFAULT_OPTIONS): PatternResult {
  const walker = WALKER.start(options);
  return walker.result(walker.element(resource, pattern, planOf(pattern, options)));
}

/** {@link matchPattern} for a pattern's static plan (pattern-plan.ts `staticPlan`). */
export function matchPlan(resource: unknown, plan: PatternPlan): PatternResult {
  const walker = WALKER.start(DEFAULT_OPTIONS);
  return walker.result(walker.element(resource, plan.pattern, plan));
}

/**
 * Walks a plan over a resource. The path being walked is a stack of keys, written out as Kyverno's
 * `/a/b/0/` text only where a failure reports it: most of a walk passes.
 */
class PatternWalker {
  // The keys down to the current path are keys[0..depth): the array only grows, so a walk
  // allocates nothing for its path.
  private readonly keys: (string | number)[] = [];
  private depth = 0;
  private options: ValueOptions = DEFAULT_OPTIONS;
  /** Numbers the walks: what a walk keeps beside a static plan ({@link WalkExpansion}) is marked with its walk. */
  private walk = 0;
  /** Which anchor keys the resource ever had in this walk (Kyverno's AnchorMap). */
  private readonly presence = new AnchorPresence();

  /** Readies the walker for a new walk (a walk never starts another, so one walker serves all). */
  start(options: ValueOptions): this {
    this.options = options;
    this.walk++;
    this.presence.begin(this.walk);
    // A walk that threw (a stack exhausted by hostile nesting) may have left keys behind.
    this.depth = 0;
    return this;
  }

  result(miss: Step): PatternResult {
    if (!miss) return PASS;
    const failure = miss;
    if (failure.isSkip()) return new Told("skip", failure);
    if (failure.is("negation")) return new Failed(miss.path, miss.segments, failure);
    if (this.presence.keysAreMissing() || miss.path === "") return new Told("error", failure);
    return new Failed(miss.path, miss.segments, failure);
  }

  /** The place of the current path, and of `key` below it if given. */
  private here(key?: string): FailurePlace {
    return failurePlace(this.keys, this.depth, key);
  }

  /** A plain failure at the current path, its message quoting `first` and `second`. */
  private fail(form: (typeof Form)[keyof typeof Form], first?: unknown, second?: unknown): Miss {
    return Miss.plain(this.here(), form, first, second);
  }

  /** Walks `pattern` (planned as `plan`) over `resource` one key (or index) below the current path. */
  private below(key: string | number, resource: unknown, pattern: unknown, plan: PatternPlan): Step {
    this.keys[this.depth++] = key;
    let step: Step;
    // A map over a map, the most common visit, goes straight to the keys.
    if (plan.kind === MAP && isPlainObject(resource)) {
      if (plan.tracked.length > 0) this.presence.track(plan.tracked, resource);
      step = this.map(resource, pattern as Record<string, unknown>, plan);
    } else step = this.element(resource, pattern, plan);
    this.depth--;
    return step;
  }

  /** Walks `pattern` (planned as `plan`) over `resource` at the current path. */
  element(resource: unknown, pattern: unknown, plan: PatternPlan): Step {
    switch (plan.kind) {
      case MAP:
        if (!isPlainObject(resource)) return this.fail(Form.Structure, pattern, resource);
        if (plan.tracked.length > 0) this.presence.track(plan.tracked, resource);
        return this.map(resource, pattern as Record<string, unknown>, plan);
      case LIST:
        return Array.isArray(resource) ? this.list(resource, pattern as unknown[], plan) : this.fail(Form.Overlay);
      case SCALAR:
        return this.scalarMatches(resource, plan) ? undefined : this.fail(Form.Mismatch, resource, pattern);
      default:
        return this.fail(Form.Unknown);
    }
  }

  /** A scalar pattern against a value, or against every item of a list. */
  private scalarMatches(resource: unknown, plan: PatternPlan): boolean {
    const matcher = plan.matcher;
    if (!Array.isArray(resource)) return matcher(resource);
    for (const item of resource) {
      if (!matcher(item)) return false;
    }
    return true;
  }

  private map(resource: Record<string, unknown>, pattern: Record<string, unknown>, plan: PatternPlan): Step {
    if (plan.only === undefined) return this.keysOf(resource, pattern, plan);
    // A run of maps of one plain key each (`spec: template: spec:`) is stepped down without a visit
    // per map; where a step finds no map, that map is visited, which tells how it fails. The run
    // is bounded: plans and resources may loop (YAML aliases), and then recursion ends the walk.
    const depth = this.depth;
    let node = resource;
    let at = plan;
    for (let step = at.only; step !== undefined && this.depth - depth < MAX_RUN; step = at.only) {
      const found = node[step.element];
      if (!isPlainObject(found)) break;
      this.keys[this.depth++] = step.element;
      node = found;
      at = step.child as PatternPlan;
      if (at.tracked.length > 0) this.presence.track(at.tracked, node);
    }
    const miss = this.keysOf(node, at.pattern as Record<string, unknown>, at);
    this.depth = depth;
    return miss;
  }

  /** A map's keys: anchors first, then plain keys. */
  private keysOf(resource: Record<string, unknown>, pattern: Record<string, unknown>, plan: PatternPlan): Step {
    // Expansion rewrites the metadata maps inside the pattern, never the pattern's own keys.
    if (plan.metadataKey !== undefined) {
      if (plan.expansion) plan.expansion.rewrite(resource, this.walk);
      else expandInMetadata(pattern, plan.metadataKey, resource);
    }

    // Phase one: conditional, equality, existence and negation anchors, in key order.
    const anchorSteps = plan.anchorSteps;
    if (anchorSteps.length > 0) {
      // Made on the first skip: most visits skip nothing.
      let skipped: Miss[] | undefined;
      let applied = 0;
      for (let index = 0; index < anchorSteps.length; index++) {
        const step = anchorSteps[index] as KeyStep;
        const miss = step.direct ? this.direct(step, plan, pattern, resource) : this.handle(step, plan, pattern, resource);
        if (!miss) applied++;
        else if (miss.isSkip()) (skipped ??= []).push(miss);
        else if (!skipped || !hasNonPatternSkip(skipped)) return miss;
      }
      if (skipped && (applied === 0 || hasNonPatternSkip(skipped))) return Miss.skip(skipped);
    }

    // Phase two: plain keys; global anchors and keys holding nested anchors go first.
    const plainSteps = plan.plainSteps;
    for (let index = 0; index < plainSteps.length; index++) {
      const step = plainSteps[index] as KeyStep;
      const miss = step.direct ? this.direct(step, plan, pattern, resource) : this.handle(step, plan, pattern, resource);
      if (miss) return miss;
    }
    return undefined;
  }

  /**
   * A plain or equality key of a static plan, the short way: one read of the resource, and a map
   * or list below walked without the steps between. Anything but a pass goes the long way
   * ({@link handle}), which writes the failure.
   */
  private direct(step: KeyStep, owner: PatternPlan, pattern: Record<string, unknown>, resource: Record<string, unknown>): Step {
    const key = step.element;
    const found = resource[key];
    if (found === undefined && step.anchor === EQUALITY && !Object.hasOwn(resource, key)) return undefined;
    const child = step.child as PatternPlan;
    switch (child.kind) {
      case SCALAR:
        if (child.star && step.anchor !== EQUALITY ? found !== undefined && found !== null : this.scalarMatches(found ?? null, child)) {
          return undefined;
        }
        break;
      case MAP:
        if (isPlainObject(found)) {
          this.keys[this.depth++] = key;
          if (child.tracked.length > 0) this.presence.track(child.tracked, found);
          const miss = this.map(found, child.pattern as Record<string, unknown>, child);
          this.depth--;
          return miss;
        }
        break;
      case LIST:
        if (Array.isArray(found)) {
          this.keys[this.depth++] = key;
          const miss = this.list(found, child.pattern as unknown[], child);
          this.depth--;
          return miss;
        }
        break;
      default:
        break;
    }
    return this.handle(step, owner, pattern, resource);
  }

  private list(resource: unknown[], pattern: unknown[], plan: PatternPlan): Step {
    switch (plan.listKind) {
      case EMPTY_LIST:
        return this.fail(Form.Text, "pattern Array empty");
      case EACH_ITEM:
        return this.elements(resource.length, resource, pattern, this.item(pattern, plan, 0));
      case BY_INDEX:
        if (resource.length < pattern.length) {
          return Miss.unplaced(
            `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`,
          );
        }
        return this.elements(pattern.length, resource, pattern, undefined, plan);
      default:
        return this.element(resource, pattern[0], this.item(pattern, plan, 0));
    }
  }

  /** The plan of a list pattern's item. */
  private item(pattern: unknown[], plan: PatternPlan, index: number): PatternPlan {
    return plan.dynamic ? planOf(pattern[index], this.options) : (plan.items[index] as PatternPlan);
  }

  /**
   * Matches the first `count` resource elements against the pattern's items one by one (`byIndex`)
   * or against its one map (`each`): the first real failure wins; when every element was skipped
   * by an anchor, the whole array is skipped, as Kyverno does.
   */
  private elements(count: number, resource: readonly unknown[], pattern: unknown[], each?: PatternPlan, byIndex?: PatternPlan): Step {
    // Made on the first skip: most walks skip nothing.
    let skipped: Miss[] | undefined;
    let applied = 0;
    for (let i = 0; i < count; i++) {
      const miss = each
        ? this.below(i, resource[i], pattern[0], each)
        : this.below(i, resource[i], pattern[i], this.item(pattern, byIndex as PatternPlan, i));
      if (miss) {
        if (miss.isSkip()) {
          (skipped ??= []).push(miss);
          continue;
        }
        return miss;
      }
      applied++;
    }
    if (applied === 0 && skipped) return Miss.skip(skipped);
    return undefined;
  }

  /**
   * The metadata map a static plan's expansion rewrote in this walk, and its plan: Kyverno reads
   * the map's key order where the walk first reaches it, and its values wherever it reads them.
   */
  private expanded(step: KeyStep, owner: PatternPlan): [unknown, PatternPlan] {
    const expansion = owner.expansion as WalkExpansion;
    const original = step.child as PatternPlan;
    if (expansion.metadata === expansion.original) {
      expansion.plan ??= original;
      return [step.value, original];
    }
    let plan = expansion.plan;
    if (plan === undefined) plan = freshPlan(expansion.metadata, this.options);
    else if (!plan.dynamic) plan = planOf(expansion.original, this.options);
    expansion.plan = plan;
    return [expansion.metadata, plan];
  }

  /** One key of a map: the walked pattern map's, whose plan is `owner`. */
  private handle(step: KeyStep, owner: PatternPlan, pattern: Record<string, unknown>, resource: Record<string, unknown>): Step {
    let value = step.value;
    let child = step.child as PatternPlan;
    if (owner.dynamic) {
      // A dynamic plan's children are the walked map's values, planned as the walk meets them.
      value = pattern[step.key];
      if (step.child === undefined || step.value !== value) {
        step.value = value;
        step.child = child = planOf(value, this.options);
      }
    } else if (step.expands) [value, child] = this.expanded(step, owner);
    const key = step.element;
    // The resource's value under the key, null when absent; read once (Object.hasOwn only where
    // the read cannot tell).
    let found: unknown;
    let present: boolean;
    if (step.inherited) {
      present = Object.hasOwn(resource, key);
      found = present ? (resource[key] ?? null) : null;
    } else {
      found = resource[key];
      present = found !== undefined || Object.hasOwn(resource, key);
      found ??= null;
    }
    switch (step.anchor) {
      case CONDITION: {
        if (!present) {
          return Miss.anchor(this.here(key), "conditional", Form.Anchor, "conditional anchor key doesn't exist in the resource");
        }
        const miss = this.below(key, found, value, child);
        return miss?.around("conditional");
      }
      case GLOBAL: {
        if (!present) return undefined;
        const miss = this.below(key, found, value, child);
        return miss?.around("global");
      }
      case EXISTENCE:
        return present ? this.existence(key, found, value, child) : undefined;
      case EQUALITY:
        return present ? this.below(key, found, value, child) : undefined;
      case NEGATION:
        return present ? Miss.anchor(this.here(key), "negation", Form.Negation) : undefined;
      default:
        if (child.star) return found !== null ? undefined : this.fail(Form.NotFound, key);
        // Most pattern leaves are scalars that match: their place is only looked up on a mismatch.
        if (child.kind !== SCALAR) return this.below(key, found, value, child);
        return this.scalarMatches(found, child) ? undefined : Miss.plain(this.here(key), Form.Mismatch, found, value);
    }
  }

  /** An existence anchor whose key the resource has, with that key's `value`. */
  private existence(key: string, value: unknown, entries: unknown, plan: PatternPlan): Step {
    if (!Array.isArray(value)) {
      const type = goTypeName(value);
      return Miss.plain(
        this.here(key),
        Form.Text,
        `invalid resource type ${type}: Existence ^ () anchor can be used only on list/array type resource`,
      );
    }
    if (!Array.isArray(entries)) {
      const type = goTypeName(entries);
      return Miss.plain(this.here(key), Form.Text, `invalid pattern type ${type}: Pattern has to be of list to compare against resource`);
    }
    this.keys[this.depth++] = key;
    const miss = this.existsForEach(value, entries, plan);
    this.depth--;
    return miss;
  }

  /** Every map of the existence anchor's pattern list must match some item of the resource's list. */
  private existsForEach(list: unknown[], entries: unknown[], plan: PatternPlan): Step {
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index];
      if (!isPlainObject(entry)) {
        const type = goTypeName(entries);
        return this.fail(Form.Text, `invalid pattern type ${type}: Pattern has to be of type map to compare against items in resource`);
      }
      const miss = this.existsInList(list, entry, this.item(entries, plan, index));
      if (miss) return miss;
    }
    return undefined;
  }

  private existsInList(list: unknown[], entry: Record<string, unknown>, plan: PatternPlan): Step {
    for (let i = 0; i < list.length; i++) {
      if (!this.below(i, list[i], entry, plan)) return undefined;
    }
    return this.fail(Form.Existence);
  }
}

const WALKER = new PatternWalker();
/** Maps of one key stepped down in one run at most (see the walker's `map`). */
const MAX_RUN = 64;
