/** Manifests for the PolicyException tests: a Deployment that breaks disallow-host-ports, and an exception for it. */
import { deployment } from "./policy-check-scenario.js";

/** The Deployment of the check scenario, with a host port: the default policy disallow-host-ports fails it. */
export function hostPortDeployment(): string {
  return deployment().replace(
    "          image: ghcr.io/acme/web:1.4.2\n",
    "          image: ghcr.io/acme/web:1.4.2\n          ports:\n            - containerPort: 8080\n              hostPort: 8080\n",
  );
}

/** A PolicyException for the Deployment `web` in shop-dev, as the cluster's Kyverno reads it. */
export const WEB_EXCEPTION = `apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: web-host-port
  namespace: shop-dev
spec:
  exceptions:
    - policyName: disallow-host-ports
      ruleNames: [host-ports, autogen-host-ports]
  match:
    any:
      - resources:
          kinds: [Deployment]
          names: [web]
          namespaces: [shop-dev]
`;

/**
 * disallow-host-ports with its one rule `host-ports-none` (Pods), as a ClusterPolicy or as a Policy in
 * `monitoring`; `moreRules` (YAML list items, indented as rules) follow it.
 */
export function hostPortsPolicy(kind: "ClusterPolicy" | "Policy", moreRules = ""): string {
  return `apiVersion: kyverno.io/v1
kind: ${kind}
metadata:
  name: disallow-host-ports
${kind === "Policy" ? "  namespace: monitoring\n" : ""}spec:
  validationFailureAction: Enforce
  rules:
    - name: host-ports-none
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: Use of host ports is disallowed.
        pattern:
          spec:
            containers:
              - =(ports):
                  - =(hostPort): 0
${moreRules}`;
}

/** A Pod `agent-1` in `monitoring` with a host port: {@link hostPortsPolicy} fails it. */
export const HOST_PORT_POD = `apiVersion: v1
kind: Pod
metadata:
  name: agent-1
  namespace: monitoring
spec:
  containers:
    - name: app
      image: x:1
      ports:
        - containerPort: 80
          hostPort: 8080
`;
