import { diffLines } from "diff";
import { diff3Merge } from "node-diff3";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";

/**
 * What an upgrade does to one file of an instance, given the text the bot last rendered there
 * (`base`), the text on the base branch now (`current`) and the text the changed template renders
 * (`next`); null means the file does not exist (or is not rendered).
 */
export type FileUpgrade =
  /** Nothing to write: the file already holds the new text, or the template's change does not touch it. */
  | { kind: "unchanged" }
  /** Nobody edited the file since the bot wrote it: it takes the new text (null deletes it). */
  | { kind: "upgraded"; content: string | null }
  /** Someone edited the file; a three-way merge keeps their edit and applies the template's change. */
  | { kind: "merged"; content: string }
  /** Someone's edit conflicts with the template's change: the template's lines win there (other edits are kept), and these lines are lost. */
  | { kind: "overwritten"; content: string | null; lostLines: string[]; reason: "conflict" | "deleted-by-hand" | "no-base" }
  /** The template no longer renders a file someone edited: it is kept, for a person to decide. */
  | { kind: "kept" };

function lines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

function removedLines(from: string, to: string): string[] {
  return diffLines(from, to).flatMap((part) => (part.removed ? lines(part.value) : []));
}

function isWellFormedYaml(file: string, text: string): boolean {
  return parseYamlDocuments({ file, text }).problems.length === 0;
}

/**
 * Decides one file of an upgrade so that no hand edit is lost silently: an edit is either kept by
 * a clean line-based three-way merge (diff3, as git merges) whose result is still well-formed
 * YAML, or the file is listed as overwritten with the exact lines that are lost. `base` is the
 * previous template version's rendering (null: not rendered); `baseKnown` says it is what the bot
 * last wrote (the recorded digest matches), which a merge needs: without it, only exact matches
 * are taken as untouched and every other difference is listed.
 */
export function mergeRenderedFile(params: {
  path: string;
  base: string | null;
  current: string | null;
  next: string | null;
  baseKnown: boolean;
}): FileUpgrade {
  const { base, current, next } = params;
  if (current === next) return { kind: "unchanged" };
  // Text the bot rendered at the previous template version is never a hand edit.
  if (current === base) return { kind: "upgraded", content: next };
  // The template's change does not touch this file: whatever a person did to it stays.
  if (base === next) return { kind: "unchanged" };
  if (next === null) return { kind: "kept" };
  if (current === null) return { kind: "overwritten", content: next, lostLines: [], reason: "deleted-by-hand" };
  if (!params.baseKnown) return { kind: "overwritten", content: next, lostLines: removedLines(current, next), reason: "no-base" };

  const regions = diff3Merge(lines(current), lines(base ?? ""), lines(next), { excludeFalseConflicts: true });
  // Where an edit and the template's change touch the same lines, the template wins there only:
  // the person's other edits are kept, and only the lines of the conflicting regions are lost.
  const merged = regions.flatMap((r) => r.ok ?? r.conflict?.b ?? []);
  // Lost are the person's lines there: in their version, not in the previous rendering, not in the new one.
  const lost = regions.flatMap(({ conflict }) =>
    conflict ? conflict.a.filter((line) => !conflict.o.includes(line) && !conflict.b.includes(line)) : [],
  );
  const text = merged.length === 0 ? "" : `${merged.join("\n")}\n`;
  // A line merge can join two edits into YAML that no longer parses: then it is not a merge to offer.
  if (isWellFormedYaml(params.path, text)) {
    if (lost.length > 0) return { kind: "overwritten", content: text, lostLines: lost, reason: "conflict" };
    return text === next ? { kind: "upgraded", content: next } : { kind: "merged", content: text };
  }
  // Lost are the lines the person wrote (in current, not in base) that the new text does not keep.
  const written = new Set(diffLines(base ?? "", current).flatMap((part) => (part.added ? lines(part.value) : [])));
  return {
    kind: "overwritten",
    content: next,
    lostLines: removedLines(current, next).filter((line) => written.has(line)),
    reason: "conflict",
  };
}
