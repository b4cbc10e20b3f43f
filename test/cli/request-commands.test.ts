import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { EXAMPLE_GITOPS_REPO } from "../../src/cli/demo.js";
import { git } from "../helpers/temp-git-repo.js";

function capture(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), cwd },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

let cleanup = () => {};
afterEach(() => cleanup());

function exampleClone(): string {
  const dir = mkdtempSync(join(tmpdir(), "gitops-bot-cli-"));
  cpSync(EXAMPLE_GITOPS_REPO, dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "example");
  cleanup = () => rmSync(dir, { recursive: true, force: true });
  return dir;
}

const REQUEST = ["web-service", "small", "name=checkout", "team=payments", "environment=dev", "image=ghcr.io/acme/checkout:1.4.2"];

describe("gitops-bot render", () => {
  it("prints every manifest of the template for the given values", async () => {
    const c = capture();
    expect(await main(["render", ...REQUEST], c.io)).toBe(0);
    const deployment = c
      .out()
      .split("# ---- ")
      .find((s) => s.startsWith("apps/payments/checkout/dev/deployment.yaml"));
    expect(load(deployment?.slice(deployment.indexOf("\n") + 1) ?? "")).toMatchObject({ kind: "Deployment", spec: { replicas: 2 } });
  });

  it("renders a template from --catalog DIR on top of the built-in ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gitops-bot-catalog-"));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
    cpSync(join(EXAMPLE_GITOPS_REPO, "..", "..", "templates", "cron-job"), join(dir, "nightly"), { recursive: true });
    const { readFileSync, writeFileSync } = await import("node:fs");
    const spec = join(dir, "nightly", "template.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace(/^name: cron-job$/m, "name: nightly"));
    const c = capture();
    expect(
      await main(
        [
          "render",
          "--catalog",
          dir,
          "nightly",
          "small",
          "name=report",
          "team=payments",
          "environment=dev",
          "image=ghcr.io/acme/report:1.0.0",
          "schedule=0 3 * * *",
        ],
        c.io,
      ),
      c.err(),
    ).toBe(0);
    expect(c.out()).toContain("kind: CronJob");
    const broken = capture();
    writeFileSync(spec, "kind: Template\n");
    expect(await main(["render", "--catalog", dir, "nightly", "small", "name=report", "team=payments", "environment=dev"], broken.io)).toBe(
      2,
    );
    expect(broken.err()).toContain("nightly/template.yaml");
  });

  it("names the request issue on the Application only with --request-issue", async () => {
    const application = (out: string) =>
      out
        .split("# ---- ")
        .find((s) => s.startsWith("argocd/"))
        ?.split("\n")
        .slice(1)
        .join("\n") ?? "";
    const plain = capture();
    expect(await main(["render", ...REQUEST], plain.io)).toBe(0);
    expect(application(plain.out())).not.toContain("gitops-bot.dev/request-issue");
    const named = capture();
    expect(await main(["render", ...REQUEST, "--request-issue", "acme/requests#42"], named.io)).toBe(0);
    expect(load(application(named.out()))).toMatchObject({
      metadata: { annotations: { "gitops-bot.dev/request-issue": "acme/requests#42" } },
    });
  });

  it.each([
    [["render", "web-service"], /a template and a size are required/],
    [["render", "web-service", "small", "name"], /is not a `key=value` pair/],
    [["render", "nope", "small", "name=a", "team=b", "environment=dev"], /There is no template `nope`/],
    [["render", ...REQUEST, "--bogus"], /Unknown option/],
    [["render", ...REQUEST, "--request-issue", "acme/requests"], /--request-issue must be OWNER\/REPO#NUMBER/],
    [["frobnicate"], /unknown command `frobnicate`/],
  ])("exits 2 with a clear message on bad input: %j", async (argv, message) => {
    const c = capture();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.err()).toMatch(message);
  });
});

describe("gitops-bot provision / deprovision on a local clone", () => {
  it("writes one branch with one commit and prints the diff and the pull request", async () => {
    const dir = exampleClone();
    const c = capture();
    expect(await main(["provision", "--repo", dir, ...REQUEST], c.io)).toBe(0);
    expect(c.out()).toContain("+++ b/apps/payments/checkout/dev/deployment.yaml");
    expect(c.out()).toContain("# Provision web-service payments/checkout in dev (small)");
    expect(git(dir, "rev-list", "--count", "main..gitops-bot/web-service/payments-checkout-dev").trim()).toBe("1");

    const again = capture();
    expect(await main(["provision", "--repo", dir, ...REQUEST], again.io)).toBe(0);
    expect(again.out()).toContain("nothing written");
  });

  it("exits 2 and writes nothing on bad input", async () => {
    const dir = exampleClone();
    const c = capture();
    const code = await main(
      ["provision", "--repo", dir, "web-service", "huge", "name=checkout", "team=payments", "environment=dev", "image=ghcr.io/a/b:latest"],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.err()).toMatch(/no size `huge`/);
    expect(c.err()).toMatch(/Nothing was written/);
    expect(git(dir, "branch", "--list").trim()).toBe("* main");
  });

  it("reports a broken config file with its path, exit 2", async () => {
    const dir = exampleClone();
    const c = capture();
    const bad = join(dir, "bad.yml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(bad, "environments:\n  Dev: {}\n");
    expect(await main(["provision", "--repo", dir, "--config", bad, ...REQUEST], c.io)).toBe(2);
    expect(c.err()).toContain("bad.yml");
  });

  it("deprovisions exactly the request's files after it was merged", async () => {
    const dir = exampleClone();
    await main(["provision", "--repo", dir, ...REQUEST], capture().io);
    git(dir, "merge", "-q", "--ff-only", "gitops-bot/web-service/payments-checkout-dev");
    const c = capture();
    expect(await main(["deprovision", "--repo", dir, "web-service", "name=checkout", "team=payments", "environment=dev"], c.io)).toBe(0);
    const deleted = git(dir, "diff", "--name-status", "main", "gitops-bot/web-service/payments-checkout-dev").trim().split("\n");
    expect(deleted.every((l) => l.startsWith("D\t"))).toBe(true);
    expect(deleted).toContain("D\targocd/dev/payments-checkout.yaml");
    expect(git(dir, "ls-tree", "-r", "--name-only", "gitops-bot/web-service/payments-checkout-dev")).toContain("argocd/bootstrap/dev.yaml");
  });
});
