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
