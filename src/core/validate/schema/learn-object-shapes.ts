import type { FieldPath } from "../../yaml/types.js";
import type { CompiledValidator, SchemaError } from "./schema-catalog.js";

/**
 * What a schema allows in one object: the declared fields (closed), any key (a map such as
 * `labels`), or anything at all (a free-form object such as Helm values).
 */
export type ObjectShape = { type: "closed"; fields: ReadonlySet<string> } | { type: "map" } | { type: "free" };

/**
 * Learned shapes as a tree that mirrors the objects: children by field name for closed objects,
 * {@link MAP_VALUE} for a map's values and {@link LIST_ITEM} for list items. Walking it beside an
 * object needs no path strings, which keeps the check cheap for thousands of objects.
 */
export interface ShapeTree {
  shape?: ObjectShape;
  children: Map<string, ShapeTree>;
}

/** Segment for the values of a map and for the items of a list. */
const MAP_VALUE = "{}";
const LIST_ITEM = "[]";

/** An empty tree: nothing learned yet. */
export function createShapeTree(): ShapeTree {
  return { children: new Map() };
}

interface Reads {
  fields: Set<string>;
  enumerated: boolean;
}

/**
 * Learns which fields the schema declares for every object of `value` it reaches, by running the
 * compiled validator once over read-recording proxies.
 *
 * Why: the Kubernetes OpenAPI schemas leave `additionalProperties` open, so a typo such as
 * `readinesProbe` passes them, while the API server's strict field validation rejects it. An ajv
 * validator reads every declared property of an object it checks (present or not) and walks all
 * keys only of maps, so what it reads *is* the object's schema: closed, map or free-form. Shapes
 * are kept in the tree, so this runs once per new shape, not once per object.
 */
export function learnObjectShapes(params: { validator: CompiledValidator; value: unknown; tree: ShapeTree }): void {
  const reads = new Map<object, Reads>();
  params.validator(track(params.value, reads));
  const typeErrors = new Set((params.validator.errors ?? []).filter((e: SchemaError) => e.keyword === "type").map((e) => e.instancePath));
  const stack: { value: unknown; node: ShapeTree; pointer: string }[] = [{ value: params.value, node: params.tree, pointer: "" }];
  while (stack.length > 0) {
    const { value, node, pointer } = stack.pop() as { value: unknown; node: ShapeTree; pointer: string };
    if (Array.isArray(value)) {
      const items = child(node, LIST_ITEM);
      value.forEach((item, index) => stack.push({ value: item, node: items, pointer: `${pointer}/${index}` }));
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const read = reads.get(value);
    // Never reached, or rejected as the wrong type: its shape is still unknown.
    if (!read || (read.fields.size === 0 && !read.enumerated && typeErrors.has(pointer))) continue;
    node.shape ??= read.enumerated ? { type: "map" } : read.fields.size > 0 ? { type: "closed", fields: read.fields } : { type: "free" };
    const shape = node.shape;
    if (shape.type === "free") continue;
    for (const [field, fieldValue] of Object.entries(value)) {
      if (shape.type === "closed" && !shape.fields.has(field)) continue;
      stack.push({
        value: fieldValue,
        node: child(node, shape.type === "map" ? MAP_VALUE : field),
        pointer: `${pointer}/${escapePointer(field)}`,
      });
    }
  }
}

/** An unknown field: where it is, its name, and the fields its object may have. */
export interface UnknownField {
  path: FieldPath;
  field: string;
  known: ReadonlySet<string>;
}

interface WalkEntry {
  value: unknown;
  node: ShapeTree | undefined;
  parent: WalkEntry | undefined;
  segment: string | number;
}

/**
 * Unknown fields of `value` under the learned shapes; `undefined` when a shape is not learned yet.
 * With `unlearnedIsFree`, an object without a shape (one the validator never reached, under a value
 * of the wrong type, which has its own finding) is taken as free-form instead.
 */
export function findUnknownFields(params: { value: unknown; tree: ShapeTree; unlearnedIsFree?: boolean }): UnknownField[] | undefined {
  const found: UnknownField[] = [];
  const stack: WalkEntry[] = [{ value: params.value, node: params.tree, parent: undefined, segment: "" }];
  while (stack.length > 0) {
    const entry = stack.pop() as WalkEntry;
    const { value, node } = entry;
    if (Array.isArray(value)) {
      const items = node?.children.get(LIST_ITEM);
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (typeof item === "object" && item !== null) stack.push({ value: item, node: items, parent: entry, segment: index });
      }
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const shape = node?.shape;
    if (!shape && !params.unlearnedIsFree) return undefined;
    if (!shape || shape.type === "free") continue;
    for (const field in value) {
      if (shape.type === "closed" && !shape.fields.has(field)) {
        found.push({ path: [...pathOf(entry), field], field, known: shape.fields });
        continue;
      }
      const fieldValue: unknown = (value as Record<string, unknown>)[field];
      if (typeof fieldValue === "object" && fieldValue !== null) {
        stack.push({ value: fieldValue, node: node.children.get(shape.type === "map" ? MAP_VALUE : field), parent: entry, segment: field });
      }
    }
  }
  return found;
}

function pathOf(entry: WalkEntry): FieldPath {
  const path: (string | number)[] = [];
  for (let at: WalkEntry | undefined = entry; at?.parent; at = at.parent) path.push(at.segment);
  return path.reverse();
}

function child(node: ShapeTree, segment: string): ShapeTree {
  let next = node.children.get(segment);
  if (!next) node.children.set(segment, (next = createShapeTree()));
  return next;
}

function track(value: unknown, reads: Map<object, Reads>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const children = new Map<string | symbol, unknown>();
  let read: Reads | undefined;
  if (!Array.isArray(value)) {
    read = { fields: new Set(), enumerated: false };
    reads.set(value, read);
  }
  return new Proxy(value, {
    get(target, property, receiver) {
      const found: unknown = Reflect.get(target, property, receiver);
      if (typeof property === "string") read?.fields.add(property);
      if (typeof found !== "object" || found === null) return found;
      let wrapped = children.get(property);
      if (wrapped === undefined) children.set(property, (wrapped = track(found, reads)));
      return wrapped;
    },
    has(target, property) {
      if (typeof property === "string") read?.fields.add(property);
      return Reflect.has(target, property);
    },
    ownKeys(target) {
      if (read) read.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

function escapePointer(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}
