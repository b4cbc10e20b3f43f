import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Manifest } from "../../src/core/policy/types.js";
import { createCheckCaches } from "../../src/workflows/check-caches.js";
import { checkFiles } from "../../src/workflows/check-files.js";
import type { FileSource } from "../../src/ports.js";
import { readPolicies } from "../../src/workflows/read-policies.js";
import { readBuiltinPolicies } from "../../src/adapters/local/read-builtin-policies.js";

/** A commit as the App sees it: every file with its blob SHA, reads counted. */
function commit(files: Record<string, string>): FileSource & { reads: string[] } {
  const reads: string[] = [];
  const sha = (text: string) =>
    createHash("sha1")
      .update(`blob ${Buffer.byteLength(text)}\0`)
      .update(text)
      .digest("hex");
  return {
    reads,
    listFiles: async () => Object.keys(files),
    readFile: async (path) => (reads.push(path), files[path] ?? null),
    describeFile: async (path) => (files[path] === undefined ? {} : { sha: sha(files[path]), size: Buffer.byteLength(files[path]) }),
  };
}

const platform = `apiVersion: gitops-bot.dev/v1alpha1
kind: PlatformConfig
ownership: { paths: ["apps/{team}/**"] }
teams: { shop: { quota: { cpu: "2" } } }
rules: { references: { severity: off } }
`;

const deployment = (name: string, cpu: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - name: app
          image: nginx:latest
          resources: { requests: { cpu: ${cpu}, memory: 64Mi }, limits: { memory: 64Mi } }
`;

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

describe("the policy check's caches across checks", () => {
  const base = {
    "apps/shop/api.yaml": deployment("api", "500m"),
    "apps/shop/web.yaml": deployment("web", "100m"),
    "apps/shop/jobs.yaml": deployment("jobs", "100m"),
  };

  it("parses only the changed file of a second check, and cross-object rules still see the whole repository", async () => {
    const caches = createCheckCaches({ manifestBytes: 64 * 1024 * 1024 });
    const policies = await readPolicies({
      sources: [
        { source: await readBuiltinPolicies(), folder: "" },
        { source: commit({ "zz-platform.yaml": platform }), folder: "" },
      ],
    });
    const run = (files: Record<string, string>, changed: string[]) => {
      const source = commit(files);
      return { source, result: checkFiles({ source, policies, changedFiles: changed, authorTeams: ["shop"], cache: caches.manifests }) };
    };
    const first = run(base, ["apps/shop/api.yaml"]);
    await first.result;
    expect(first.source.reads.sort()).toEqual(Object.keys(base).sort());

    // The change pushes the team over its quota of 2 CPU only with the unchanged files counted: 2 x (900m + 100m + 100m).
    const head = { ...base, "apps/shop/api.yaml": deployment("api", "900m") };
    const second = run(head, ["apps/shop/api.yaml"]);
    const warm = await second.result;
    expect(second.source.reads).toEqual(["apps/shop/api.yaml"]);
    const cold = await checkFiles({ source: commit(head), policies, changedFiles: ["apps/shop/api.yaml"], authorTeams: ["shop"] });
    expect(warm.findings).toEqual(cold.findings);
    expect(warm.checkedFiles).toEqual(cold.checkedFiles);
    expect(warm.findings.map((f) => f.rule)).toContain("team-quota");
    expect(warm.findings.find((f) => f.rule === "team-quota")?.message).toContain("2200m CPU");
  });

  it("never changes a cached parse: a check over frozen manifests gives the same findings", async () => {
    const caches = createCheckCaches({ manifestBytes: 64 * 1024 * 1024 });
    const policies = await readPolicies({ sources: [{ source: await readBuiltinPolicies(), folder: "" }] });
    const spy = {
      get: (key: string) => caches.manifests.get(key),
      set: (key: string, load: { manifests: readonly Manifest[] }) => (
        deepFreeze(load.manifests.map((m) => m.object)),
        caches.manifests.set(key, load as never)
      ),
    };
    const first = await checkFiles({ source: commit(base), policies, cache: spy });
    const again = await checkFiles({ source: commit(base), policies, cache: spy });
    expect(again.findings).toEqual(first.findings);
    expect(again.findings.filter((f) => f.rule === "policy.evaluation-failed")).toEqual([]);
    expect(first.findings.length).toBeGreaterThan(0);
  });

  it("compiles a policy once: a second load of the same text gives the same policy object, a changed text a new one", async () => {
    const caches = createCheckCaches({ manifestBytes: 0 });
    const builtin = await readBuiltinPolicies();
    const first = await readPolicies({ sources: [{ source: builtin, folder: "" }], cache: caches.policies });
    const second = await readPolicies({ sources: [{ source: builtin, folder: "" }], cache: caches.policies });
    expect(second.policies.map((p) => p.policy)).toEqual(first.policies.map((p) => p.policy));
    second.policies.forEach((p, i) => expect(p.policy).toBe(first.policies[i]?.policy));
    const file = first.policies[0]?.file ?? "";
    const changed = commit({ [file]: `${(await builtin.readFile(file)) ?? ""}\n# edited\n` });
    const third = await readPolicies({ sources: [{ source: changed, folder: "" }], cache: caches.policies });
    expect(third.policies[0]?.policy).not.toBe(first.policies[0]?.policy);
    expect(third.policies[0]?.policy.name).toBe(first.policies[0]?.policy.name);
  });
});
