import { z } from "zod";
import type { DeliveryIssue, DeliveryIssueState, DeliveryWrites } from "../../ports.js";
import { isGraphqlNotFound } from "./errors.js";
import type { GitHubRepository } from "./github-repository.js";

/**
 * The request issue as Argo CD's statuses use it, over GitHub's GraphQL API: one query reads the
 * issue's node id and state, the bot's status comment and the failure label's id; one mutation
 * document then holds every write of the status. A failure (edit, notifying comment, label) is
 * three writes the issue asks for; in REST they are three requests, here one. GraphQL needs no
 * permission beyond the REST calls it replaces (Issues: write).
 */
const QUERY = `query DeliveryIssue($owner: String!, $repo: String!, $number: Int!, $label: String!, $after: String) {
  viewer { login }
  repository(owner: $owner, name: $repo) {
    label(name: $label) { id }
    issue(number: $number) {
      id
      state
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id body author { __typename login } }
      }
    }
  }
}`;

const MAX_DUPLICATES_PER_WRITE = 10;

const UNDO_EDIT = `mutation DeliveryUndoEdit($comment: ID!, $body: String!) {
  updateIssueComment(input: { id: $comment, body: $body }) { clientMutationId }
}`;

const QueryReplySchema = z.object({
  viewer: z.object({ login: z.string() }),
  repository: z
    .object({
      label: z.object({ id: z.string() }).nullable(),
      issue: z
        .object({
          id: z.string(),
          state: z.enum(["OPEN", "CLOSED"]),
          comments: z.object({
            pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
            nodes: z.array(
              z
                .object({ id: z.string(), body: z.string(), author: z.object({ __typename: z.string(), login: z.string() }).nullable() })
                .nullable(),
            ),
          }),
        })
        .nullable(),
    })
    .nullable(),
});

/** What one read found: enough to write without asking again. */
interface Found {
  issueId: string;
  open: boolean;
  labelId: string | null;
  comment: { id: string; body: string; duplicates: string[] } | null;
}

/**
 * The writes as one mutation document. GitHub runs a document's mutations one after the other, in
 * order: the notifying comment, the label and the closing first, the status comment last, since it
 * records what the status did (and the duplicates a replica race left are deleted with it).
 */
function deliveryMutation(params: { issueId: string; labelId: string | null; found: Found["comment"]; writes: DeliveryWrites }): {
  document: string;
  variables: Record<string, string>;
} | null {
  const { writes, found } = params;
  const variables: Record<string, string> = { issue: params.issueId };
  const declared = ["$issue: ID!"];
  const fields: string[] = [];
  if (writes.notice !== null) {
    variables.notice = writes.notice;
    declared.push("$notice: String!");
    fields.push("notice: addComment(input: { subjectId: $issue, body: $notice }) { clientMutationId }");
  }
  if (writes.addLabel && params.labelId !== null) {
    variables.labelId = params.labelId;
    declared.push("$labelId: ID!");
    fields.push("label: addLabelsToLabelable(input: { labelableId: $issue, labelIds: [$labelId] }) { clientMutationId }");
  }
  if (writes.close) fields.push("close: closeIssue(input: { issueId: $issue, stateReason: COMPLETED }) { clientMutationId }");
  if (found && found.body !== writes.statusComment) {
    variables.comment = found.id;
    variables.body = writes.statusComment;
    declared.push("$comment: ID!", "$body: String!");
    fields.push("status: updateIssueComment(input: { id: $comment, body: $body }) { clientMutationId }");
  }
  // A race leaves one or two; a bounded few per document keeps it small, the next write takes the rest.
  (found?.duplicates ?? []).slice(0, MAX_DUPLICATES_PER_WRITE).forEach((id, index) => {
    variables[`duplicate${index}`] = id;
    declared.push(`$duplicate${index}: ID!`);
    fields.push(`duplicate${index}: deleteIssueComment(input: { id: $duplicate${index} }) { clientMutationId }`);
  });
  if (fields.length === 0) return null;
  // `$issue` is declared only when a field uses it: GraphQL rejects a document with unused variables.
  const usesIssue = fields.some((field) => field.includes("$issue"));
  if (!usesIssue) {
    delete variables.issue;
    declared.shift();
  }
  return { document: `mutation DeliveryWrites(${declared.join(", ")}) {\n  ${fields.join("\n  ")}\n}`, variables };
}

/**
 * A GitHub App's account name as GraphQL writes it in one place or the other: the viewer (the App's
 * installation) is `slug[bot]`, a comment's Bot author is `slug`.
 */
function botName(login: string): string {
  return login.endsWith("[bot]") ? login.slice(0, -"[bot]".length) : login;
}

/** One request issue, found by number, whose status comment carries `marker`. */
export class GitHubDeliveryIssue implements DeliveryIssue {
  readonly #github: GitHubRepository;
  readonly #issueNumber: number;
  readonly #marker: string;
  readonly #label: string;
  #found: Found | null = null;

  constructor(params: { github: GitHubRepository; issueNumber: number; marker: string; label: string }) {
    this.#github = params.github;
    this.#issueNumber = params.issueNumber;
    this.#marker = params.marker;
    this.#label = params.label;
  }

  /**
   * The issue's state and status comment: the oldest comment of this App carrying the marker
   * (anyone can paste the marker into a comment of their own, another App too; the App can edit
   * only its own). The status comment is written when
   * the request is made, so it is almost always among the first 100 comments: later pages are read
   * only while it is not found. Null when the issue is gone.
   */
  async read(): Promise<DeliveryIssueState | null> {
    let after: string | null = null;
    for (;;) {
      const reply = await this.#query(after);
      const issue = reply?.repository?.issue;
      if (!reply?.repository || !issue) return null;
      const self = botName(reply.viewer.login);
      const mine = issue.comments.nodes.filter(
        (node): node is NonNullable<typeof node> =>
          node?.author?.__typename === "Bot" && botName(node.author.login) === self && node.body.includes(this.#marker),
      );
      const [first, ...duplicates] = mine;
      const { hasNextPage, endCursor } = issue.comments.pageInfo;
      if (first || !hasNextPage || endCursor === null) {
        this.#found = {
          issueId: issue.id,
          open: issue.state === "OPEN",
          labelId: reply.repository.label?.id ?? null,
          comment: first ? { id: first.id, body: first.body, duplicates: duplicates.map((d) => d.id) } : null,
        };
        return { statusComment: first?.body ?? null, open: this.#found.open };
      }
      after = endCursor;
    }
  }

  /**
   * Applies a status's writes: one GraphQL request, plus one REST request the first time the
   * repository has no failure label yet (REST creates a label it adds; GraphQL's `addLabelsToLabelable`
   * needs the id of an existing one).
   */
  async write(writes: DeliveryWrites): Promise<void> {
    const found = this.#found;
    if (!found) throw new Error("DeliveryIssue.write before a read that found the issue");
    if (writes.addLabel && found.labelId === null) {
      const { octokit, at } = this.#github;
      await octokit.rest.issues.addLabels({ ...at, issue_number: this.#issueNumber, labels: [this.#label] });
    }
    const mutation = deliveryMutation({
      issueId: found.issueId,
      labelId: found.labelId,
      found: found.comment,
      writes: { ...writes, close: writes.close && found.open },
    });
    if (mutation) await this.#mutate({ mutation, previous: found.comment });
    this.#found = {
      ...found,
      open: found.open && !writes.close,
      comment: found.comment ? { id: found.comment.id, body: writes.statusComment, duplicates: [] } : null,
    };
  }

  /**
   * GitHub runs every mutation of a document even when one before it fails. The status comment is
   * the record of what a status did, so when another write failed and the edit went through, the
   * edit is undone before the error is thrown: the delivery fails, and its redelivery (redeliver-failed)
   * does the whole status again instead of finding it already taken.
   */
  async #mutate(params: { mutation: { document: string; variables: Record<string, string> }; previous: Found["comment"] }): Promise<void> {
    const { octokit } = this.#github;
    try {
      await octokit.graphql(params.mutation.document, params.mutation.variables);
    } catch (error) {
      const data = (error as { data?: Record<string, unknown> | null }).data;
      const edited = data?.status !== undefined && data.status !== null;
      // A duplicate left undeleted is harmless (the next write deletes it); a lost notice or label is not.
      const othersFailed = ["notice", "label", "close"].some((key) => data?.[key] === null);
      if (edited && othersFailed && params.previous) {
        await octokit.graphql(UNDO_EDIT, { comment: params.previous.id, body: params.previous.body });
      }
      throw error;
    }
  }

  async #query(after: string | null): Promise<z.infer<typeof QueryReplySchema> | null> {
    const { octokit, at } = this.#github;
    try {
      const data = await octokit.graphql(QUERY, { owner: at.owner, repo: at.repo, number: this.#issueNumber, label: this.#label, after });
      return QueryReplySchema.parse(data);
    } catch (error) {
      // A deleted issue, a number that is a pull request, a repository out of reach.
      if (isGraphqlNotFound(error)) return null;
      throw error;
    }
  }
}
