/**
 * A stateful fake of the GitHub the request path talks to (acme/requests with its issues,
 * acme/gitops with its git objects, branches and pull requests, and the App's webhook
 * deliveries), on GitHubMock.serve: every request and reply is checked against GitHub's OpenAPI
 * description. Writes can be made to fail (`faults`), before or after they take effect, as a
 * 502, a 429, a secondary rate limit or a lost connection; deliveries are recorded as GitHub
 * records them, and a redelivery request queues the event to be delivered again.
 */
import { createHash, randomUUID } from "node:crypto";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { Probot } from "probot";
import { gitTreeSha, type GitTreeEntry } from "../../src/adapters/github/git-tree-sha.js";
import { GitHubMock, githubError, type MockReply, type Route } from "./github-mock.js";
import * as replies from "./github-replies.js";
import { BASE_COMMIT, EXAMPLE_CONFIG, GITOPS, README, REQUESTS, treeEntries } from "./github-scenario.js";

export type FaultKind = "server-error" | "too-many-requests" | "secondary-rate-limit" | "network";
/** A write that fails: `applied` means GitHub did it, but the answer was lost. */
export interface InjectedFault {
  kind: FaultKind;
  applied: boolean;
}

interface Comment {
  id: number;
  body: string;
}
interface Pull {
  number: number;
  head: string;
  title: string;
  body: string;
  labels: string[];
}
interface Delivery {
  id: number;
  guid: string;
  at: number;
  statusCode: number;
  redelivery: boolean;
  event: EmitterWebhookEvent;
}

const WRITE = /^(POST|PATCH|PUT|DELETE) /;

function faultReply(kind: FaultKind): MockReply<Route> {
  switch (kind) {
    case "server-error":
      return { status: 502, data: githubError("Server Error") };
    case "too-many-requests":
      return { status: 429, data: githubError("Too Many Requests"), headers: { "retry-after": "1" } };
    case "secondary-rate-limit":
      return {
        status: 403,
        data: githubError("You have exceeded a secondary rate limit. Please wait a few minutes before you try again."),
        headers: { "retry-after": "30" },
      };
    case "network":
      return { networkError: "ECONNRESET" };
  }
}

export class FakeGitHub {
  readonly gh = new GitHubMock();
  readonly comments = new Map<number, Comment[]>();
  readonly branches = new Map<string, string>();
  readonly pulls: Pull[] = [];
  readonly deliveries: Delivery[] = [];
  /** Decides, per write, whether it fails; null lets it through. */
  faults: (route: Route) => InjectedFault | null = () => null;
  readonly #trees = new Map<string, GitTreeEntry[]>();
  readonly #commits = new Map<string, string>();
  /** Reactions written, as `commentId:content`. */
  readonly #reactions = new Set<string>();
  readonly #queue: Delivery[] = [];
  readonly #base = treeEntries([README]);
  readonly #baseTree = gitTreeSha({ entries: this.#base, changes: [] });
  #ids = 1000;
  now: () => number = () => Date.now();

  constructor() {
    this.#trees.set(this.#baseTree, this.#base);
    this.#commits.set(BASE_COMMIT, this.#baseTree);
    this.#routes();
  }

  /** Answers `route`, failing writes as `faults` says: before the effect, or after it with the answer lost. */
  #serve<R extends Route>(
    route: R,
    handler: (request: { params: Record<string, string>; body: Record<string, unknown>; query: Record<string, string> }) => MockReply<R>,
  ): void {
    this.gh.serve(route, (request) => {
      const fault = WRITE.test(route) ? this.faults(route) : null;
      if (fault && !fault.applied) return faultReply(fault.kind);
      const reply = handler(request);
      return fault ? faultReply(fault.kind) : reply;
    });
  }

  #routes(): void {
    const at = (p: Record<string, string>) => ({ owner: p.owner ?? "", repo: p.repo ?? "" });
    this.#serve("GET /repos/{owner}/{repo}/contents/{path}", ({ params }) =>
      params.repo === REQUESTS.repo && params.path === ".github/gitops-bot.yml"
        ? { status: 200, raw: EXAMPLE_CONFIG }
        : { status: 404, data: githubError("Not Found") },
    );
    // The App's own login, by which it knows its reactions.
    this.#serve("GET /app", () => ({ status: 200, data: replies.appReply("gitops-bot") }));
    this.#serve("GET /repos/{owner}/{repo}/collaborators/{username}/permission", ({ params }) => ({
      status: 200,
      data: replies.permissionReply(params.username ?? "", "write"),
    }));
    this.#serve("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", () => ({
      status: 200,
      data: replies.membershipReply("active"),
    }));
    this.#serve("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", ({ params }) => ({
      status: 200,
      data: replies.commentListReply(REQUESTS, Number(params.issue_number), this.#comments(Number(params.issue_number))),
    }));
    this.#serve("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", ({ params, body }) => {
      const comment = { id: this.#ids++, body: String(body.body) };
      this.#comments(Number(params.issue_number)).push(comment);
      return { status: 201, data: replies.commentReply(REQUESTS, Number(params.issue_number), comment) };
    });
    this.#serve("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", ({ params, body }) => {
      const [issue, comment] = this.#comment(Number(params.comment_id));
      if (!comment) return { status: 404, data: githubError("Not Found") };
      comment.body = String(body.body);
      return { status: 200, data: replies.commentReply(REQUESTS, issue, comment) };
    });
    this.#serve("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", ({ params }) => {
      for (const list of this.comments.values()) {
        const index = list.findIndex((c) => c.id === Number(params.comment_id));
        if (index >= 0) list.splice(index, 1);
      }
      return { status: 204, data: undefined as never };
    });
    this.#serve("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", ({ params, body }) => {
      const key = `${params.comment_id}:${String(body.content)}`;
      const created = !this.#reactions.has(key);
      this.#reactions.add(key);
      return { status: created ? 201 : 200, data: replies.reactionReply("rocket") };
    });
    this.#serve("GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", ({ params, query }) => {
      const reaction = replies.reactionReply("rocket");
      const mine = this.#reactions.has(`${params.comment_id}:${query.content}`);
      return {
        status: 200,
        data: mine ? [{ ...reaction, user: reaction.user ? { ...reaction.user, login: "gitops-bot[bot]", type: "Bot" } : null }] : [],
      };
    });
    this.#serve("GET /repos/{owner}/{repo}/git/ref/{ref}", ({ params }) => ({
      status: 200,
      data: replies.refReply(at(params), params.ref ?? "", BASE_COMMIT),
    }));
    this.#serve("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", ({ params }) => {
      const tree = this.#commits.get(params.tree_sha ?? "") ?? params.tree_sha ?? "";
      return { status: 200, data: replies.treeReply(GITOPS, tree, (this.#trees.get(tree) ?? []) as replies.ListedEntry[]) };
    });
    this.#serve("POST /repos/{owner}/{repo}/git/trees", ({ body }) => {
      const base = this.#trees.get(String(body.base_tree)) ?? [];
      const changes = ((body.tree ?? []) as { path?: string; sha?: string | null; content?: string }[]).map((t) => ({
        path: t.path ?? "",
        content: t.sha === null ? null : (t.content ?? ""),
      }));
      const sha = gitTreeSha({ entries: base, changes });
      this.#trees.set(sha, base);
      return { status: 201, data: replies.createdTreeReply(GITOPS, sha) };
    });
    this.#serve("POST /repos/{owner}/{repo}/git/commits", ({ body }) => {
      const sha = createHash("sha1")
        .update(`${String(body.tree)}:${this.#ids++}`)
        .digest("hex");
      this.#commits.set(sha, String(body.tree));
      return { status: 201, data: replies.commitReply(GITOPS, sha, String(body.tree), BASE_COMMIT) };
    });
    this.#serve("GET /repos/{owner}/{repo}/branches/{branch}", ({ params }) => {
      const head = this.branches.get(params.branch ?? "");
      return head
        ? { status: 200, data: replies.branchReply(params.branch ?? "", head, this.#commits.get(head) ?? "") }
        : { status: 404, data: githubError("Branch not found") };
    });
    this.#serve("POST /repos/{owner}/{repo}/git/refs", ({ body }) => {
      const branch = String(body.ref).replace(/^refs\/heads\//, "");
      if (this.branches.has(branch)) return { status: 422, data: githubError("Reference already exists") };
      this.branches.set(branch, String(body.sha));
      return { status: 201, data: replies.refReply(GITOPS, `heads/${branch}`, String(body.sha)) };
    });
    this.#serve("PATCH /repos/{owner}/{repo}/git/refs/{ref}", ({ params, body }) => {
      const branch = (params.ref ?? "").replace(/^heads\//, "");
      this.branches.set(branch, String(body.sha));
      return { status: 200, data: replies.refReply(GITOPS, `heads/${branch}`, String(body.sha)) };
    });
    this.#serve("GET /repos/{owner}/{repo}/pulls", ({ query }) => {
      const head = (query.head ?? "").replace(/^[^:]*:/, "");
      return {
        status: 200,
        data: replies.pullListReply(
          GITOPS,
          this.pulls.filter((p) => p.head === head).map((p) => ({ ...p, base: "main" })),
        ),
      };
    });
    this.#serve("POST /repos/{owner}/{repo}/pulls", ({ body }) => {
      const head = String(body.head);
      if (!this.branches.has(head))
        return { status: 422, data: githubError("Validation Failed", [{ resource: "PullRequest", field: "head", code: "invalid" }]) };
      if (this.pulls.some((p) => p.head === head))
        return {
          status: 422,
          data: githubError("Validation Failed", [
            { resource: "PullRequest", code: "custom", message: `A pull request already exists for acme:${head}.` },
          ]),
        };
      const pull = { number: this.pulls.length + 1, head, title: String(body.title), body: String(body.body), labels: [] };
      this.pulls.push(pull);
      return { status: 201, data: replies.pullReply(GITOPS, { ...pull, base: "main" }) };
    });
    this.#serve("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", ({ params, body }) => {
      const pull = this.pulls.find((p) => p.number === Number(params.pull_number));
      if (!pull) return { status: 404, data: githubError("Not Found") } as never;
      Object.assign(pull, { title: String(body.title ?? pull.title), body: String(body.body ?? pull.body) });
      return { status: 200, data: replies.pullReply(GITOPS, { ...pull, base: "main" }) };
    });
    this.#serve("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", ({ params, body }) => {
      const pull = this.pulls.find((p) => p.number === Number(params.issue_number));
      const labels = [...new Set([...(pull?.labels ?? []), ...((body.labels ?? []) as string[])])];
      if (pull) pull.labels = labels;
      return { status: 200, data: replies.labelsReply(labels) };
    });
    this.#serve("GET /app/hook/deliveries", () => ({
      status: 200,
      data: replies.deliveriesReply(
        [...this.deliveries]
          .reverse()
          .slice(0, 100)
          .map((d) => this.#deliveryFields(d)),
      ),
    }));
    this.#serve("POST /app/hook/deliveries/{delivery_id}/attempts", ({ params }) => {
      const delivery = this.deliveries.find((d) => d.id === Number(params.delivery_id));
      if (!delivery) return { status: 422, data: githubError("Validation Failed") } as never;
      this.#queue.push(delivery);
      return { status: 202, data: {} };
    });
  }

  #comments(issue: number): Comment[] {
    let list = this.comments.get(issue);
    if (!list) this.comments.set(issue, (list = []));
    return list;
  }

  #comment(id: number): [number, Comment | undefined] {
    for (const [issue, list] of this.comments) {
      const found = list.find((c) => c.id === id);
      if (found) return [issue, found];
    }
    return [0, undefined];
  }

  #deliveryFields(d: Delivery): replies.DeliveryFields {
    const payload = d.event.payload as { action?: string };
    return {
      id: d.id,
      guid: d.guid,
      at: d.at,
      statusCode: d.statusCode,
      redelivery: d.redelivery,
      event: d.event.name,
      action: payload.action ?? null,
    };
  }

  /**
   * Delivers an event to `probot` as GitHub would and records the attempt: 200 when the handling
   * succeeded, else 500, or 202 when `slow` (Probot answered after 9 s, before the handling failed).
   */
  async deliver(
    probot: Probot,
    event: EmitterWebhookEvent,
    options: { guid?: string; redelivery?: boolean; slow?: boolean } = {},
  ): Promise<boolean> {
    const delivery: Delivery = {
      id: this.#ids++,
      guid: options.guid ?? randomUUID(),
      at: this.now(),
      statusCode: 0,
      redelivery: options.redelivery ?? false,
      event,
    };
    this.deliveries.push(delivery);
    try {
      await probot.receive({ ...event, id: delivery.guid });
      delivery.statusCode = 200;
      return true;
    } catch {
      delivery.statusCode = options.slow ? 202 : 500;
      return false;
    }
  }

  /** Delivers again what the App asked for since the last call (GitHub does so at once). */
  async deliverRequested(probot: Probot): Promise<number> {
    const queued = this.#queue.splice(0);
    for (const original of queued) await this.deliver(probot, original.event, { guid: original.guid, redelivery: true });
    return queued.length;
  }

  /** Branches without an open pull request. */
  orphanBranches(): string[] {
    return [...this.branches.keys()].filter((b) => !this.pulls.some((p) => p.head === b));
  }

  statusComments(issue: number): Comment[] {
    return this.#comments(issue).filter((c) => c.body.includes("<!-- gitops-bot:status -->"));
  }
}
