import { problem, type Problem } from "../problems.js";
import type { RequestPaths } from "../render/render-request.js";
import { codeSpan } from "../report/markdown.js";

/**
 * A resize needs the service on the base branch (its Application), unless its provision pull
 * request may still be open (`pending`): a size given there is the size it gets.
 */
export function checkResizeTarget(params: {
  values: Readonly<Record<string, string>>;
  paths: RequestPaths;
  baseBranch: string;
  applicationExists: boolean;
  pending: boolean;
}): Problem | null {
  if (params.pending || params.applicationExists) return null;
  const { team = "", name = "", environment = "" } = params.values;
  return problem(
    "request.not-provisioned",
    `There is nothing to resize: ${codeSpan(`${team}/${name}`, 100)} in ${codeSpan(environment, 63)} was never provisioned (${codeSpan(params.paths.application, 300)} is not on ${codeSpan(params.baseBranch, 100)}).`,
    {
      hint: "Provision it first with /provision <size>; a size given there is the size it gets.",
    },
  );
}
