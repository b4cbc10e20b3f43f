/** One app is ten objects of different kinds, as a GitOps repository folder would hold them. */
export const OBJECTS_PER_APP = 10;

/**
 * One app's file of the benchmarks' generated GitOps repository: a Deployment and nine objects
 * around it. Every seventh app breaks a policy (a `latest` image), every eleventh runs privileged,
 * so findings are built and positioned too. `revision` changes the image tag (a one-file change).
 */
// eslint-disable-next-line max-lines-per-function -- one template literal of generated manifests: data, not logic (README, design)
export function appFile(index: number, revision = 0): string {
  const name = `app-${index}`;
  const team = `team-${index % 25}`;
  const namespace = `${team}-${["prod", "staging", "dev"][index % 3] ?? "dev"}`;
  // Every seventh app breaks a policy, so findings are built and positioned too.
  const image = index % 7 === 0 ? "nginx:latest" : `registry.example.com/${team}/${name}:1.${index % 10}.${revision}`;
  const privileged = index % 11 === 0;
  return `# ${name}: generated for the policy benchmark${revision > 0 ? ` (revision ${revision})` : ""}
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
