import type { FieldPath } from "../../yaml/types.js";
import type { CompiledValidator, SchemaError } from "./schema-catalog.js";

/**
 * What a schema allows in one object: the declared fields (closed), any key (a map such as
 * `labels`), or anything at all (a free-form object such as Helm values).
 */
export type ObjectShape = { type: "closed"; fields: ReadonlySet<string> } | { type: "map" } | { type: "free" };

/** Shapes by normalised path: keys of closed objects, `{}` for a map's values, `[]` for items. */
export type ShapeCache = Map<string, ObjectShape>;

interface Reads {
  fields: Set<string>;
  enumerated: boolean;
}

/** Path segment for the values of a map and for the items of a list. */
export const MAP_VALUE = "{}";
export const LIST_ITEM = "[]";

/**
 * Learns which fields the schema declares for every object of `value` it reaches, by running the
 * compiled validator once over read-recording proxies.
 *
 * Why: the Kubernetes OpenAPI schemas leave `additionalProperties` open, so a typo such as
 * `readinesProbe` passes them, while the API server's strict field validation rejects it. An ajv
 * validator reads every declared property of an object it checks (present or not) and walks all
 * keys only of maps, so what it reads *is* the object's schema: closed, map or free-form. Learned
 * shapes are cached per normalised path, so this runs once per new shape, not once per object.
 */
export function learnObjectShapes(params: { validator: CompiledValidator; value: unknown; cache: ShapeCache }): void {
  const reads = new Map<object, Reads>();
  params.validator(track(params.value, reads));
  const typeErrors = new Set((params.validator.errors ?? []).filter((e: SchemaError) => e.keyword === "type").map((e) => e.instancePath));
  const stack: { value: unknown; key: string; pointer: string }[] = [{ value: params.value, key: "", pointer: "" }];
  while (stack.length > 0) {
    const { value, key, pointer } = stack.pop() as { value: unknown; key: string; pointer: string };
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, key: `${key}/${LIST_ITEM}`, pointer: `${pointer}/${index}` }));
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const read = reads.get(value);
    // Never reached, or rejected as the wrong type: its shape is still unknown.
    if (!read || (read.fields.size === 0 && !read.enumerated && typeErrors.has(pointer))) continue;
    const shape: ObjectShape = read.enumerated ? { type: "map" } : read.fields.size > 0 ? { type: "closed", fields: read.fields } : { type: "free" };
    if (!params.cache.has(key)) params.cache.set(key, shape);
    if (shape.type === "free") continue;
    for (const [field, child] of Object.entries(value)) {
      if (shape.type === "closed" && !shape.fields.has(field)) continue;
      stack.push({ value: child, key: `${key}/${shape.type === "map" ? MAP_VALUE : field}`, pointer: `${pointer}/${escapePointer(field)}` });
    }
  }
}


/**
 * Unknown fields of `value` under the cached shapes; `undefined` when a shape is not cached yet.
 * With `unlearnedIsFree`, an object without a shape (one the validator never reached, under a value
 * of the wrong type, which has its own finding) is taken as free-form instead.
 */
export function findUnknownFields(params: {
  value: unknown;
  cache: ShapeCache;
  unlearnedIsFree?: boolean;
}): { path: FieldPath; field: string; known: ReadonlySet<string> }[] | undefined {
  const found: { path: FieldPath; field: string; known: ReadonlySet<string> }[] = [];
  const stack: { value: unknown; key: string; path: FieldPath }[] = [{ value: params.value, key: "", path: [] }];
  while (stack.length > 0) {
    const { value, key, path } = stack.pop() as { value: unknown; key: string; path: FieldPath };
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, key: `${key}/${LIST_ITEM}`, path: [...path, index] }));
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const shape = params.cache.get(key);
    if (!shape && !params.unlearnedIsFree) return undefined;
    if (!shape || shape.type === "free") continue;
    for (const [field, child] of Object.entries(value)) {
      if (shape.type === "closed" && !shape.fields.has(field)) {
        found.push({ path: [...path, field], field, known: shape.fields });
        continue;
      }
      if (typeof child === "object" && child !== null) {
        stack.push({ value: child, key: `${key}/${shape.type === "map" ? MAP_VALUE : field}`, path: [...path, field] });
      }
    }
  }
  return found;
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
      const child: unknown = Reflect.get(target, property, receiver);
      if (typeof property === "string") read?.fields.add(property);
      if (typeof child !== "object" || child === null) return child;
      let wrapped = children.get(property);
      if (wrapped === undefined) children.set(property, (wrapped = track(child, reads)));
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
