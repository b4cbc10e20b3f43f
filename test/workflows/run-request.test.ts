import { afterEach, describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/adapters/git-blob-sha.js";
import { LocalRepo } from "../../src/adapters/local/local-repo.js";
import type { ProvisionRequest } from "../../src/core/request/request.js";
import { runRequest } from "../../src/workflows/run-request.js";
import { TINY_FILES, tinyCatalog, tinyConfig } from "../helpers/tiny-catalog.js";
import { git, makeRepo } from "../helpers/temp-git-repo.js";
import { aProvisionRequest } from "../helpers/requests.js";

let cleanup = () => {};
/** Clones' readers, whose git process ends with the test as it ends with a CLI command. */
const opened: LocalRepo[] = [];
afterEach(() => {
  for (const local of opened.splice(0)) local.close();
  cleanup();
});

function openLocal(dir: string): LocalRepo {
  const local = new LocalRepo(dir, "main");
  opened.push(local);
  return local;
}

const request: ProvisionRequest = aProvisionRequest({
  template: "web",
  values: { image: "ghcr.io/acme/checkout:1.2.3" },
  requester: "octocat",
  issue: { repository: "acme/requests", number: 7, url: "https://github.com/acme/requests/issues/7" },
});

function setup(files: Record<string, string> = { "README.md": "gitops\n" }) {
  const repo = makeRepo(files);
  cleanup = repo.cleanup;
  const local = openLocal(repo.dir);
  const run = (r: ProvisionRequest = request) =>
    runRequest({
      request: r,
      config: tinyConfig(),
      catalog: tinyCatalog(),
      repo: local,
      publisher: local,
      hashBlob: gitBlobSha,
      repoURL: "https://github.com/acme/gitops.git",
    });
  return { dir: repo.dir, run };
}

describe("runRequest over a real git repository", () => {
  it("publishes one branch with one commit and a PR draft naming requester, size and issue", async () => {
    const { dir, run } = setup();
    const outcome = await run();
    expect(outcome.kind).toBe("published");
    if (outcome.kind !== "published") return;
    expect(outcome.branch).toBe("gitops-bot/web/payments-checkout-dev");
    expect(outcome.changeset.changes.map((c) => c.kind)).toEqual(["added", "added"]);
    expect(outcome.pullRequest.title).toBe("Provision web payments/checkout in dev (small)");
    expect(outcome.pullRequest.body).toContain("@octocat");
    expect(outcome.pullRequest.body).toContain("<!-- gitops-bot:issue acme/requests#7 -->");
    expect(outcome.pullRequest.labels).toEqual(["gitops-bot"]);
    expect(git(dir, "rev-list", "--count", `main..${outcome.branch}`).trim()).toBe("1");
  });

  it("converges: the same request again writes nothing", async () => {
    const { dir, run } = setup();
    const first = await run();
    const second = await run();
    expect(second.kind === "published" && second.result.commit).toBeNull();
    expect(first.kind === "published" && git(dir, "rev-parse", first.branch).trim()).toBe(
      first.kind === "published" && first.result.commit,
    );
  });

  it("rejects bad input and writes nothing", async () => {
    const { dir, run } = setup();
    const outcome = await run({ ...request, values: { ...request.values, name: "Bad Name" } });
    expect(outcome.kind).toBe("rejected");
    expect(git(dir, "branch", "--list").trim()).toBe("* main");
  });

  it("previews the diff and the pull request without writing", async () => {
    const { dir, run } = setup();
    const outcome = await run({ ...request, action: "preview" });
    expect(outcome.kind).toBe("preview");
    if (outcome.kind === "preview") expect(outcome.changeset.diff).toContain("+++ b/apps/payments/checkout/dev/deployment.yaml");
    expect(git(dir, "branch", "--list").trim()).toBe("* main");
  });

  it("resizes with a small diff and deprovisions exactly the request's files once merged", async () => {
    const { dir, run } = setup();
    const first = await run();
    if (first.kind !== "published") throw new Error("expected published");
    git(dir, "merge", "-q", "--ff-only", first.branch);

    expect((await run()).kind).toBe("up-to-date");

    const resized = await run({ ...request, action: "resize", size: "medium" });
    if (resized.kind !== "published") throw new Error("expected published");
    expect(resized.changeset.changes.map((c) => [c.kind, c.path])).toEqual([
      ["changed", "apps/payments/checkout/dev/deployment.yaml"],
      ["added", "apps/payments/checkout/dev/hpa.yaml"],
      ["changed", "argocd/dev/payments-checkout.yaml"],
    ]);
    expect(resized.changeset.diff).toContain("-  replicas: 1");
    expect(resized.changeset.diff).toContain("+  replicas: 2");

    const gone = await run({ ...request, action: "deprovision", size: "" });
    if (gone.kind !== "published") throw new Error("expected published");
    expect(gone.changeset.changes.map((c) => [c.kind, c.path])).toEqual([
      ["deleted", "apps/payments/checkout/dev/deployment.yaml"],
      ["deleted", "argocd/dev/payments-checkout.yaml"],
    ]);
  });

  it("deprovisions a request whose template has since left the catalog", async () => {
    const { dir, run } = setup();
    const first = await run();
    if (first.kind !== "published") throw new Error("expected published");
    git(dir, "merge", "-q", "--ff-only", first.branch);
    const withoutWeb = { ...tinyCatalog(), templates: new Map() };
    const local = openLocal(dir);
    const gone = await runRequest({
      request: { ...request, action: "deprovision", size: "" },
      config: tinyConfig(),
      catalog: withoutWeb,
      repo: local,
      publisher: local,
      hashBlob: gitBlobSha,
      repoURL: "x",
    });
    expect(gone.kind === "published" && gone.changeset.changes.map((c) => c.kind)).toEqual(["deleted", "deleted"]);
    const bad = await runRequest({
      request: { ...request, action: "deprovision", size: "", values: { ...request.values, name: "../etc" } },
      config: tinyConfig(),
      catalog: withoutWeb,
      repo: local,
      publisher: local,
      hashBlob: gitBlobSha,
      repoURL: "x",
    });
    expect(bad.kind === "rejected" && bad.problems.map((p) => p.code)).toEqual(["request.invalid-value"]);
  });

  it("refuses to deprovision what does not exist", async () => {
    const { run } = setup();
    const outcome = await run({ ...request, action: "deprovision", size: "" });
    expect(outcome.kind === "rejected" && outcome.problems[0]?.code).toBe("request.nothing-to-deprovision");
  });

  it("uses templates from the GitOps repository's catalog folder over built-in ones", async () => {
    const overridden = Object.fromEntries(
      [...TINY_FILES].map(([p, t]) => [
        `platform/templates/${p}`,
        p === "web/deployment.yaml" ? t.replace("tier: ", "tier-override: ") : t,
      ]),
    );
    const { run } = setup(overridden);
    const outcome = await run();
    if (outcome.kind !== "published") throw new Error("expected published");
    expect(outcome.changeset.changes[0]?.after).toContain("tier-override: silver");
  });

  it("reports a broken repository template instead of rendering", async () => {
    const { run } = setup({ "platform/templates/web/template.yaml": "kind: Template\n" });
    const outcome = await run();
    expect(outcome.kind).toBe("rejected");
    if (outcome.kind === "rejected") expect(outcome.problems[0]?.file).toBe("platform/templates/web/template.yaml");
  });

  describe("names never collide", () => {
    const neighbours = { teams: { payments: ["acme/payments"], "payments-api": ["acme/payments-api"] } };
    const runWith = (dir: string, r: ProvisionRequest, overrides: Record<string, unknown> = {}) => {
      const local = openLocal(dir);
      return runRequest({
        request: r,
        config: tinyConfig(overrides),
        catalog: tinyCatalog(),
        repo: local,
        publisher: local,
        hashBlob: gitBlobSha,
        repoURL: "x",
      });
    };
    const as = (team: string, name: string, environment = "dev", action: ProvisionRequest["action"] = "provision"): ProvisionRequest => ({
      ...request,
      action,
      values: { ...request.values, team, name, environment },
    });

    it.each(["provision", "preview", "deprovision"] as const)(
      "refuses to %s team payments' api-gateway while team payments-api exists: both would read payments-api-gateway",
      async (action) => {
        const { dir } = setup();
        const outcome = await runWith(dir, as("payments", "api-gateway", "dev", action), neighbours);
        expect(outcome.kind === "rejected" && outcome.problems).toEqual([
          expect.objectContaining({
            code: "request.ambiguous-name",
            message:
              "Team `payments` with name `api-gateway` reads the same as team `payments-api` with name `gateway` (`payments-api-gateway`), so both would share one branch and one Argo CD Application.",
            hint: "Choose a name that does not start with `api-`.",
          }),
        ]);
        expect(git(dir, "branch", "--list").trim()).toBe("* main");
      },
    );

    it("lets the longer team keep its name, and the shorter team use every other name", async () => {
      const { dir } = setup();
      expect((await runWith(dir, as("payments-api", "gateway"), neighbours)).kind).toBe("published");
      expect((await runWith(dir, as("payments", "apigateway"), neighbours)).kind).toBe("published");
      expect((await runWith(dir, as("payments", "api"), neighbours)).kind).toBe("published");
    });

    it("refuses a name that reaches into a longer environment's name", async () => {
      const { dir } = setup();
      const environments = {
        environments: { prod: { cluster: "x" }, "dev-prod": { cluster: "y" } },
        approvals: { groups: { platform: ["acme/platform"] } },
      };
      const outcome = await runWith(dir, as("payments", "api-dev", "prod"), environments);
      expect(outcome.kind === "rejected" && outcome.problems.map((p) => p.message)).toEqual([
        "Name `api-dev` in environment `prod` reads the same as name `api` in environment `dev-prod` (`api-dev-prod`), so both would share one branch and one Argo CD Application.",
      ]);
      expect((await runWith(dir, as("payments", "api", "dev-prod"), environments)).kind).toBe("published");
    });

    it("refuses a request whose paths already hold another request's files, to write or to delete", async () => {
      const { dir } = setup();
      // No teams configured: only the files themselves can tell the two requests apart.
      const first = await runWith(dir, as("payments-api", "gateway"));
      if (first.kind !== "published") throw new Error("expected published");
      git(dir, "merge", "-q", "--ff-only", first.branch);
      for (const action of ["provision", "deprovision"] as const) {
        const outcome = await runWith(dir, as("payments", "api-gateway", "dev", action));
        expect(outcome.kind === "rejected" && outcome.problems).toEqual([
          expect.objectContaining({
            code: "request.paths-taken",
            message:
              "`argocd/dev/payments-api-gateway.yaml` already belongs to another request (`payments-api/gateway-dev`), so this request may not write or delete it.",
          }),
        ]);
      }
      expect((await runWith(dir, as("payments-api", "gateway", "dev", "deprovision"))).kind).toBe("published");
    });
  });

  describe("resize and deprovision follow what provisioning did", () => {
    it("refuses to resize a request that was never provisioned, unless its pull request is pending", async () => {
      const { dir, run } = setup();
      const outcome = await run({ ...request, action: "resize", size: "medium" });
      expect(outcome.kind === "rejected" && outcome.problems).toEqual([
        expect.objectContaining({
          code: "request.not-provisioned",
          message:
            "There is nothing to resize: `payments/checkout` in `dev` was never provisioned (`argocd/dev/payments-checkout.yaml` is not on `main`).",
        }),
      ]);
      expect(git(dir, "branch", "--list").trim()).toBe("* main");
      const local = openLocal(dir);
      const pending = await runRequest({
        request: { ...request, action: "resize", size: "medium" },
        config: tinyConfig(),
        catalog: tinyCatalog(),
        repo: local,
        publisher: local,
        hashBlob: gitBlobSha,
        repoURL: "x",
        pending: true,
      });
      expect(pending.kind).toBe("published");
    });

    it("asks the reviewers for deprovisioning that provisioning the same request asked, by the size on the base branch", async () => {
      const { dir } = setup();
      const config = tinyConfig({
        approvals: {
          groups: { platform: ["acme/platform"] },
          sizes: { medium: ["acme/capacity"] },
          environments: { prod: ["acme/sre"] },
          platform: ["acme/platform-team"],
        },
      });
      const local = openLocal(dir);
      const go = (r: ProvisionRequest, catalog = tinyCatalog()) =>
        runRequest({ request: r, config, catalog, repo: local, publisher: local, hashBlob: gitBlobSha, repoURL: "x" });
      const prod = { ...request, size: "medium", values: { ...request.values, environment: "prod" } };
      const provisioned = await go(prod);
      if (provisioned.kind !== "published") throw new Error("expected published");
      expect(provisioned.pullRequest.reviewers).toEqual(["acme/capacity", "acme/sre"]);
      git(dir, "merge", "-q", "--ff-only", provisioned.branch);
      // The status comment's size may be stale or absent: the Application on the base branch says medium.
      const gone = await go({ ...prod, action: "deprovision", size: "" });
      expect(gone.kind === "published" && gone.pullRequest.reviewers).toEqual(["acme/capacity", "acme/sre"]);
      expect(gone.kind === "published" && gone.pullRequest.body).toContain("Approval needed from: @acme/capacity, @acme/sre.");
      const orphan = await go({ ...prod, action: "deprovision", size: "" }, { ...tinyCatalog(), templates: new Map() });
      expect(orphan.kind === "published" && orphan.pullRequest.reviewers).toEqual(["acme/capacity", "acme/sre", "acme/platform-team"]);
    });
  });
});
