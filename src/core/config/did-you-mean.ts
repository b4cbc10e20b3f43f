/** Edit distance between two words (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  valueType?: unknown;
  element?: unknown;
}

/** Unwraps defaults, optionals, pipes and transforms down to the schema that holds keys or items. */
function unwrap(schema: unknown): { def?: SchemaDef } | undefined {
  let current = schema as { def?: SchemaDef } | undefined;
  for (let i = 0; i < 8 && current?.def && !["object", "record", "array"].includes(current.def.type ?? ""); i++) {
    current = (current.def.innerType ?? current.def.in) as typeof current;
  }
  return current;
}

/** Keys a zod schema allows at `path` (through records' values and lists' items). */
function knownKeys(schema: unknown, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const key of path) {
    const def = current?.def;
    if (def?.type === "object" && typeof key === "string") current = unwrap(def.shape?.[key]);
    else if (def?.type === "record") current = unwrap(def.valueType);
    else if (def?.type === "array" && typeof key === "number") current = unwrap(def.element);
    else return [];
  }
  return current?.def?.type === "object" ? Object.keys(current.def.shape ?? {}) : [];
}

/**
 * The allowed key nearest to an unknown `key` at `path` of a zod schema, when one is close enough
 * to be a typo (about a third of the word may differ); null otherwise. For "did you mean" hints.
 */
export function didYouMean(params: { schema: unknown; path: readonly PropertyKey[]; key: string }): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(params.key.length / 3)) + 1;
  for (const candidate of knownKeys(params.schema, params.path)) {
    const distance = editDistance(params.key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
