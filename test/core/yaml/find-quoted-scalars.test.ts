import { describe, expect, it } from "vitest";
import { findQuotedScalars } from "../../../src/core/yaml/find-quoted-scalars.js";
import { isWholePlaceholder, renderTemplate } from "../../../src/core/render/render-template.js";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";

const find = (text: string) => findQuotedScalars({ text, select: isWholePlaceholder });

describe("findQuotedScalars", () => {
  it("lists quoted whole placeholders by path, in every quoting style and nesting", () => {
    const text = [
      'a: "${{ values.port }}"',
      "b: '${{ values.port }}'",
      "c: ${{ values.port }}",
      'd: "port ${{ values.port }}"',
      "e: |",
      "  ${{ values.port }}",
      "f:",
      "  - x",
      '  - "${{ size.replicas }}"',
      "  - { g: '${{ values.on }}', h: [\"${{ values.port }}\", 1] }",
      '"${{ values.key }}": "${{ values.port }}"',
    ].join("\n");
    expect(find(text)).toEqual([['["a"]', '["b"]', '["f",1]', '["f",2,"g"]', '["f",2,"h",0]', '["${{ values.key }}"]']]);
  });

  it("keeps documents apart, counting empty ones", () => {
    expect(find("a: '${{ x }}'\n---\n---\nb: \"${{ y }}\"\n")).toEqual([['["a"]'], [], ['["b"]']]);
  });

  it("lists nothing under a key it cannot name, or in text that does not parse", () => {
    expect(find("? [a, b]\n: '${{ x }}'\n")).toEqual([[]]);
    expect(find("a: [\n")).toEqual([]);
  });

  it("makes renderTemplate write a string where the template quoted the placeholder", () => {
    const text =
      'port: ${{ values.port }}\nannotation: "${{ values.port }}"\nflag: \'${{ values.on }}\'\nlist:\n  - "${{ values.on }}"\n  - ${{ size.replicas }}\n';
    const tree = parseYamlDocuments({ file: "t.yaml", text }).documents[0]?.value;
    const quoted = new Set(find(text)[0]);
    const rendered = renderTemplate({ tree, context: { values: { port: 8080, on: true }, size: { replicas: 3 } }, file: "t.yaml", quoted });
    expect(rendered).toEqual({ value: { port: 8080, annotation: "8080", flag: "true", list: ["true", 3] }, problems: [] });
  });
});
