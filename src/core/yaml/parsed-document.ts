import { EVENT_ID } from "./js-yaml.js";
import type { EventIndex } from "./event-index.js";
import { LocateMemo, type LocatedDocument } from "./locate-path.js";
import { locateValueNode } from "./locate-value-node.js";
import { scalarValueOffset } from "./scalar-value-offset.js";
import type { DocumentSpan } from "./scan-yaml-events.js";
import type { FieldPath, SourcePosition, YamlDocument } from "./types.js";

/**
 * What the documents of one file share for position lookups: the packed events, the text, the
 * line index (the parse's own, so it is built once) and the document starts, built on first use.
 */
export class FilePositions {
  private starts: number[] | undefined;
  private memo: LocateMemo | undefined;

  constructor(
    readonly index: EventIndex,
    readonly source: string,
    readonly positionAt: (offset: number) => SourcePosition,
    private readonly startOffsets: () => number[],
  ) {}

  /** Where document `document` starts: its first node, or its `---` when it is empty. */
  startOf(document: number): number {
    return (this.starts ??= this.startOffsets())[document] ?? 0;
  }

  /** The file's walk memo: lookups come document by document, and one document's paths share prefixes. */
  get locateMemo(): LocateMemo {
    return (this.memo ??= new LocateMemo(this.index, this.source));
  }
}

/**
 * One document of a parsed file. A class, not an object literal with a getter and closures: a
 * check keeps thousands alive, and a literal with an accessor is a dictionary-mode object several
 * times the size of its value's root.
 */
export class ParsedDocument implements YamlDocument, LocatedDocument {
  private bound: ((path: FieldPath) => SourcePosition) | undefined = undefined;
  /** The event index of the document's root node. */
  readonly rootEvent: number;

  constructor(
    readonly index: number,
    readonly value: unknown,
    private readonly file: FilePositions,
    span: DocumentSpan,
  ) {
    this.rootEvent = span.startEvent + 1;
  }

  /** A function of its own, so it can be passed around alone; made on first use, as most documents never need one. */
  get positionOf(): (path: FieldPath) => SourcePosition {
    return (this.bound ??= (path) => this.locate(path));
  }

  get start(): SourcePosition {
    return this.file.positionAt(this.file.startOf(this.index));
  }

  positionInValue(path: FieldPath, offset: number): SourcePosition {
    const { index, source } = this.file;
    const node = locateValueNode({ index, source, rootEvent: this.rootEvent, path });
    const text = node === -1 || index.type(node) !== EVENT_ID.SCALAR ? undefined : valueAt(this.value, path);
    if (typeof text !== "string") return this.locate(path);
    return this.file.positionAt(scalarValueOffset({ source, scalar: index.scalar(node), value: text, offset }));
  }

  private locate(path: FieldPath): SourcePosition {
    const offset = this.file.locateMemo.locate(this, path);
    return this.file.positionAt(offset === -1 ? this.file.startOf(this.index) : offset);
  }
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
