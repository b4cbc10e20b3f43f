const VARIABLE = /\$\{[^}]{0,200}\}|\$__[A-Za-z_]+|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[^\]]{0,200}\]\]/g;

/**
 * Replaces Grafana's template variables in a query with PromQL that parses the same way: a
 * duration where one is expected (`[$__rate_interval]`, `[1h:$__interval]`, `offset $shift`), an
 * identifier elsewhere (`by ($label)`, a metric name), and nothing inside string literals, where
 * any text is valid. What Grafana would substitute is unknown here, so only the shape is checked.
 */
export function substituteGrafanaVariables(expression: string): string {
  const strings = stringRanges(expression);
  return expression.replace(VARIABLE, (variable, offset: number) => {
    if (strings.some(([from, to]) => offset > from && offset < to)) return variable;
    const before = expression.slice(0, offset).trimEnd();
    const inDuration = before.endsWith("[") || before.endsWith(":") || /\boffset$/i.test(before) || /\[\s*[\w$]*$/.test(before);
    return inDuration ? "5m" : "grafana_variable";
  });
}

function stringRanges(expression: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open = -1;
  let quote = "";
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index];
    if (open === -1) {
      if (char === '"' || char === "'" || char === "`") {
        open = index;
        quote = char;
      }
    } else if (char === "\\" && quote !== "`") index++;
    else if (char === quote) {
      ranges.push([open, index]);
      open = -1;
    }
  }
  if (open !== -1) ranges.push([open, expression.length]);
  return ranges;
}
