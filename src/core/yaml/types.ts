import type { Problem } from "../problems.js";

/** 1-based line and column in a source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A field path inside a YAML document: mapping keys and sequence indexes. */
export type FieldPath = readonly (string | number)[];

/** Limits that keep hostile or broken input from crashing or hanging the bot. */
export interface YamlLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Deepest nesting of collections. */
  maxDepth: number;
  /**
   * Most alias nodes (`*ref`) in one document, each counted once plus once per alias inside its
   * target, as the value would expand: stops "billion laughs". Zero forbids aliases.
   */
  maxAliases: number;
  /** Most documents in one file. */
  maxDocuments: number;
}

/** One document of a YAML file with the means to map field paths back to source positions. */
export interface YamlDocument {
  /** 0-based index of the document inside its file. */
  index: number;
  /** The plain JavaScript value of the document. */
  value: unknown;
  /** Position of the document's first node. */
  start: SourcePosition;
  /**
   * Position of the node at `path`; when the path does not exist (a missing required field),
   * the position of its deepest existing ancestor. For a mapping key, the key's position; for a
   * sequence item or the root, the node's first character; through an alias, the alias; for a key
   * merged in with `<<`, that `<<` key. docs/yaml-limits.md has the details.
   */
  positionOf: (path: FieldPath) => SourcePosition;
  /**
   * Position of the character at `offset` inside the string value at `path` (a PromQL expression
   * in a block scalar, JSON in a ConfigMap): its own line and column in the file. Falls back to
   * {@link positionOf} when the value is not a scalar written at that path (an alias, a merge).
   */
  positionInValue(path: FieldPath, offset: number): SourcePosition;
}

/** A parsed file: its documents, or the problems (with line and column) that stopped parsing. */
export interface ParsedYamlFile {
  file: string;
  documents: YamlDocument[];
  problems: Problem[];
}
