/**
 * Runs a `kyverno test` folder (policies, resources and a `kyverno-test.yaml`, at the folder or in
 * its `.kyverno-test/`) with the gitops-bot engine and scores it the way the Kyverno CLI does
 * (kyverno/kyverno cmd/cli/kubectl-kyverno/commands/test): `gitops-bot test` and the conformance
 * suite share it. Files come through a reader port, so it runs over any tree.
 */
import path from "node:path";
import {
  Schema,
  boolYaml11Tag,
  floatYaml11Tag,
  intYaml11Tag,
  loadAll,
  mapTag,
  mergeTag,
  nullYaml11Tag,
  seqTag,
  strTag,
} from "../core/yaml/js-yaml.js";
import type { Problem } from "../core/problems.js";
import { evaluateKyvernoPolicy } from "../core/policy/kyverno/evaluate-policy.js";
import type { RuleOutcome } from "../core/policy/kyverno/evaluate-policy.js";
import {
  isPolicyExceptionDocument,
  parsePolicyException,
  type KyvernoPolicyException,
} from "../core/policy/kyverno/parse-policy-exception.js";
import { parseKyvernoPolicy } from "../core/policy/kyverno/parse-policy.js";
import type { KyvernoPolicy } from "../core/policy/kyverno/parse-policy.js";
import type { TestFileReader } from "../ports.js";

/** One expectation of a test, as `kyverno test` prints it in its table. */
export interface KyvernoTestRow {
  policy: string;
  rule: string;
  /** `Kind/namespace/name` when found, else the name as the test lists it. */
  resource: string;
  expected: string;
  /** What the engine produced: a status, `excluded`, `not found` or several statuses joined by `,`. */
  actual: string;
  ok: boolean;
}

/** One expectation the engine did not meet. */
export interface KyvernoTestMismatch {
  /** The case directory. */
  case: string;
  /** The resource as listed in the test (`name` or `namespace/name`), with its kind when found. */
  resource: string;
  rule: string;
  expected: string;
  /** What the engine produced: a status, `excluded`, `not found` or several statuses joined by `,`. */
  actual: string;
}

export interface KyvernoTestDirResult {
  /** Expectations: one per (result entry × listed resource), as Kyverno counts them. */
  expected: number;
  passed: number;
  mismatches: KyvernoTestMismatch[];
  /**
   * Expectations met only because the rule did not match the resource (Kyverno counts those as
   * passed whatever the expected result): worth watching, a matching bug hides there.
   */
  passedByExclusion: number;
  /** Problems reported while parsing the case's policies (unsupported features...). */
  problems: Problem[];
  /** Every expectation in the test's order, met or not. */
  rows: KyvernoTestRow[];
}

// sigs.k8s.io/yaml (go-yaml v2) reads YAML 1.1 scalars (yes/no/on/off, 0755) and keeps
// timestamps as strings; this schema does the same.
const GO_YAML_SCHEMA = new Schema([strTag, seqTag, mapTag, nullYaml11Tag, boolYaml11Tag, intYaml11Tag, floatYaml11Tag, mergeTag]);

/** Cluster-scoped kinds by API group: the Kyverno CLI gives every other resource namespace "default". */
const CLUSTER_SCOPED: Record<string, string[]> = {
  "": ["Namespace", "Node", "PersistentVolume", "ComponentStatus"],
  "rbac.authorization.k8s.io": ["ClusterRole", "ClusterRoleBinding"],
  "storage.k8s.io": ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "VolumeAttributesClass"],
  "apiextensions.k8s.io": ["CustomResourceDefinition"],
  "admissionregistration.k8s.io": [
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
  ],
  "apiregistration.k8s.io": ["APIService"],
  "scheduling.k8s.io": ["PriorityClass"],
  "node.k8s.io": ["RuntimeClass"],
  policy: ["PodSecurityPolicy"],
  "certificates.k8s.io": ["CertificateSigningRequest", "ClusterTrustBundle"],
  "flowcontrol.apiserver.k8s.io": ["FlowSchema", "PriorityLevelConfiguration"],
  "networking.k8s.io": ["IngressClass", "IPAddress", "ServiceCIDR"],
  "authentication.k8s.io": ["TokenReview", "SelfSubjectReview"],
  "authorization.k8s.io": ["SubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview"],
  "resource.k8s.io": ["DeviceClass", "ResourceSlice"],
  "storagemigration.k8s.io": ["StorageVersionMigration"],
  "internal.apiserver.k8s.io": ["StorageVersion"],
};
const NIL_MAP_FIELDS = new Set(["annotations", "labels", "matchLabels", "nodeSelector", "data", "stringData"]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

async function readYaml(reader: TestFileReader, file: string): Promise<unknown[]> {
  const text = await reader.readFile(file);
  return loadAll(text, { schema: GO_YAML_SCHEMA }).filter((doc) => doc !== null && doc !== undefined);
}

function metadata(resource: Json): Json {
  return isObject(resource["metadata"]) ? resource["metadata"] : {};
}

function isClusterScoped(resource: Json): boolean {
  const apiVersion = typeof resource["apiVersion"] === "string" ? resource["apiVersion"] : "";
  const parts = apiVersion.split("/");
  const group = parts.length === 2 ? (parts[0] ?? "") : "";
  return (CLUSTER_SCOPED[group] ?? []).includes(String(resource["kind"] ?? ""));
}

/** The Kyverno CLI turns `labels:` with no value into an empty map. */
function normalizeNilMaps(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(normalizeNilMaps);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (item === null && NIL_MAP_FIELDS.has(key)) value[key] = {};
    else normalizeNilMaps(item);
  }
}

function prepareResource(doc: Json): Json {
  const resource = structuredClone(doc);
  const meta = metadata(resource);
  if ((typeof meta["namespace"] !== "string" || meta["namespace"] === "") && !isClusterScoped(resource)) {
    resource["metadata"] = { ...meta, namespace: "default" };
  }
  normalizeNilMaps(resource);
  return resource;
}

interface LoadedResource {
  resource: Json;
  kind: string;
  namespace: string;
  name: string;
}

interface ValuesSpec {
  globalValues: Json;
  policies: { name: string; resources: { name: string; values: Json }[] }[];
}

function readValues(doc: unknown): ValuesSpec {
  const values: ValuesSpec = { globalValues: {}, policies: [] };
  if (!isObject(doc)) return values;
  if (isObject(doc["globalValues"])) values.globalValues = doc["globalValues"];
  for (const policy of Array.isArray(doc["policies"]) ? doc["policies"] : []) {
    if (!isObject(policy) || typeof policy["name"] !== "string") continue;
    const resources = (Array.isArray(policy["resources"]) ? policy["resources"] : [])
      .filter(isObject)
      .map((r) => ({ name: String(r["name"] ?? ""), values: isObject(r["values"]) ? r["values"] : {} }));
    values.policies.push({ name: policy["name"], resources });
  }
  return values;
}

/** Kyverno's ComputeVariables: global values, then the policy's values for this resource. */
function valuesFor(spec: ValuesSpec, policy: string, resource: string): Json {
  const out: Json = { ...spec.globalValues };
  for (const p of spec.policies) {
    if (p.name !== policy) continue;
    for (const r of p.resources) if (r.name === resource) Object.assign(out, r.values);
  }
  if (out["request.operation"] === undefined) out["request.operation"] = "CREATE";
  return out;
}

/** The test file of a case directory: `<dir>/.kyverno-test/kyverno-test.yaml` or `<dir>/kyverno-test.yaml`. */
async function testFileOf(reader: TestFileReader, dir: string): Promise<string> {
  const nested = path.join(dir, ".kyverno-test", "kyverno-test.yaml");
  if (await reader.exists(nested)) return nested;
  return path.join(dir, "kyverno-test.yaml");
}

function evaluate(params: {
  policy: KyvernoPolicy;
  loaded: LoadedResource;
  values: ValuesSpec;
  exceptions: readonly KyvernoPolicyException[];
}): RuleOutcome[] {
  const { policy, loaded, values } = params;
  const variables = valuesFor(values, policy.name, loaded.name);
  const exceptions = params.exceptions.length > 0 ? { exceptions: params.exceptions } : {};
  const requested = variables["request.operation"];
  const operation = requested === "UPDATE" || requested === "DELETE" ? requested : "CREATE";
  if (operation === "UPDATE") {
    return evaluateKyvernoPolicy(policy, {
      object: loaded.resource,
      oldObject: structuredClone(loaded.resource),
      operation,
      variables,
      ...exceptions,
    });
  }
  if (operation === "DELETE") {
    return evaluateKyvernoPolicy(policy, { object: {}, oldObject: loaded.resource, operation, variables, ...exceptions });
  }
  return evaluateKyvernoPolicy(policy, { object: loaded.resource, operation, variables, ...exceptions });
}

/**
 * Runs one case directory and scores every expectation of its kyverno-test.yaml: a result entry
 * lists resources by `name` or `namespace/name` (its `kind` is informational); each resource
 * counts once per listed name, passes when every matching rule response (`R`, `autogen-R`,
 * `autogen-cronjob-R`) has the expected status, and also passes when the rule does not match the
 * resource at all (Kyverno reports that as "excluded").
 */
export async function runKyvernoTestDir(dir: string, reader: TestFileReader): Promise<KyvernoTestDirResult> {
  const testFile = await testFileOf(reader, dir);
  const testDir = path.dirname(testFile);
  const [test] = await readYaml(reader, testFile);
  if (!isObject(test)) throw new Error(`${testFile} is not a kyverno test`);
  const { policies, problems } = await readTestPolicies({ test, dir, testDir, reader });
  const exceptions = await readTestExceptions({ test, dir, testDir, reader });
  problems.push(...exceptions.problems);
  const resources = await readTestResources({ test, testDir, reader });

  let valuesDoc: unknown = test["values"];
  if (typeof test["variables"] === "string" && test["variables"] !== "") {
    [valuesDoc] = await readYaml(reader, path.resolve(testDir, test["variables"]));
  }
  const values = readValues(valuesDoc);

  const outcomes = new Map<LoadedResource, Map<string, RuleOutcome[]>>();
  for (const loaded of resources) {
    const byPolicy = new Map<string, RuleOutcome[]>();
    for (const policy of policies) byPolicy.set(policy.name, evaluate({ policy, loaded, values, exceptions: exceptions.exceptions }));
    outcomes.set(loaded, byPolicy);
  }
  return { ...scoreResults({ test, dir, resources, outcomes }), problems };
}

/** The policies a test names, each file's documents parsed as Kyverno policies. */
async function readTestPolicies(params: {
  test: Record<string, unknown>;
  dir: string;
  testDir: string;
  reader: TestFileReader;
}): Promise<{ policies: KyvernoPolicy[]; problems: Problem[] }> {
  const policies: KyvernoPolicy[] = [];
  const problems: Problem[] = [];
  for (const file of strings(params.test["policies"])) {
    const full = path.resolve(params.testDir, file);
    for (const document of await readYaml(params.reader, full)) {
      const parsed = parseKyvernoPolicy({ file: path.relative(params.dir, full), document });
      problems.push(...parsed.problems);
      if (parsed.policy) policies.push(parsed.policy);
    }
  }
  return { policies, problems };
}

/** `exceptions:` lists PolicyException files, as `kyverno test` takes them (`--exception` of `kyverno apply`). */
async function readTestExceptions(params: {
  test: Record<string, unknown>;
  dir: string;
  testDir: string;
  reader: TestFileReader;
}): Promise<{ exceptions: KyvernoPolicyException[]; problems: Problem[] }> {
  const exceptions: KyvernoPolicyException[] = [];
  const problems: Problem[] = [];
  for (const file of strings(params.test["exceptions"])) {
    const full = path.resolve(params.testDir, file);
    for (const document of await readYaml(params.reader, full)) {
      if (!isPolicyExceptionDocument(document)) continue;
      const parsed = parsePolicyException({ file: path.relative(params.dir, full), document });
      problems.push(...parsed.problems);
      if (parsed.exception) exceptions.push(parsed.exception);
    }
  }
  return { exceptions, problems };
}

/** The resources a test names; a second resource of the same group, kind, namespace and name is dropped, as the Kyverno CLI does. */
async function readTestResources(params: {
  test: Record<string, unknown>;
  testDir: string;
  reader: TestFileReader;
}): Promise<LoadedResource[]> {
  const resources: LoadedResource[] = [];
  const seen = new Set<string>();
  for (const file of strings(params.test["resources"])) {
    for (const doc of await readYaml(params.reader, path.resolve(params.testDir, file))) {
      if (!isObject(doc)) continue;
      const resource = prepareResource(doc);
      const meta = metadata(resource);
      const apiVersion = String(resource["apiVersion"] ?? "");
      const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
      const loaded: LoadedResource = {
        resource,
        kind: String(resource["kind"] ?? ""),
        namespace: String(meta["namespace"] ?? ""),
        name: String(meta["name"] ?? ""),
      };
      const key = `${group}|${loaded.kind}|${loaded.namespace}|${loaded.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      resources.push(loaded);
    }
  }
  return resources;
}

/** Compares each expected result of the test with the engine's outcomes, row by row as `kyverno test` prints them. */
function scoreResults(params: {
  test: Record<string, unknown>;
  dir: string;
  resources: readonly LoadedResource[];
  outcomes: ReadonlyMap<LoadedResource, ReadonlyMap<string, RuleOutcome[]>>;
}): Omit<KyvernoTestDirResult, "problems"> {
  const { test, dir, resources, outcomes } = params;
  let expected = 0;
  let passed = 0;
  let passedByExclusion = 0;
  const mismatches: KyvernoTestMismatch[] = [];
  const rows: KyvernoTestRow[] = [];
  for (const entry of Array.isArray(test["results"]) ? test["results"] : []) {
    if (!isObject(entry)) continue;
    const policyName =
      String(entry["policy"] ?? "")
        .split("/")
        .pop() ?? "";
    const rule = String(entry["rule"] ?? "");
    const want = String(entry["result"] ?? "");
    const listed = [...strings(entry["resources"]), ...(typeof entry["resource"] === "string" ? [entry["resource"]] : [])];
    for (const name of listed) {
      expected++;
      const [ns, bare] = name.includes("/") ? name.split("/", 2) : [undefined, name];
      const targets = resources.filter((r) => r.name === bare && (ns === undefined || r.namespace === ns));
      const actual: string[] = [];
      let ok = targets.length > 0;
      for (const target of targets) {
        const responses = outcomes.get(target)?.get(policyName);
        if (!responses) {
          ok = false;
          actual.push("policy not found");
          continue;
        }
        const rows = responses.filter((o) => o.rule === rule || o.rule === `autogen-${rule}` || o.rule === `autogen-cronjob-${rule}`);
        if (rows.length === 0) actual.push("excluded");
        for (const row of rows) {
          actual.push(row.status);
          if (row.status !== want) ok = false;
        }
      }
      const resource =
        targets.length > 0 ? targets.map((t) => `${t.kind}/${t.namespace ? `${t.namespace}/` : ""}${t.name}`).join(",") : name;
      const shown = targets.length === 0 ? "not found" : actual.join(",");
      rows.push({ policy: policyName, rule, resource, expected: want, actual: shown, ok });
      if (ok) {
        passed++;
        if (actual.every((a) => a === "excluded") && want !== "skip") passedByExclusion++;
      } else {
        mismatches.push({ case: dir, resource, rule, expected: want, actual: shown });
      }
    }
  }
  return { expected, passed, mismatches, passedByExclusion, rows };
}
