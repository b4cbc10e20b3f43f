/**
 * The one branch a request target writes to: `<prefix>/<template>/<team>-<name>-<environment>`.
 * Deterministic, so re-running, a redelivered webhook or two replicas converge on the same branch.
 * Inputs are validated DNS labels, so the result is always a valid git ref.
 */
export function branchName(params: { prefix: string; template: string; team: string; name: string; environment: string }): string {
  return `${params.prefix}/${params.template}/${params.team}-${params.name}-${params.environment}`;
}
