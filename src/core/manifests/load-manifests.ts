import type { Manifest } from "../policy/types.js";
import { formatPath, problem } from "../problems.js";
import type { Problem } from "../problems.js";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";
import type { FieldPath, SourcePosition, YamlDocument, YamlLimits } from "../yaml/types.js";
import type { SkippedFile } from "./types.js";

/** Problems that protect the bot (size, depth, aliases): a file past a limit is always a finding. */
const LIMIT_PROBLEMS = new Set([
  "yaml.too-large",
  "yaml.too-deep",
  "yaml.too-many-aliases",
  "yaml.too-many-documents",
  "yaml.recursive-alias",
]);

/**
 * Reads Kubernetes objects from YAML files, each with its file, document index and source positions.
 *
 * - Empty documents (only comments, or a bare `---`) are skipped without a word.
 * - A document that is not a mapping with a non-empty `apiVersion`, `kind` and `metadata.name`
 *   (or `metadata.generateName`, which Argo CD hooks use) becomes one
 *   `manifest.not-kubernetes-object` problem, at the parent of the first missing field.
 * - A list object (`kind: List`, or any `*List` kind with an `items` sequence, as `kubectl` reads
 *   them) is replaced by its items; each item is checked as above and its positions point into the
 *   list (`items[2].spec...`).
 * - YAML problems (syntax, limits, duplicate keys) come from {@link parseYamlDocuments}. JSON is
 *   read the same way (JSON is YAML), so JSON files holding Kubernetes objects are judged too.
 * - A file that holds no Kubernetes object and does not look like it tries to (its text lacks any
 *   of `apiVersion:`, `kind:` and `metadata:`) is `skipped` as `no-kubernetes-object`, with no
 *   problem: Argo CD ignores such YAML the same way (Helm values, compose files, workflows,
 *   dashboards). A file past a YAML limit is never skipped: the limit's problem stands.
 *
 * Which files to pass is the caller's choice (see `selectManifestPaths`).
 */
export function loadManifests(params: { files: readonly { path: string; text: string }[]; limits?: Partial<YamlLimits> }): {
  manifests: Manifest[];
  problems: Problem[];
  skipped: SkippedFile[];
} {
  const manifests: Manifest[] = [];
  const problems: Problem[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of params.files) {
    const loaded = loadManifestFile({ file, ...(params.limits ? { limits: params.limits } : {}) });
    manifests.push(...loaded.manifests);
    problems.push(...loaded.problems);
    if (loaded.skipped) skipped.push(loaded.skipped);
  }
  return { manifests, problems, skipped };
}

/** What one file gives: its objects and problems, or why it was skipped. Never mutated once made. */
export interface ManifestFileLoad {
  manifests: readonly Manifest[];
  problems: readonly Problem[];
  skipped?: SkippedFile;
  /** The file's length in characters, for a cache's weight and the reading budget. */
  chars: number;
}

/** One file of {@link loadManifests}: a pure function of the path, the text and the limits, so it can be cached by content. */
export function loadManifestFile(params: { file: { path: string; text: string }; limits?: Partial<YamlLimits> }): ManifestFileLoad {
  const { file } = params;
  const parsed = parseYamlDocuments({ file: file.path, text: file.text, ...(params.limits ? { limits: params.limits } : {}) });
  const found: Manifest[] = [];
  const foundProblems: Problem[] = [...parsed.problems];
  for (const document of parsed.documents) {
    if (document.value === null || document.value === undefined) continue;
    readDocument({ file: file.path, document, manifests: found, problems: foundProblems });
  }
  if (isNotKubernetes({ text: file.text, parsed, found }))
    return { manifests: [], problems: [], skipped: { path: file.path, reason: "no-kubernetes-object" }, chars: file.text.length };
  return { manifests: found, problems: foundProblems, chars: file.text.length };
}

/**
 * Argo CD ignores YAML that is no resource and does not try to be one. Stricter than Argo CD where
 * it matters: a document with a `kind` key is always judged, and a file past a YAML limit always
 * keeps its problem.
 */
function isNotKubernetes(params: { text: string; parsed: ReturnType<typeof parseYamlDocuments>; found: readonly Manifest[] }): boolean {
  const { parsed } = params;
  if (params.found.length > 0 || parsed.problems.some((p) => LIMIT_PROBLEMS.has(p.code))) return false;
  // Argo CD decodes each document as an object, which needs a `kind`; a document with one is judged.
  if (parsed.documents.some((d) => isRecord(d.value) && Object.hasOwn(d.value, "kind"))) return false;
  // Otherwise Argo CD fails the file only when its text names all three keys. Rejected documents
  // (bad syntax, a duplicate key) are not in `documents`, so the text is what tells.
  if (looksLikeKubernetes(params.text)) return false;
  return parsed.problems.length > 0 || parsed.documents.some((d) => d.value !== null && d.value !== undefined);
}

/** Argo CD's test for YAML that tries to be a resource: all three keys appear somewhere (quoted in JSON). */
function looksLikeKubernetes(text: string): boolean {
  return /apiVersion["']?\s*:/.test(text) && /kind["']?\s*:/.test(text) && /metadata["']?\s*:/.test(text);
}

function readDocument(params: { file: string; document: YamlDocument; manifests: Manifest[]; problems: Problem[] }): void {
  const { file, document, manifests, problems } = params;
  const value = document.value;
  const where = `Document ${document.index + 1}`;
  if (isListObject(value)) {
    const missing = missingFields(value, false);
    if (missing.length > 0) {
      problems.push(notKubernetesObject({ file, document, prefix: [], missing, subject: where }));
      return;
    }
    value.items.forEach((item, index) => {
      const prefix: FieldPath = ["items", index];
      const subject = `Item ${index + 1} of the list in document ${document.index + 1}`;
      const itemMissing = missingFields(item, true);
      if (itemMissing.length > 0) {
        problems.push(notKubernetesObject({ file, document, prefix, missing: itemMissing, subject }));
        return;
      }
      manifests.push(new DocumentManifest({ file, document, object: item as Record<string, unknown>, prefix }));
    });
    return;
  }
  const missing = missingFields(value, true);
  if (missing.length > 0) {
    problems.push(notKubernetesObject({ file, document, prefix: [], missing, subject: where }));
    return;
  }
  manifests.push(new DocumentManifest({ file, document, object: value as Record<string, unknown>, prefix: NO_PREFIX }));
}

const NO_PREFIX: FieldPath = [];

/**
 * A manifest read from a document, or from an item of a list object in it (`prefix` is then
 * `items[i]`). A class, so the thousands a check keeps share their methods instead of carrying
 * closures of their own.
 */
class DocumentManifest implements Manifest {
  readonly file: string;
  readonly documentIndex: number;
  readonly object: Record<string, unknown>;
  private readonly document: YamlDocument;
  private readonly prefix: FieldPath;

  constructor(params: { file: string; document: YamlDocument; object: Record<string, unknown>; prefix: FieldPath }) {
    this.file = params.file;
    this.documentIndex = params.document.index;
    this.object = params.object;
    this.document = params.document;
    this.prefix = params.prefix;
  }

  positionOf(path: FieldPath): SourcePosition {
    return this.document.positionOf(this.prefix.length === 0 ? path : [...this.prefix, ...path]);
  }

  positionInValue(path: FieldPath, offset: number): SourcePosition {
    return this.document.positionInValue(this.prefix.length === 0 ? path : [...this.prefix, ...path], offset);
  }
}

const NOT_A_MAPPING: FieldPath = [];

/** The required fields an object lacks, in the order a person would add them. */
function missingFields(value: unknown, needsName: boolean): FieldPath[] {
  if (!isRecord(value)) return [NOT_A_MAPPING];
  const missing: FieldPath[] = [];
  if (!isFilled(value.apiVersion)) missing.push(["apiVersion"]);
  if (!isFilled(value.kind)) missing.push(["kind"]);
  if (needsName) {
    const metadata = value.metadata;
    if (!isRecord(metadata) || (!isFilled(metadata.name) && !isFilled(metadata.generateName))) missing.push(["metadata", "name"]);
  }
  return missing;
}

function notKubernetesObject(params: {
  file: string;
  document: YamlDocument;
  prefix: FieldPath;
  missing: FieldPath[];
  subject: string;
}): Problem {
  const { file, document, prefix, missing, subject } = params;
  const first = missing[0] ?? NOT_A_MAPPING;
  const path = formatPath([...prefix, ...first]);
  const position = document.positionOf([...prefix, ...first]);
  const reason =
    first === NOT_A_MAPPING
      ? `is ${describe(prefix.length === 0 ? document.value : itemAt(document.value, prefix))}, not a mapping`
      : `has no ${listFields(missing)}`;
  return problem("manifest.not-kubernetes-object", `${subject} is not a Kubernetes object: it ${reason}.`, {
    file,
    ...position,
    ...(path === "" ? {} : { path }),
    hint: "Give every object a non-empty `apiVersion`, `kind` and `metadata.name`, or keep YAML that is not a manifest out of the folders the bot checks.",
  });
}

function listFields(missing: readonly FieldPath[]): string {
  const names = missing.map((path) => `\`${formatPath(path)}\``);
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a sequence";
  if (value === null || value === undefined) return "empty";
  return `a ${typeof value === "string" ? "string" : typeof value === "object" ? "value" : typeof value}`;
}

function itemAt(value: unknown, prefix: FieldPath): unknown {
  const index = prefix[1];
  return isRecord(value) && Array.isArray(value.items) && typeof index === "number" ? value.items[index] : undefined;
}

/** `kubectl` treats any kind ending in `List` that carries an `items` array as a list of objects. */
function isListObject(value: unknown): value is Record<string, unknown> & { items: unknown[] } {
  return isRecord(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFilled(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "";
}
