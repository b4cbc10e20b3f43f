import type { Problem } from "../problems.js";
import { collectPolicyExceptions } from "./collect-policy-exceptions.js";
import { isPolicyExceptionDocument, type KyvernoPolicyException } from "./kyverno/parse-policy-exception.js";
import type { Manifest } from "./types.js";

/**
 * The PolicyExceptions a check honours: those kept with the policies, and those among the
 * repository's manifests (Argo CD applies them, so the cluster's Kyverno honours them), except
 * - those in files `isTrusted` refuses: a pull request's own files, so that a change cannot except
 *   itself (only what is already on the base branch counts, as in the cluster before the merge);
 * - with `namespace`, those outside it, as Kyverno's `--exceptionNamespace` leaves them out.
 * Each one left out is a notice at its line saying why; a malformed one is a problem in a judged file.
 */
export function selectPolicyExceptions(params: {
  /** PolicyExceptions read with the policies (already trusted: the base's policy folder, or the CLI's). */
  fromPolicies: readonly KyvernoPolicyException[];
  manifests: readonly Manifest[];
  isTrusted: (file: string) => boolean;
  /** Whether problems in a file are the reader's to see (the judged files). */
  isJudged: (file: string) => boolean;
  namespace?: string;
}): { exceptions: KyvernoPolicyException[]; problems: Problem[]; untrustedFiles: string[] } {
  const collected = collectPolicyExceptions(params.manifests);
  const problems = collected.problems.filter((p) => p.file === undefined || params.isJudged(p.file));
  const exceptions: KyvernoPolicyException[] = [];
  const ns = params.namespace;
  for (const exception of [...params.fromPolicies, ...collected.exceptions]) {
    const fromManifests = !params.fromPolicies.includes(exception);
    if (fromManifests && !params.isTrusted(exception.file)) {
      if (params.isJudged(exception.file)) {
        problems.push(
          notice(
            exception,
            `PolicyException ${exception.key} is added or changed by this change, so it does not except anything in it: only PolicyExceptions already on the base branch count, and this one needs the policy owners' review.`,
          ),
        );
      }
      continue;
    }
    if (ns !== undefined && ns !== "*" && exception.namespace !== ns) {
      if (params.isJudged(exception.file))
        problems.push(
          notice(
            exception,
            `PolicyException ${exception.key} is not in the namespace ${ns}, the only one where Kyverno honours PolicyExceptions here; it excepts nothing.`,
          ),
        );
      continue;
    }
    exceptions.push(exception);
  }
  // Valid or not: one Kyverno accepts that this check cannot judge still takes effect once merged.
  const untrustedFiles = [
    ...new Set(params.manifests.filter((m) => isPolicyExceptionDocument(m.object) && !params.isTrusted(m.file)).map((m) => m.file)),
  ].sort();
  return { exceptions, problems, untrustedFiles };
}

function notice(exception: KyvernoPolicyException, message: string): Problem {
  return {
    code: "policy-exception.not-honoured",
    severity: "notice",
    message,
    file: exception.file,
    ...(exception.line === undefined ? {} : { line: exception.line, column: exception.column ?? 1 }),
  };
}
