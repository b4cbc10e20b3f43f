import type { Problem } from "../problems.js";
import { isPolicyExceptionDocument, parsePolicyException, type KyvernoPolicyException } from "./kyverno/parse-policy-exception.js";
import type { Manifest } from "./types.js";

/**
 * The Kyverno PolicyExceptions among a repository's manifests: Argo CD applies them like any other
 * object, so the cluster's Kyverno honours them. Bad ones come back as problems at their lines and
 * except nothing.
 */
export function collectPolicyExceptions(manifests: readonly Manifest[]): { exceptions: KyvernoPolicyException[]; problems: Problem[] } {
  const exceptions: KyvernoPolicyException[] = [];
  const problems: Problem[] = [];
  for (const manifest of manifests) {
    if (!isPolicyExceptionDocument(manifest.object)) continue;
    const parsed = parsePolicyException({
      file: manifest.file,
      document: manifest.object,
      positionOf: (path) => manifest.positionOf(path),
    });
    problems.push(...parsed.problems);
    if (parsed.exception) exceptions.push(parsed.exception);
  }
  return { exceptions, problems };
}
