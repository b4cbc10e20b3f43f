import { describe, expect, it } from "vitest";
import { evaluatePlatformRules } from "../../../../src/core/policy/platform/evaluate-platform-rules.js";
import { configOf, deploymentYaml, manifestsOf, positionOfText } from "./platform-test-helpers.js";

const config = configOf({
  ownership: { paths: ["apps/{team}/**"], namespaces: ["{team}", "{team}-*"], adminTeams: ["platform"] },
  teams: { payments: { paths: ["shared/payments-gateway/**"], namespaces: ["gateway"] } },
  rules: { references: { severity: "off" } },
});

function check(params: { files: Record<string, string>; changedFiles: string[]; authorTeams: string[] }) {
  return evaluatePlatformRules({
    config,
    manifests: manifestsOf(params.files),
    changedFiles: params.changedFiles,
    authorTeams: params.authorTeams,
    isJudged: (file) => params.changedFiles.includes(file),
  }).filter((f) => f.rule === "namespace-ownership");
}

describe("namespace ownership", () => {
  it("lets a team change its own folder and namespaces", () => {
    const files = {
      "apps/shop/web.yaml": deploymentYaml({ name: "web", namespace: "shop-prod" }),
      "shared/payments-gateway/gw.yaml": deploymentYaml({ name: "gw", namespace: "gateway" }),
    };
    expect(check({ files, changedFiles: ["apps/shop/web.yaml"], authorTeams: ["shop"] })).toEqual([]);
    expect(check({ files, changedFiles: ["shared/payments-gateway/gw.yaml"], authorTeams: ["payments"] })).toEqual([]);
  });

  it("rejects a change to another team's folder, at the top of the file", () => {
    const text = deploymentYaml({ name: "web", namespace: "shop" });
    const findings = check({
      files: { "apps/shop/web.yaml": text },
      changedFiles: ["apps/shop/web.yaml"],
      authorTeams: ["search", "infra"],
    });
    expect(findings).toEqual([
      {
        policy: "platform",
        rule: "namespace-ownership",
        severity: "error",
        file: "apps/shop/web.yaml",
        line: 1,
        column: 1,
        path: "",
        message: "`apps/shop/web.yaml` belongs to shop; your teams (search, infra) may not change it.",
        hint: "Change files under your team's folder, or ask shop to make this change.",
      },
      expect.objectContaining({
        path: "metadata.namespace",
        ...positionOfText(text, "namespace: shop"),
        message: 'Deployment "web" is in namespace "shop", which your teams (search, infra) do not own.',
      }),
    ]);
  });

  it("rejects an object placed in a foreign namespace from the team's own folder", () => {
    const text = deploymentYaml({ name: "web", namespace: "payments" });
    const findings = check({ files: { "apps/shop/web.yaml": text }, changedFiles: ["apps/shop/web.yaml"], authorTeams: ["shop"] });
    expect(findings.map((f) => [f.path, f.line])).toEqual([["metadata.namespace", positionOfText(text, "namespace:").line]]);
  });

  it("reserves files outside every team folder, including deleted ones, to admin teams", () => {
    const findings = check({ files: {}, changedFiles: ["clusters/prod/ingress-nginx.yaml"], authorTeams: ["shop"] });
    expect(findings).toEqual([
      expect.objectContaining({
        file: "clusters/prod/ingress-nginx.yaml",
        line: 1,
        column: 1,
        message: "`clusters/prod/ingress-nginx.yaml` belongs to no team, so only platform may change it; your teams (shop) may not.",
      }),
    ]);
    expect(check({ files: {}, changedFiles: ["clusters/prod/ingress-nginx.yaml"], authorTeams: ["platform"] })).toEqual([]);
  });

  it("judges a Namespace object by the name it claims", () => {
    const text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: payments-prod\n";
    const findings = check({ files: { "apps/shop/ns.yaml": text }, changedFiles: ["apps/shop/ns.yaml"], authorTeams: ["shop"] });
    expect(findings.map((f) => [f.path, f.line, f.column])).toEqual([["metadata.name", 4, 3]]);
  });

  it("is not judged when the author's teams are unknown (the CLI)", () => {
    const findings = evaluatePlatformRules({ config, manifests: manifestsOf({ "x.yaml": deploymentYaml({ name: "x", namespace: "y" }) }) });
    expect(findings.filter((f) => f.rule === "namespace-ownership")).toEqual([]);
  });

  describe("neighbouring team names (`web` and `web-platform`) under `{team}-*`", () => {
    const files = {
      "apps/web/site.yaml": deploymentYaml({ name: "site", namespace: "web-prod" }),
      "apps/web-platform/api.yaml": deploymentYaml({ name: "api", namespace: "web-platform-prod" }),
    };

    it("does not let team web claim web-platform-prod, a namespace of team web-platform", () => {
      const claim = { ...files, "apps/web/sneaky.yaml": deploymentYaml({ name: "sneaky", namespace: "web-platform-prod" }) };
      const findings = check({ files: claim, changedFiles: ["apps/web/sneaky.yaml"], authorTeams: ["web"] });
      expect(findings.map((f) => f.message)).toEqual([
        'Deployment "sneaky" is in namespace "web-platform-prod", which your teams (web) do not own.',
      ]);
    });

    it.each([
      ["web", "apps/web/site.yaml", "web-prod"],
      ["web", "apps/web/site.yaml", "web"],
      ["web-platform", "apps/web-platform/api.yaml", "web-platform-prod"],
      ["web-platform", "apps/web-platform/api.yaml", "web-platform"],
    ])("lets team %s use its own namespace (%s in %s)", (team, file, namespace) => {
      const own = { ...files, [file]: deploymentYaml({ name: "x", namespace }) };
      expect(check({ files: own, changedFiles: [file], authorTeams: [team] })).toEqual([]);
    });

    it("knows team web-platform from the platform config alone, before it has a folder", () => {
      const declared = configOf({
        ownership: { paths: ["apps/{team}/**"], namespaces: ["{team}", "{team}-*"] },
        teams: { "web-platform": {} },
        rules: { references: { severity: "off" } },
      });
      const manifests = manifestsOf({ "apps/web/sneaky.yaml": deploymentYaml({ name: "sneaky", namespace: "web-platform-dev" }) });
      const findings = evaluatePlatformRules({
        config: declared,
        manifests,
        changedFiles: ["apps/web/sneaky.yaml"],
        authorTeams: ["web"],
        isJudged: () => true,
      });
      expect(findings.filter((f) => f.rule === "namespace-ownership").map((f) => f.path)).toEqual(["metadata.namespace"]);
    });

    it("lets an explicit namespace of a team win over another team's layout pattern", () => {
      const explicit = configOf({
        ownership: { paths: ["apps/{team}/**"], namespaces: ["{team}", "{team}-*"] },
        teams: { payments: { namespaces: ["web-shared"] } },
        rules: { references: { severity: "off" } },
      });
      const manifests = manifestsOf({ "apps/web/x.yaml": deploymentYaml({ name: "x", namespace: "web-shared" }) });
      const judge = (authorTeams: string[]) =>
        evaluatePlatformRules({ config: explicit, manifests, changedFiles: ["apps/web/x.yaml"], authorTeams, isJudged: () => true }).filter(
          (f) => f.rule === "namespace-ownership" && f.path === "metadata.namespace",
        );
      expect(judge(["web"])).toHaveLength(1);
    });
  });
});
