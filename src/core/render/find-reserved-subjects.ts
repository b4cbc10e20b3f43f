import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";

/** Binding kinds whose subjects grant a role to someone. */
const BINDINGS = new Set(["RoleBinding", "ClusterRoleBinding"]);

/**
 * Subjects of rendered RoleBindings and ClusterRoleBindings that name a user or group Kubernetes
 * reserves (`system:` — `system:authenticated` is everyone with an account, `system:masters` is
 * cluster-admin), as problems. A request's values reach binding subjects (the team-namespace
 * template binds `<groupPrefix><team>`), so no value may turn a binding into one for everyone.
 */
export function findReservedSubjects(params: { documents: readonly unknown[]; file: string }): Problem[] {
  const problems: Problem[] = [];
  for (const document of params.documents) {
    if (document === null || typeof document !== "object") continue;
    const object = document as { kind?: unknown; subjects?: unknown };
    if (typeof object.kind !== "string" || !BINDINGS.has(object.kind) || !Array.isArray(object.subjects)) continue;
    for (const subject of object.subjects as unknown[]) {
      const { kind, name } = (subject ?? {}) as { kind?: unknown; name?: unknown };
      if ((kind !== "User" && kind !== "Group") || typeof name !== "string" || !name.toLowerCase().startsWith("system:")) continue;
      problems.push(
        problem(
          "request.reserved-subject",
          `${params.file}: the ${object.kind} would bind ${kind.toLowerCase()} ${codeSpan(name, 100)}, a name Kubernetes reserves for itself.`,
          {
            file: params.file,
            hint: "Values that name users or groups cannot start with `system:`: use your team's own group.",
          },
        ),
      );
    }
  }
  return problems;
}
