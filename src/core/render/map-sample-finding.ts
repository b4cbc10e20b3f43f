import type { Finding } from "../policy/types.js";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";
import type { FieldPath, YamlDocument } from "../yaml/types.js";

/**
 * Reads a field path back from the text `formatPath` writes: `spec.containers[0]["app.kubernetes.io/name"]`.
 * Returns undefined for text it did not write.
 */
export function parseFieldPath(text: string): FieldPath | undefined {
  const path: (string | number)[] = [];
  const token = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const match = token.exec(text);
    if (!match) return undefined;
    if (match[1] !== undefined) path.push(match[1]);
    else if (match[2] !== undefined) path.push(Number(match[2]));
    else path.push(JSON.parse(match[3] ?? '""') as string);
    at = token.lastIndex;
  }
  return path;
}

/** Documents with a value, as the catalog keeps them: the i-th renders the i-th document of output. */
function valuedDocuments(file: string, text: string): YamlDocument[] {
  return parseYamlDocuments({ file, text }).documents.filter((d) => d.value !== null && d.value !== undefined);
}

/**
 * Moves a finding on a rendered sample file to the template file it came from. Rendering keeps the
 * tree's shape (placeholders become scalars), so the finding's field path names the same field in
 * the template's document, or, where rendering added it (the standard labels) or a placeholder key
 * renamed it, its nearest ancestor. The document is the one whose start precedes the finding's line
 * in the rendered text. A finding whose path cannot be read lands on the document's first line.
 */
export function mapSampleFinding(params: { finding: Finding; renderedText: string; templateFile: string; templateText: string }): Finding {
  const { finding } = params;
  const rendered = valuedDocuments(finding.file, params.renderedText);
  let index = 0;
  for (const [i, document] of rendered.entries()) if (document.start.line <= finding.line) index = i;
  const source = valuedDocuments(params.templateFile, params.templateText)[index];
  const path = parseFieldPath(finding.path) ?? [];
  const position = source ? source.positionOf(path) : { line: 1, column: 1 };
  return { ...finding, file: params.templateFile, line: position.line, column: position.column };
}
