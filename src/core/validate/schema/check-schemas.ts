import { isPolicyExceptionDocument } from "../../policy/kyverno/parse-policy-exception.js";
import type { Severity } from "../../problems.js";
import { formatPath } from "../../problems.js";
import type { Finding, Manifest } from "../../policy/types.js";
import { codeSpan } from "../../report/markdown.js";
import type { FieldPath } from "../../yaml/types.js";
import { didYouMean } from "../did-you-mean.js";
import { objectLabel, SCHEMA_POLICY, validationFinding } from "../validation-finding.js";
import { createShapeTree, findUnknownFields, learnObjectShapes, type ShapeTree } from "./learn-object-shapes.js";
import type { CompiledValidator, SchemaCatalog, SchemaError } from "./schema-catalog.js";

/** Beyond this many schema findings on one object, the rest are counted in one more finding. */
const MAX_FINDINGS_PER_OBJECT = 20;

// Learned shapes depend only on the validator, which the adapter compiles once per process, so
// they are memoised beside it: the proxy run happens once per new shape, not once per object.
const SHAPES = new WeakMap<CompiledValidator, ShapeTree>();

/**
 * Validates every judged manifest against its kind's schema: wrong types, enum values, missing
 * required fields, formats and bounds (the schema's own rules), and fields the schema does not
 * declare (what `kubectl --validate=strict` rejects), with a "did you mean" for typos. Findings
 * point at the offending field (the parent of a missing one). A kind without a schema gets one
 * notice per file and kind, never an error.
 */
export function checkSchemas(params: {
  manifests: readonly Manifest[];
  catalog: SchemaCatalog;
  severity: Severity;
  unknownKinds: Severity | "off";
  isJudged: (file: string) => boolean;
}): Finding[] {
  const findings: Finding[] = [];
  const unknownKindsSeen = new Set<string>();
  for (const manifest of params.manifests) {
    if (!params.isJudged(manifest.file)) continue;
    // Kyverno PolicyExceptions are validated field by field by the policy engine's own parser.
    if (isPolicyExceptionDocument(manifest.object)) continue;
    const apiVersion = String(manifest.object.apiVersion);
    const kind = String(manifest.object.kind);
    const validator = params.catalog.validatorFor(apiVersion, kind);
    if (!validator) {
      const key = `${manifest.file}\0${apiVersion}\0${kind}`;
      if (params.unknownKinds !== "off" && !unknownKindsSeen.has(key)) {
        unknownKindsSeen.add(key);
        findings.push(
          validationFinding({
            policy: SCHEMA_POLICY,
            rule: "no-schema",
            severity: params.unknownKinds,
            manifest,
            path: ["kind"],
            message: `No schema is known for ${codeSpan(kind)} in ${codeSpan(apiVersion)}, so objects of this kind in this file were not validated against one.`,
            hint: "A custom resource without a bundled schema is left to the cluster; check the apiVersion and kind for typos.",
          }),
        );
      }
      continue;
    }
    const objectFindings = [
      ...schemaErrorFindings({ manifest, validator, severity: params.severity }),
      ...unknownFieldFindings({ manifest, validator, severity: params.severity }),
    ];
    findings.push(...capped(objectFindings, manifest, params.severity));
  }
  return findings;
}

function schemaErrorFindings(params: { manifest: Manifest; validator: CompiledValidator; severity: Severity }): Finding[] {
  const { manifest, validator } = params;
  if (validator(manifest.object)) return [];
  const label = objectLabel(manifest);
  const byPath = new Map<string, SchemaError[]>();
  for (const error of validator.errors ?? []) {
    const key = error.keyword === "required" ? `${error.instancePath}/${String(error.params.missingProperty)}` : error.instancePath;
    const group = byPath.get(key);
    if (group) group.push(error);
    else byPath.set(key, [error]);
  }
  const findings: Finding[] = [];
  for (const errors of byPath.values()) {
    const described = describeErrors({ errors, object: manifest.object });
    if (!described) continue;
    findings.push(
      validationFinding({
        policy: SCHEMA_POLICY,
        rule: described.rule,
        severity: params.severity,
        manifest,
        path: described.path,
        message: `${label}: ${described.message}`,
        ...(described.hint ? { hint: described.hint } : {}),
      }),
    );
  }
  return findings;
}

/** One message for all errors at one place (a value failing `oneOf` fails each branch's type too). */
function describeErrors(params: {
  errors: readonly SchemaError[];
  object: unknown;
}): { rule: string; path: FieldPath; message: string; hint?: string } | undefined {
  const first = params.errors[0];
  if (!first) return undefined;
  const path = pointerToPath(first.instancePath, params.object);
  const value = valueAt(params.object, path);
  const field = `\`${formatPath(path) || "(the object)"}\``;
  if (first.keyword === "required") {
    const missing = String(first.params.missingProperty);
    const full = [...path, missing];
    return { rule: "required", path: full, message: `${codeSpan(formatPath(full))} is required but missing.` };
  }
  const types = params.errors.filter((e) => e.keyword === "type").map((e) => String(e.params.type));
  if (types.length > 0) {
    return { rule: "wrong-type", path, message: `${field} must be ${types.map(article).join(" or ")}, not ${describeValue(value)}.` };
  }
  const enumError = params.errors.find((e) => e.keyword === "enum");
  if (enumError) {
    const allowed = Array.isArray(enumError.params.allowedValues) ? enumError.params.allowedValues.map(String) : [];
    const suggestion = typeof value === "string" ? didYouMean(value, allowed) : undefined;
    return {
      rule: "enum",
      path,
      message: `${field} must be one of ${allowed.map((v) => codeSpan(v)).join(", ")}, not ${describeValue(value)}${suggestion ? `; did you mean ${codeSpan(suggestion)}?` : "."}`,
    };
  }
  return { rule: "invalid-value", path, message: `${field} ${describeKeyword(first)} (found ${describeValue(value)}).` };
}

function unknownFieldFindings(params: { manifest: Manifest; validator: CompiledValidator; severity: Severity }): Finding[] {
  const { manifest, validator } = params;
  let tree = SHAPES.get(validator);
  if (!tree) SHAPES.set(validator, (tree = createShapeTree()));
  let unknown = findUnknownFields({ value: manifest.object, tree });
  if (unknown === undefined) {
    learnObjectShapes({ validator, value: manifest.object, tree });
    unknown = findUnknownFields({ value: manifest.object, tree, unlearnedIsFree: true });
  }
  const label = objectLabel(manifest);
  return (unknown ?? []).map(({ path, field, known }) => {
    const suggestion = didYouMean(field, known);
    const parent = formatPath(path.slice(0, -1));
    return validationFinding({
      policy: SCHEMA_POLICY,
      rule: "unknown-field",
      severity: params.severity,
      manifest,
      path,
      message: `${label}: ${codeSpan(field)} is not a field of ${parent === "" ? "this kind" : `\`${parent}\``}${suggestion ? `; did you mean ${codeSpan(suggestion)}?` : "."}`,
      hint: "The API server rejects unknown fields under strict validation, and drops them otherwise: fix the name or its indentation.",
    });
  });
}

function capped(findings: Finding[], manifest: Manifest, severity: Severity): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_OBJECT) return findings;
  const shown = findings.slice(0, MAX_FINDINGS_PER_OBJECT);
  shown.push(
    validationFinding({
      policy: SCHEMA_POLICY,
      rule: "invalid-value",
      severity,
      manifest,
      path: [],
      message: `${objectLabel(manifest)}: ${findings.length - MAX_FINDINGS_PER_OBJECT} more schema findings on this object are not shown.`,
      hint: "Fix the ones shown first; the object may be of another kind or apiVersion than intended.",
    }),
  );
  return shown;
}

function pointerToPath(pointer: string, object: unknown): FieldPath {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let value = object;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(value) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      value = value[Number(segment)];
    } else {
      path.push(segment);
      value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

function valueAt(object: unknown, path: FieldPath): unknown {
  let value = object;
  for (const segment of path)
    value = typeof value === "object" && value !== null ? (value as Record<string | number, unknown>)[segment] : undefined;
  return value;
}

function article(type: string): string {
  switch (type) {
    case "integer":
      return "an integer";
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    default:
      return `a ${type}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${codeSpan(value, 40)}`;
  return `${typeof value === "number" && Number.isInteger(value) ? "the integer" : `the ${typeof value}`} ${codeSpan(String(value), 40)}`;
}

function describeKeyword(error: SchemaError): string {
  const params = error.params;
  switch (error.keyword) {
    case "format":
      return `must have the format ${codeSpan(String(params.format))}`;
    case "pattern":
      return `must match ${codeSpan(String(params.pattern))}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${String(params.comparison)} ${String(params.limit)}`;
    case "minLength":
    case "maxLength":
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties":
      return `breaks the schema's ${error.keyword} of ${String(params.limit)}`;
    default:
      return error.message ? error.message : `breaks the schema's \`${error.keyword}\` rule`;
  }
}
