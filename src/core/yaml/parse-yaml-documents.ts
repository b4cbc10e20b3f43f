import { constructFromEvents, parseEvents, YAMLException } from "./js-yaml.js";
import type { Event } from "./js-yaml.js";
import { problem } from "../problems.js";
import type { Problem } from "../problems.js";
import { codeSpan, utf8Length } from "../report/markdown.js";
import { createLineIndex } from "./create-line-index.js";
import type { LineIndex } from "./create-line-index.js";
import { resolveYamlLimits } from "./default-yaml-limits.js";
import type { EventIndex } from "./event-index.js";
import { eventOffset, jsYamlEventPosition } from "./event-offset.js";
import { findDuplicateKey } from "./find-duplicate-key.js";
import { KUBERNETES_YAML_SCHEMA } from "./kubernetes-yaml-schema.js";
import { FilePositions, ParsedDocument } from "./parsed-document.js";
import { NOT_BUILT } from "./plain-value-builder.js";
import { scanYamlEvents } from "./scan-yaml-events.js";
import type { DocumentSpan, ScanViolation } from "./scan-yaml-events.js";
import type { ParsedYamlFile, SourcePosition, YamlDocument, YamlLimits } from "./types.js";

// js-yaml's own depth guard also counts scalars and flow entries (`{a: 1}` is depth 3, at most two
// more than the collections), so it gets twice the limit and our scan enforces the documented
// meaning, nesting of collections, at the collection that crosses it. The guard stays: without it
// a file of 100,000 `[` overflows the stack.
function parserDepthGuard(limits: YamlLimits): number {
  return limits.maxDepth * 2 + 2;
}
const BOM = 0xfeff;

/**
 * Reads a YAML file into its documents, each with its plain value (js-yaml `loadAll` with
 * {@link KUBERNETES_YAML_SCHEMA}) and a `positionOf(path)` lookup into the original text.
 *
 * Positions are 1-based lines and columns of the text as given, minus a leading byte order mark.
 * For a path that ends at a mapping key the position is the key's (the `image:` of a bad image);
 * for a sequence item or the root it is the node's first character, including its tag or anchor;
 * through an alias it is the alias; for a missing path it is the deepest ancestor that exists.
 *
 * Never throws on bad input: a syntax error, an oversized file, too deep nesting or too many
 * documents gives one problem and no documents; a document with an alias problem, a duplicate key
 * or another construction error gives one problem and is left out, the other documents are kept.
 */
export function parseYamlDocuments(params: { file: string; text: string; limits?: Partial<YamlLimits> }): ParsedYamlFile {
  const { file } = params;
  const limits = resolveYamlLimits(params.limits);
  const source = params.text.charCodeAt(0) === BOM ? params.text.slice(1) : params.text;
  let lines: LineIndex | undefined;
  const positionAt = (offset: number): SourcePosition => (lines ??= createLineIndex(source)).positionAt(offset);
  const fail = (found: Problem): ParsedYamlFile => ({ file, documents: [], problems: [found] });

  if (utf8Length(source, limits.maxBytes) > limits.maxBytes) return fail(tooLargeProblem({ file, limits }));

  let events: Event[];
  try {
    events = parseEvents(source, { maxDepth: parserDepthGuard(limits) });
  } catch (error) {
    return fail(parseErrorProblem({ error, file, limits, positionAt }));
  }

  const scan = scanYamlEvents({ events, source, limits });
  const index = scan.index;
  if (scan.tooManyDocumentsAt !== undefined) {
    const starts = documentStartOffsets({ index, source, documents: scan.documents });
    const root = events[scan.tooManyDocumentsAt + 1];
    const offset = nextDocumentOffset({
      rootOffset: root ? eventOffset(root, source) : -1,
      source,
      previousStart: starts[starts.length - 1] ?? -1,
    });
    return fail(
      problem("yaml.too-many-documents", `The file holds more than ${limits.maxDocuments} YAML documents.`, {
        file,
        ...positionAt(offset),
        hint: "Split it into several files, or raise the `maxDocuments` YAML limit in the bot configuration.",
      }),
    );
  }

  const tooDeep = scan.violations.find((violation) => violation.code === "yaml.too-deep");
  if (tooDeep) return fail(violationProblem({ violation: tooDeep, file, limits, position: positionAt(tooDeep.offset) }));

  const problems: Problem[] = [];
  const rejected = new Set<number>();
  for (const violation of scan.violations) {
    rejected.add(violation.documentIndex);
    problems.push(violationProblem({ violation, file, limits, position: positionAt(violation.offset) }));
  }
  const values = constructValues({ events, source, documents: scan.documents, built: scan.values, rejected });
  for (const failure of values.failures) {
    rejected.add(failure.documentIndex);
    problems.push(
      constructProblem({ ...failure, events, source, file, span: scan.documents[failure.documentIndex] as DocumentSpan, positionAt }),
    );
  }

  // Nothing below keeps `events`: positions are read from the packed index, so the event objects
  // die young instead of being carried through the whole check.
  const spans = scan.documents;
  const positions = new FilePositions(index, source, positionAt, () => documentStartOffsets({ index, source, documents: spans }));
  const documents: YamlDocument[] = [];
  for (let document = 0; document < spans.length; document++) {
    if (rejected.has(document)) continue;
    documents.push(new ParsedDocument(document, values.values[document], positions, spans[document] as DocumentSpan));
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { file, documents, problems };
}

/** A file over the size limit is refused before it is parsed: parsing is what the limit protects. */
function tooLargeProblem(params: { file: string; limits: YamlLimits }): Problem {
  return problem("yaml.too-large", `The file is larger than the ${formatBytes(params.limits.maxBytes)} limit for YAML files.`, {
    file: params.file,
    line: 1,
    column: 1,
    hint: "Split it into smaller files, or raise the `maxBytes` YAML limit in the bot configuration if the file is trusted.",
  });
}

interface ConstructFailure {
  documentIndex: number;
  error: unknown;
}

/**
 * Builds, document by document with js-yaml's constructor, the values the scan left unbuilt
 * (anything beyond plain mappings, sequences and scalars), so one bad document does not hide the
 * others. The documents are independent: each resets anchors and tag directives.
 */
function constructValues(params: {
  events: Event[];
  source: string;
  documents: readonly DocumentSpan[];
  built: readonly unknown[];
  rejected: ReadonlySet<number>;
}): {
  values: unknown[];
  failures: ConstructFailure[];
} {
  const { events, source, documents, built, rejected } = params;
  if (!built.includes(NOT_BUILT)) return { values: built as unknown[], failures: [] };
  const values: unknown[] = [...built];
  const failures: ConstructFailure[] = [];
  documents.forEach((span, documentIndex) => {
    if (rejected.has(documentIndex) || values[documentIndex] !== NOT_BUILT) return;
    try {
      const slice = events.slice(span.startEvent, span.endEvent);
      values[documentIndex] = constructFromEvents(slice, { source, schema: KUBERNETES_YAML_SCHEMA })[0];
    } catch (error) {
      failures.push({ documentIndex, error });
    }
  });
  return { values, failures };
}

function parseErrorProblem(params: {
  error: unknown;
  file: string;
  limits: YamlLimits;
  positionAt: (offset: number) => SourcePosition;
}): Problem {
  const { error, file, limits, positionAt } = params;
  const reason = reasonOf(error);
  const where = { file, ...positionAt(offsetOf(error)) };
  // A stack overflow can only come from nesting deeper than the parser's own guard allows.
  if (reason.startsWith("nesting exceeded maxDepth") || error instanceof RangeError) return tooDeepProblem({ limits, where });
  return problem("yaml.syntax", `The YAML cannot be parsed: ${codeSpan(reason, 120)}.`, {
    ...where,
    hint: "Fix the text at this line and column; wrong indentation, a tab used for indentation, or an unclosed quote or bracket are the usual causes.",
  });
}

function violationProblem(params: { violation: ScanViolation; file: string; limits: YamlLimits; position: SourcePosition }): Problem {
  const { violation, file, limits, position } = params;
  const where = { file, ...position };
  const document = `YAML document ${violation.documentIndex + 1}`;
  const alias = codeSpan(`*${violation.anchor ?? ""}`);
  switch (violation.code) {
    case "yaml.too-deep":
      return tooDeepProblem({ limits, where });
    case "yaml.recursive-alias":
      return problem(
        "yaml.recursive-alias",
        `Alias ${alias} in ${document} refers to a node that contains it, which would make the value infinitely deep.`,
        {
          ...where,
          hint: "Point the alias at an anchor outside that node, or write the value out.",
        },
      );
    case "yaml.too-many-aliases":
      return problem(
        "yaml.too-many-aliases",
        `${document} uses more than ${limits.maxAliases} aliases once aliases inside anchored nodes are counted each time they repeat (a YAML alias bomb looks like this).`,
        {
          ...where,
          hint: "Write the repeated parts out instead of nesting aliases, or raise the `maxAliases` YAML limit in the bot configuration if the file is trusted.",
        },
      );
  }
}

function tooDeepProblem(params: { limits: YamlLimits; where: { file: string; line: number; column: number } }): Problem {
  return problem("yaml.too-deep", `Mappings and sequences are nested more than ${params.limits.maxDepth} levels deep here.`, {
    ...params.where,
    hint: "Flatten the structure, or raise the `maxDepth` YAML limit in the bot configuration.",
  });
}

function constructProblem(params: {
  documentIndex: number;
  error: unknown;
  events: readonly Event[];
  source: string;
  file: string;
  span: DocumentSpan;
  positionAt: (offset: number) => SourcePosition;
}): Problem {
  const { error, events, source, file, span, positionAt } = params;
  const reason = reasonOf(error);
  const offset = offsetOf(error);
  const document = `YAML document ${params.documentIndex + 1}`;
  const nodeOffset = ourOffset({ events, source, span, offset });
  if (reason === "duplicated mapping key") {
    const duplicate = findDuplicateKey({ events, source, startEvent: span.startEvent, endEvent: span.endEvent, offset });
    const where = { file, ...positionAt(duplicate?.offset ?? offset) };
    const name = duplicate ? `Key ${codeSpan(duplicate.key)}` : "A key";
    const first = duplicate ? `, first on line ${positionAt(duplicate.firstOffset).line}` : "";
    return problem("yaml.duplicate-key", `${name} appears twice in the same mapping of ${document}${first}.`, {
      ...where,
      hint: "Remove one of the two entries: YAML allows each key once, and tools disagree on which value would win.",
    });
  }
  const where = { file, ...positionAt(nodeOffset) };
  return problem("yaml.invalid", `${document} cannot be read: ${codeSpan(reason, 120)}.`, {
    ...where,
    hint: "Kubernetes manifests use plain YAML: remove custom tags such as `!Ref`, define each `&anchor` before its `*alias`, and merge (`<<`) only mappings.",
  });
}

/** Converts js-yaml's error offset (after a `*`, inside quotes) to the start of the node it names. */
function ourOffset(params: { events: readonly Event[]; source: string; span: DocumentSpan; offset: number }): number {
  const { events, source, span, offset } = params;
  for (let index = span.startEvent; index < span.endEvent; index++) {
    const event = events[index] as Event;
    if (jsYamlEventPosition(event) === offset) return eventOffset(event, source);
  }
  return offset;
}

/** Offsets where each document starts: its first node, or its `---` marker when it is empty. */
function documentStartOffsets(params: { index: EventIndex; source: string; documents: readonly DocumentSpan[] }): number[] {
  const starts: number[] = [];
  let previous = -1;
  for (const span of params.documents) {
    const root = span.startEvent + 1 < span.endEvent ? params.index.offset(span.startEvent + 1) : -1;
    previous = nextDocumentOffset({ rootOffset: root, source: params.source, previousStart: previous });
    starts.push(previous);
  }
  return starts;
}

function nextDocumentOffset(params: { rootOffset: number; source: string; previousStart: number }): number {
  if (params.rootOffset !== -1) return params.rootOffset;
  // An empty document has no node to point at; its `---` marker is the next one after the
  // previous document's start (`---` at the start of a line is always a marker in YAML).
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  marker.lastIndex = params.previousStart + 1;
  return marker.exec(params.source)?.index ?? Math.max(params.previousStart, 0);
}

function reasonOf(error: unknown): string {
  if (error instanceof YAMLException) return error.reason;
  // A stack overflow or similar from a hostile input must still end as a problem, not a crash.
  return error instanceof Error ? error.message : String(error);
}

function offsetOf(error: unknown): number {
  return error instanceof YAMLException && error.mark ? error.mark.position : 0;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${round(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}
