/**
 * `npm run bench`: times the full policy check of 5,000 generated manifests, schema validation
 * included, against js-yaml's `loadAll` of the same text, side by side in one process, and prints
 * both, their ratio (target: at most 2.5x) and the peak memory. Run the built file:
 * `node dist/bench/policy-bench.js`.
 *
 * js-yaml 5.5 ships an ESM and a CommonJS build of the same source; the ESM one parses about 2x
 * slower (issue 16). Both builds' `loadAll` are timed and printed, and the ratio is taken against the
 * faster of the two in each run, so the check is never flattered by a slow baseline. This file is the
 * one place in src that imports the ESM build, for that comparison.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esmYaml from "js-yaml";
import * as cjsYaml from "../core/yaml/js-yaml.js";
import { kubernetesModelsSchemas } from "../adapters/schemas/kubernetes-models-schemas.js";
import { checkFiles } from "../workflows/check-files.js";
import { readPolicies } from "../workflows/read-policies.js";
import type { FileSource } from "../ports.js";

const POLICIES_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));
const MANIFESTS = 5_000;
/** One app is ten objects of different kinds, as a GitOps repository folder would hold them. */
const OBJECTS_PER_APP = 10;
/** Runs per side, interleaved; the median is reported, with the minimum beside it. */
const RUNS = 9;
const WARM_UPS = 2;
/** Issue 11: with schema validation on, the check stays within 2.5 times the bare parse. */
const TARGET_RATIO = 2.5;

function appFile(index: number): string {
  const name = `app-${index}`;
  const team = `team-${index % 25}`;
  const namespace = `${team}-${["prod", "staging", "dev"][index % 3] ?? "dev"}`;
  // Every seventh app breaks a policy, so findings are built and positioned too.
  const image = index % 7 === 0 ? "nginx:latest" : `registry.example.com/${team}/${name}:1.${index % 10}.0`;
  const privileged = index % 11 === 0;
  return `# ${name}: generated for the policy benchmark
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { app.kubernetes.io/name: ${name}, app.kubernetes.io/part-of: ${team} }
spec:
  replicas: ${1 + (index % 4)}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name}, team: ${team} }
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: app
          image: ${image}
          ports:
            - { name: http, containerPort: 8080 }
          env:
            - { name: LOG_LEVEL, value: info }
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: ${name}-db, key: password } }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          readinessProbe: { httpGet: { path: /readyz, port: http }, periodSeconds: 5 }
          livenessProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 10 }
          securityContext:
            privileged: ${privileged}
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
      volumes:
        - name: tmp
          emptyDir: { sizeLimit: 64Mi }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector: { app: ${name} }
  ports:
    - { name: http, port: 80, targetPort: http }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${namespace}
  annotations: { cert-manager.io/cluster-issuer: letsencrypt }
spec:
  ingressClassName: nginx
  tls:
    - hosts: [${name}.example.com]
      secretName: ${name}-tls
  rules:
    - host: ${name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port: { name: http }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-settings
  namespace: ${namespace}
data:
  LOG_FORMAT: json
  FEATURE_FLAGS: |
    checkout=true
    search=${index % 2 === 0}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${name} }
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: { app: ${name} }
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: ${namespace}
automountServiceAccountToken: false
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}-cleanup
  namespace: ${namespace}
spec:
  schedule: "${index % 60} 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          securityContext: { runAsNonRoot: true }
          containers:
            - name: cleanup
              image: registry.example.com/${team}/cleanup:2.1.0
              args: ["--older-than", "7d"]
              resources:
                requests: { cpu: 50m, memory: 64Mi }
                limits: { memory: 128Mi }
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  podSelector:
    matchLabels: { app: ${name} }
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: { kubernetes.io/metadata.name: ingress-nginx }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${name}-reader
  namespace: ${namespace}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
`;
}

function memorySource(files: ReadonlyMap<string, string>): FileSource {
  return {
    listFiles: async () => [...files.keys()],
    readFile: async (file) => files.get(file) ?? null,
  };
}

async function policySource(): Promise<FileSource> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(path.relative(POLICIES_DIR, full).split(path.sep).join("/"), await readFile(full, "utf8"));
    }
  };
  await walk(POLICIES_DIR);
  return memorySource(files);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const repo = new Map<string, string>();
  for (let index = 0; index < MANIFESTS / OBJECTS_PER_APP; index++) repo.set(`apps/team-${index % 25}/app-${index}/app.yaml`, appFile(index));
  const texts = [...repo.values()];
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const source = memorySource(repo);
  const policies = await policySource();

  let peakHeap = 0;
  const sampleHeap = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));

  type LoadAll = (text: string) => unknown[];
  const parseOnly = (loadAll: LoadAll): number => {
    let documents = 0;
    for (const text of texts) documents += loadAll(text).length;
    return documents;
  };
  const fullCheck = async () => {
    const result = await checkFiles({ source, policies: await readPolicies({ sources: [{ source: policies, folder: "" }] }), schemas: kubernetesModelsSchemas });
    sampleHeap();
    return result;
  };
  const timeParse = (loadAll: LoadAll): number => {
    const start = performance.now();
    parseOnly(loadAll);
    return performance.now() - start;
  };
  const esmLoadAll: LoadAll = (text) => esmYaml.loadAll(text);
  const cjsLoadAll: LoadAll = (text) => cjsYaml.loadAll(text);
  const timeCheck = async (): Promise<number> => {
    const start = performance.now();
    await fullCheck();
    return performance.now() - start;
  };

  // Warm-up, so both sides are measured with optimised code.
  const documents = parseOnly(cjsLoadAll);
  if (parseOnly(esmLoadAll) !== documents) throw new Error("the two js-yaml builds disagree on the document count");
  const warm = await fullCheck();
  for (let run = 0; run < WARM_UPS; run++) {
    timeParse(esmLoadAll);
    timeParse(cjsLoadAll);
    await timeCheck();
  }
  // Interleaved, and in alternating order, so a burst of load from other processes on the shared
  // machine hits both sides alike, and so does the garbage one side leaves for the next to collect;
  // the ratio is taken per pair, where both saw the same conditions. No forced collection between
  // runs: V8 then throws away optimised code whose embedded objects died, and the side with more
  // code would be measured recompiling itself.
  const esmTimes: number[] = [];
  const cjsTimes: number[] = [];
  const parseTimes: number[] = [];
  const checkTimes: number[] = [];
  const ratios: number[] = [];
  const buildRatios: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let checkMs = 0;
    let esmMs = 0;
    let cjsMs = 0;
    // The three sides rotate their order each run.
    const sides = [async () => (checkMs = await timeCheck()), async () => (esmMs = timeParse(esmLoadAll)), async () => (cjsMs = timeParse(cjsLoadAll))];
    for (let step = 0; step < sides.length; step++) await sides[(run + step) % sides.length]?.();
    const fastest = Math.min(esmMs, cjsMs);
    esmTimes.push(esmMs);
    cjsTimes.push(cjsMs);
    parseTimes.push(fastest);
    checkTimes.push(checkMs);
    ratios.push(checkMs / fastest);
    buildRatios.push(esmMs / cjsMs);
  }

  const parseMs = median(parseTimes);
  const checkMs = median(checkTimes);
  const ratio = median(ratios);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const errors = warm.findings.filter((f) => f.severity === "error").length;
  const lines = [
    `policy bench: ${documents} manifests in ${texts.length} files (${mib(bytes)}), ${warm.policies.length} policies + platform rules, ${RUNS} interleaved runs after ${WARM_UPS + 1} warm-ups`,
    `  js-yaml loadAll alone, ESM build:      median ${ms(median(esmTimes))}, min ${ms(Math.min(...esmTimes))}`,
    `  js-yaml loadAll alone, CommonJS build: median ${ms(median(cjsTimes))}, min ${ms(Math.min(...cjsTimes))}  (the check uses this one; ESM/CJS ${median(buildRatios).toFixed(2)}x, median of the pairs)`,
    `  fastest loadAll of each run:           median ${ms(parseMs)}, min ${ms(Math.min(...parseTimes))}`,
    `  full check (positions, policies, platform rules, schema validation): median ${ms(checkMs)}, min ${ms(Math.min(...checkTimes))}  (${warm.findings.length} findings, ${errors} errors)`,
    `  ratio to the fastest loadAll: ${ratio.toFixed(2)}x, median of the ${RUNS} runs (target <= ${TARGET_RATIO}x) ${ratio <= TARGET_RATIO ? "OK" : "OVER TARGET"}; ` +
      `of the medians ${(checkMs / parseMs).toFixed(2)}x, of the minimums ${(Math.min(...checkTimes) / Math.min(...parseTimes)).toFixed(2)}x, ` +
      `pairs ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x`,
    `  peak memory: rss ${mib(peakRss)}, heapUsed ${mib(peakHeap)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
