/** The requests repository's bot configuration the benches' fake GitHub serves: alice's team may ask for dev. */
export const BENCH_CONFIG = `gitops:
  repository: acme/gitops
argocd:
  repoURL: https://github.com/acme/gitops.git
environments:
  dev: { cluster: https://kubernetes.default.svc }
access:
  minPermission: write
teams:
  payments: [acme/payments]
labels: [gitops-bot]
`;

/** The parts of an `issue_comment.created` payload the App reads, for the benches' fake GitHub. */
export function provisionCommentPayload(params: { issue: number; commentId: number; size: string }) {
  const { issue, commentId, size } = params;
  const repository = {
    id: 1,
    name: "requests",
    full_name: "acme/requests",
    html_url: "https://github.com/acme/requests",
    owner: { login: "acme", type: "Organization" },
  };
  const user = { login: "alice", type: "User", id: 2 };
  return {
    action: "created",
    installation: { id: 1, node_id: "x" },
    repository,
    sender: user,
    issue: { number: issue, html_url: `https://github.com/acme/requests/issues/${issue}`, body: "", labels: [], state: "open", user },
    comment: {
      id: commentId,
      user,
      body: `/provision ${size} template=web-service name=checkout team=payments environment=dev image=ghcr.io/acme/checkout:1.4.2`,
    },
  };
}
