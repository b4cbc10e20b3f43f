import type { Problem } from "../problems.js";
import { codeSpan } from "./markdown.js";

/**
 * A reviewer who was not asked: a team of another organisation (GitHub lets only the repository
 * owner's teams review), or one GitHub refused (422: not a collaborator, or a team without access).
 */
export interface RefusedReviewer {
  /** A login, or `org/team-slug`. */
  reviewer: string;
  reason: "other-organisation" | "no-access";
}

/** The outcome of asking for review: whom GitHub accepted and whom it did not, as data. */
export interface ReviewRequestResult {
  requested: string[];
  refused: RefusedReviewer[];
}

function code(text: string): string {
  return codeSpan(text, 200);
}

/**
 * The refused reviewers as warnings for the person who will read them: one per team of another
 * organisation, then one for everyone GitHub refused. The pull request stands either way.
 */
export function describeRefusedReviewers(params: { refused: readonly RefusedReviewer[]; repository: string }): Problem[] {
  const owner = params.repository.split("/")[0] ?? params.repository;
  const warning = (message: string): Problem => ({ code: "github.reviewer-refused", severity: "warning", message });
  const problems = params.refused
    .filter((r) => r.reason === "other-organisation")
    .map((r) =>
      warning(`Team ${code(r.reviewer)} cannot review pull requests of ${code(params.repository)}: only teams of ${code(owner)} can.`),
    );
  const noAccess = params.refused.filter((r) => r.reason === "no-access").map((r) => code(r.reviewer));
  if (noAccess.length > 0)
    problems.push(warning(`GitHub refused the review request for ${noAccess.join(", ")}: give them access to ${code(params.repository)}.`));
  return problems;
}
