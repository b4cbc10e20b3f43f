import { describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../../src/adapters/local/read-builtin-catalog.js";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { findReservedSubjects } from "../../../src/core/render/find-reserved-subjects.js";
import { renderRequest } from "../../../src/core/render/render-request.js";

const binding = (kind: string, subjects: unknown[]) => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind,
  metadata: { name: "b" },
  subjects,
  roleRef: { kind: "ClusterRole", name: "view" },
});

describe("findReservedSubjects", () => {
  it.each([
    ["Group", "system:authenticated"],
    ["Group", "system:unauthenticated"],
    ["User", "system:anonymous"],
    ["Group", "system:masters"],
    ["User", "SYSTEM:admin"],
  ])("refuses a binding to the reserved %s %s", (kind, name) => {
    for (const bindingKind of ["RoleBinding", "ClusterRoleBinding"]) {
      const problems = findReservedSubjects({ documents: [binding(bindingKind, [{ kind, name }])], file: "rb.yaml" });
      expect(problems).toEqual([
        expect.objectContaining({
          code: "request.reserved-subject",
          file: "rb.yaml",
          message: `rb.yaml: the ${bindingKind} would bind ${kind.toLowerCase()} \`${name}\`, a name Kubernetes reserves for itself.`,
        }),
      ]);
    }
  });

  it("lets teams' own groups, service accounts and other kinds through", () => {
    const documents = [
      binding("RoleBinding", [
        { kind: "Group", name: "team-payments" },
        { kind: "ServiceAccount", name: "system", namespace: "x" },
      ]),
      { kind: "ConfigMap", data: { subjects: "system:authenticated" } },
      null,
      "text",
    ];
    expect(findReservedSubjects({ documents, file: "x.yaml" })).toEqual([]);
  });
});

describe("the team-namespace template", () => {
  const config = BotConfigSchema.parse({ environments: { dev: { cluster: "https://k" } } });
  const render = async (groupPrefix: string) =>
    renderRequest({
      request: {
        action: "provision",
        template: "team-namespace",
        size: "small",
        values: { name: "payments", team: "payments", environment: "dev", groupPrefix },
        requester: "alice",
      },
      catalog: (await readBuiltinCatalog()).catalog,
      config,
      repoURL: "x",
    });

  it.each(["system:", "System:authenticated-", "system:masters#"])(
    "refuses groupPrefix=%s before anything renders",
    async (groupPrefix) => {
      const result = await render(groupPrefix);
      expect(result.files).toEqual([]);
      expect(result.problems.map((p) => p.code)).toEqual(["request.invalid-value"]);
    },
  );

  it("binds the team's group with an ordinary prefix", async () => {
    const result = await render("oidc:");
    expect(result.problems).toEqual([]);
    expect(result.files.find((f) => f.path.endsWith("rolebinding.yaml"))?.content).toContain("name: oidc:payments");
  });
});
