import { describe, expect, it } from "vitest";
import { GitHubMock, takeViolations } from "./github-mock.js";
import { checkGraphqlData, checkGraphqlErrorPath, checkGraphqlRequest, type CheckedGraphqlRequest } from "./graphql-schema.js";
import { testOctokit } from "./octokit.js";

const TEAMS = `query TeamsOfUser($org: String!, $login: String!, $after: String) {
  organization(login: $org) {
    teams(first: 100, after: $after, userLogins: [$login]) {
      nodes { slug }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const teamsReply = {
  data: { organization: { teams: { nodes: [{ slug: "platform" }], pageInfo: { hasNextPage: false, endCursor: null } } } },
};

function checked(query: string, variables: Record<string, unknown> = {}): CheckedGraphqlRequest {
  const { problems, checked } = checkGraphqlRequest({ query, variables });
  expect(problems).toEqual([]);
  return checked!;
}

describe("the GraphQL oracle", () => {
  it("lets a valid query and its reply through a mocked Octokit, and records what was sent", async () => {
    const gh = new GitHubMock().graphql("TeamsOfUser", { variables: { org: "acme", login: "dev" }, reply: teamsReply });
    const result = await testOctokit().graphql<typeof teamsReply.data>(TEAMS, { org: "acme", login: "dev" });
    expect(result.organization.teams.nodes).toEqual([{ slug: "platform" }]);
    expect(gh.graphqlRequests("TeamsOfUser").map((r) => r.variables)).toEqual([{ org: "acme", login: "dev" }]);
    expect(gh.log()).toEqual(["POST /graphql"]);
  });

  it("answers mutations, and on GitHub Enterprise Server at /api/graphql", async () => {
    const mutation = `mutation React($subject: ID!) { addReaction(input: { subjectId: $subject, content: EYES }) { reaction { content } } }`;
    const gh = new GitHubMock("https://ghe.example/api/v3").serveGraphql("React", (request) => ({
      data: { addReaction: { reaction: { content: request.variables.subject === "IC_1" ? "EYES" : "ROCKET" } } },
    }));
    const result = await testOctokit("https://ghe.example/api/v3").graphql<{ addReaction: { reaction: { content: string } } }>(mutation, {
      subject: "IC_1",
    });
    expect(result.addReaction.reaction.content).toBe("EYES");
    expect(gh.graphqlRequests().map((r) => r.operation)).toEqual(["React"]);
  });

  it("fails an unknown field, and answers with GitHub's errors rather than the mocked data", async () => {
    const gh = new GitHubMock().graphql("Bad", { reply: { data: { viewer: { login: "x" } } } });
    const sent = testOctokit().graphql(`query Bad { viewer { login favouriteColour } }`);
    await expect(sent).rejects.toThrow(/favouriteColour/);
    expect(takeViolations()).toEqual([
      expect.stringMatching(/GraphQL document GitHub would reject: Cannot query field "favouriteColour" on type "User"/),
    ]);
    expect(gh.count()).toBe(1);
  });

  it("fails a variable of the wrong type, and one the operation does not declare", () => {
    const wrong = checkGraphqlRequest({ query: TEAMS, variables: { org: "acme", login: 5 } });
    expect(wrong.problems).toEqual([expect.stringMatching(/TeamsOfUser: Variable "\$login" got invalid value 5; String cannot represent/)]);
    const extra = checkGraphqlRequest({ query: TEAMS, variables: { org: "acme", login: "dev", team: "x" } });
    expect(extra.problems).toEqual(["TeamsOfUser: variable `$team` is not declared"]);
    const missing = checkGraphqlRequest({ query: TEAMS, variables: { org: "acme" } });
    expect(missing.problems).toEqual([expect.stringMatching(/"\$login" of required type "String!" was not provided/)]);
  });

  it("fails a reply field that was not selected, through the mock", async () => {
    new GitHubMock().graphql("TeamsOfUser", {
      reply: {
        data: {
          organization: {
            teams: { nodes: [{ slug: "platform", name: "Platform" }], pageInfo: { hasNextPage: false, endCursor: null } },
          },
        },
      },
    });
    await testOctokit().graphql(TEAMS, { org: "acme", login: "dev" });
    expect(takeViolations()).toEqual(["reply TeamsOfUser.organization.teams.nodes[0].name is in the reply but was not selected"]);
  });

  it("fails reply values of the wrong type, missing fields and nulls the schema does not allow", () => {
    const request = checked(TEAMS, { org: "acme", login: "dev" });
    expect(checkGraphqlData(request, teamsReply.data)).toEqual([]);
    expect(checkGraphqlData(request, { organization: null })).toEqual([]);
    expect(checkGraphqlData(request, null)).toEqual([]);
    expect(
      checkGraphqlData(request, {
        organization: { teams: { nodes: { slug: "x" }, pageInfo: { hasNextPage: "no", endCursor: 3 } } },
      }),
    ).toEqual([
      "TeamsOfUser.organization.teams.nodes should be a list ([Team])",
      'TeamsOfUser.organization.teams.pageInfo.hasNextPage: "no" is not of type Boolean',
      "TeamsOfUser.organization.teams.pageInfo.endCursor: 3 is not of type String",
    ]);
    expect(checkGraphqlData(request, { organization: { teams: { nodes: [{ slug: null }], pageInfo: { hasNextPage: false } } } })).toEqual([
      "TeamsOfUser.organization.teams.nodes[0].slug is null, but String! is never null",
      "TeamsOfUser.organization.teams.pageInfo.endCursor was selected but is missing from the reply",
    ]);
  });

  it("checks enums, aliases, fragments on unions by __typename, and @include", () => {
    const query = `query Node($id: ID!, $more: Boolean!) {
      node(id: $id) { __typename ... on Issue { state number } ...Pull }
      me: viewer { login company @include(if: $more) }
    }
    fragment Pull on PullRequest { merged }`;
    const request = checked(query, { id: "I_1", more: false });
    expect(checkGraphqlData(request, { node: { __typename: "Issue", state: "OPEN", number: 3 }, me: { login: "dev" } })).toEqual([]);
    expect(
      checkGraphqlData(request, {
        node: { __typename: "Issue", state: "DONE", number: 3, merged: true },
        me: { login: "dev", company: null },
      }),
    ).toEqual([
      "Node.node.merged is in the reply but was not selected",
      'Node.node.state: "DONE" is not of type IssueState (OPEN, CLOSED)',
      "Node.me.company is in the reply but was not selected",
    ]);
    expect(checkGraphqlData(request, { node: { __typename: "PullRequest", merged: true }, me: { login: "dev" } })).toEqual([]);
  });

  it("takes partial data beside errors, as GitHub sends when a field is forbidden", async () => {
    new GitHubMock().graphql("TeamsOfUser", {
      reply: {
        data: { organization: null },
        errors: [{ type: "FORBIDDEN", path: ["organization"], message: "Resource not accessible by integration" }],
      },
    });
    await expect(testOctokit().graphql(TEAMS, { org: "acme", login: "dev" })).rejects.toThrow(/Resource not accessible by integration/);
  });

  it("fails an error whose path the request did not select, and a mutation's input GitHub would refuse", async () => {
    new GitHubMock().graphql("TeamsOfUser", {
      reply: {
        data: { organization: null },
        errors: [{ type: "FORBIDDEN", path: ["organisation"], message: "Resource not accessible by integration" }],
      },
    });
    await expect(testOctokit().graphql(TEAMS, { org: "acme", login: "dev" })).rejects.toThrow();
    expect(takeViolations()).toEqual([
      'reply TeamsOfUser: an error\'s path ["organisation"] names `organisation` (at 0), which the request did not select',
    ]);
    const request = checked(TEAMS, { org: "acme", login: "dev" });
    expect(checkGraphqlErrorPath(request, ["organization", "teams", "nodes", 0, "slug"])).toEqual([]);
    const mutation = checkGraphqlRequest({
      query: `mutation React($subject: ID!) { addReaction(input: { subjectId: $subject, content: SMILE }) { reaction { content } } }`,
      variables: { subject: "IC_1" },
    });
    expect(mutation.problems).toEqual([expect.stringMatching(/Value "SMILE" does not exist in "ReactionContent" enum/)]);
  });

  it("fails a connection without first or last, over 100, and a deprecated field", () => {
    const unbounded = checkGraphqlRequest({ query: `query { organization(login: "acme") { teams { totalCount } } }` });
    expect(unbounded.problems).toEqual([expect.stringMatching(/`teams` needs `first` or `last` from 1 to 100/)]);
    const tooMany = checkGraphqlRequest({
      query: `query Many($n: Int!) { organization(login: "acme") { teams(first: $n) { totalCount } } }`,
      variables: { n: 101 },
    });
    expect(tooMany.problems).toEqual([expect.stringMatching(/Many: `teams` needs `first` or `last` from 1 to 100/)]);
    const deprecated = checkGraphqlRequest({ query: `query { repository(owner: "a", name: "b") { squashPrTitleUsedAsDefault } }` });
    expect(deprecated.problems).toEqual([expect.stringMatching(/squashPrTitleUsedAsDefault.*deprecated/)]);
  });

  it("fails a syntax error and a body that is not GitHub's shape", () => {
    expect(checkGraphqlRequest({ query: "query { viewer { login }" }).problems).toEqual([expect.stringMatching(/^GraphQL syntax error/)]);
    expect(checkGraphqlRequest({ query: "query { viewer { login } }", operation: "x" }).problems).toEqual([
      "POST /graphql: unknown body key `operation`",
    ]);
  });
});
