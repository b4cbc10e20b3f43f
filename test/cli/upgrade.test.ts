import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { EXAMPLE_GITOPS_REPO } from "../../src/cli/demo.js";
import { BUILTIN_TEMPLATES_DIR } from "../../src/adapters/local/read-builtin-catalog.js";
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

const REQUEST = (name: string) => [
  "web-service",
  "small",
  `name=${name}`,
  "team=payments",
  "environment=dev",
  `image=ghcr.io/acme/${name}:1.4.2`,
];

/**
 * The example GitOps repository with two web-service requests and a worker merged on main, made
 * once (three provisions and their merges are most of a test's time) and copied for each test.
 */
let template = "";
beforeAll(async () => {
  template = mkdtempSync(join(tmpdir(), "gitops-bot-upgrade-template-"));
  cpSync(EXAMPLE_GITOPS_REPO, template, { recursive: true });
  git(template, "init", "-q", "-b", "main");
  git(template, "add", "-A");
  git(template, "commit", "-q", "-m", "example");
  for (const args of [
    REQUEST("checkout"),
    REQUEST("cart"),
    ["worker", "small", "name=mailer", "team=payments", "environment=dev", "image=ghcr.io/acme/mailer:2.0.0"],
  ]) {
    const c = capture();
    expect(await main(["provision", "--repo", template, ...args], c.io), c.err()).toBe(0);
    const branch = /Wrote branch (\S+):/.exec(c.out())?.[1] ?? "";
    git(template, "merge", "-q", "--no-ff", "-m", `merge ${branch}`, branch);
  }
}, 120_000);
afterAll(() => rmSync(template, { recursive: true, force: true }));

let cleanup = () => {};
afterEach(() => cleanup());

/** A private copy of the example repository with its three requests merged. */
function clone(): string {
  const dir = mkdtempSync(join(tmpdir(), "gitops-bot-upgrade-"));
  cpSync(template, dir, { recursive: true });
  cleanup = () => rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** The platform team overrides web-service with one change in its Deployment, on main. */
function overrideWebService(dir: string): void {
  for (const file of [
    "template.yaml",
    "deployment.yaml",
    "service.yaml",
    "ingress.yaml",
    "hpa.yaml",
    "pdb.yaml",
    "serviceaccount.yaml",
    "networkpolicy.yaml",
    "servicemonitor.yaml",
    "prometheusrule.yaml",
    "dashboard.yaml",
  ]) {
    const target = join(dir, "platform/templates/web-service", file);
    mkdirSync(dirname(target), { recursive: true });
    const text = readFileSync(join(BUILTIN_TEMPLATES_DIR, "web-service", file), "utf8");
    writeFileSync(target, file === "deployment.yaml" ? text.replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 3") : text);
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "web-service: keep 3 revisions");
}

const branches = (dir: string) =>
  git(dir, "branch", "--list", "gitops-bot/upgrade/*")
    .split("\n")
    .map((b) => b.trim())
    .filter(Boolean);

describe("gitops-bot upgrade", () => {
  it("--preview shows each changed instance's diff and writes nothing; other templates are left alone", async () => {
    const dir = clone();
    overrideWebService(dir);
    const c = capture();
    expect(await main(["upgrade", "--repo", dir, "--preview"], c.io), c.err()).toBe(0);
    expect(c.out()).toContain("argocd/dev/payments-checkout.yaml (web-service): 2 file(s) change");
    expect(c.out()).toContain("-  revisionHistoryLimit: 5\n+  revisionHistoryLimit: 3");
    expect(c.out()).not.toContain("mailer");
    expect(c.out()).toContain("2 instance(s) would be upgraded (nothing written); 1 unchanged; 0 could not be upgraded.");
    expect(branches(dir)).toEqual([]);
  });

  it("writes one branch with one commit per instance, and nothing again on a second run", async () => {
    const dir = clone();
    overrideWebService(dir);
    const c = capture();
    expect(await main(["upgrade", "--repo", dir, "--template", "web-service"], c.io), c.err()).toBe(0);
    expect(branches(dir)).toEqual([
      "gitops-bot/upgrade/web-service/payments-cart-dev",
      "gitops-bot/upgrade/web-service/payments-checkout-dev",
    ]);
    const branch = "gitops-bot/upgrade/web-service/payments-checkout-dev";
    expect(git(dir, "rev-list", "--count", `main..${branch}`).trim()).toBe("1");
    expect(git(dir, "diff", "--name-only", `main...${branch}`).trim().split("\n")).toEqual([
      "apps/payments/checkout/dev/deployment.yaml",
      "argocd/dev/payments-checkout.yaml",
    ]);
    const again = capture();
    expect(await main(["upgrade", "--repo", dir], again.io)).toBe(0);
    expect(again.out()).toContain("(0 branches written, the others already held their upgrade)");
  });

  it("keeps a hand edit through a three-way merge against --since, and lists a conflicting one", async () => {
    const dir = clone();
    const before = git(dir, "rev-parse", "HEAD").trim();
    const deployment = join(dir, "apps/payments/checkout/dev/deployment.yaml");
    writeFileSync(
      deployment,
      readFileSync(deployment, "utf8").replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 45"),
    );
    const cart = join(dir, "apps/payments/cart/dev/deployment.yaml");
    writeFileSync(cart, readFileSync(cart, "utf8").replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 9"));
    git(dir, "commit", "-q", "-am", "hand edits");
    overrideWebService(dir);
    const c = capture();
    expect(await main(["upgrade", "--repo", dir, "--since", before], c.io), c.err()).toBe(0);
    expect(c.out()).toContain("edited by hand, edit kept (three-way merge): apps/payments/checkout/dev/deployment.yaml");
    expect(c.out()).toContain(
      "edit conflicts with the template, overwritten there: apps/payments/cart/dev/deployment.yaml; lines lost:\n    -  revisionHistoryLimit: 9",
    );
    const merged = git(dir, "show", "gitops-bot/upgrade/web-service/payments-checkout-dev:apps/payments/checkout/dev/deployment.yaml");
    expect(merged).toContain("terminationGracePeriodSeconds: 45");
    expect(merged).toContain("revisionHistoryLimit: 3");
  });

  it("a new built-in catalog: untouched instances are known by their digest, edited files are listed", async () => {
    const dir = clone();
    const cart = join(dir, "apps/payments/cart/dev/deployment.yaml");
    writeFileSync(cart, readFileSync(cart, "utf8").replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 45"));
    git(dir, "commit", "-q", "-am", "hand edit");
    // As if this gitops-bot shipped a new web-service: the clone's own override stands in for it.
    overrideWebService(dir);
    const c = capture();
    expect(await main(["upgrade", "--repo", dir, "--preview"], c.io), c.err()).toBe(0);
    const checkout = c.out().slice(c.out().indexOf("argocd/dev/payments-checkout.yaml"));
    expect(checkout.split("\n")[1]).not.toMatch(/edited by hand|overwritten/);
    // Without the previous catalog, an edited request shows every line it would lose, the template's old lines included.
    expect(c.out()).toContain(
      "differs from what the bot last wrote, overwritten: apps/payments/cart/dev/deployment.yaml; lines lost:\n    -  revisionHistoryLimit: 5\n    -      terminationGracePeriodSeconds: 45",
    );
  });

  it("--backfill records the inputs of requests rendered before they were recorded, only where they render exactly the files", async () => {
    const dir = clone();
    const checkout = join(dir, "argocd/dev/payments-checkout.yaml");
    const cart = join(dir, "argocd/dev/payments-cart.yaml");
    const original = readFileSync(checkout, "utf8");
    // As a request rendered before: no size, values or digest annotations.
    const strip = (text: string) =>
      text.replace(/^ {4}gitops-bot\.dev\/(values|rendered-digest): .*\n/gm, "").replace(/^ {4}gitops-bot\.dev\/size: .*\n/m, "");
    writeFileSync(checkout, strip(original));
    writeFileSync(cart, strip(readFileSync(cart, "utf8")));
    // The cart's Deployment was edited by hand since: its inputs cannot be told from its files.
    const cartDeployment = join(dir, "apps/payments/cart/dev/deployment.yaml");
    writeFileSync(
      cartDeployment,
      readFileSync(cartDeployment, "utf8").replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 45"),
    );
    git(dir, "commit", "-q", "-am", "as before inputs were recorded");
    const c = capture();
    expect(await main(["upgrade", "--repo", dir, "--backfill"], c.io), c.err()).toBe(1);
    expect(c.out()).toContain("argocd/dev/payments-checkout.yaml: inputs recovered (web-service, small)");
    expect(c.err()).toContain(
      "argocd/dev/payments-cart.yaml: rendering the recovered values does not give the files in the repository (apps/payments/cart/dev/deployment.yaml differ)",
    );
    expect(git(dir, "show", "gitops-bot/backfill:argocd/dev/payments-checkout.yaml")).toBe(original);
    expect(git(dir, "diff", "--name-only", "main...gitops-bot/backfill").trim()).toBe("argocd/dev/payments-checkout.yaml");
  });

  it("needs --repo", async () => {
    const c = capture();
    expect(await main(["upgrade"], c.io)).toBe(2);
    expect(c.err()).toContain("--repo DIR");
  });
});
