import { z } from "zod";

/** A Kubernetes DNS-1123 label: what names, teams and environments must be. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** GitHub repository permissions, weakest first (collaborator permission API `role_name`). */
export const PERMISSIONS = ["read", "triage", "write", "maintain", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const repoRef = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "expected `owner/name`");

/** `org/team-slug`: a GitHub team. */
const teamRef = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "expected `org/team-slug`");

/** A reviewer: a user login, or a team as `org/team-slug`. */
const reviewerRef = z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/, "expected a login or `org/team-slug`");

/**
 * A folder of the GitOps repository as the rest of the code compares it: `/`-separated, without a
 * leading `./` or `/` and without a trailing `/`, so `./platform/policies/` and `platform/policies`
 * are one folder. The repository root, an empty path or one that climbs out (`..`) is refused: a
 * policies folder that held every file would leave no manifest to judge.
 */
export function normalizeRepoFolder(folder: string): string {
  return folder
    .replace(/\\/g, "/")
    .replace(/^(\.?\/+)+/, "")
    .replace(/\/+$/, "")
    .replace(/\/{2,}/g, "/");
}

function repoFolder(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform(normalizeRepoFolder)
    .refine((folder) => folder !== "" && folder !== "." && !folder.split("/").includes(".."), "expected a folder inside the repository, such as `platform/policies`");
}

/** The label of the shipped issue form (examples/request-repo/.github/ISSUE_TEMPLATE/request-infrastructure.yml). */
export const DEFAULT_REQUEST_LABEL = "gitops-request";

/** The headings of the shipped issue form and the request fields they fill. */
export const DEFAULT_FORM_FIELDS: Record<string, string> = {
  Template: "template",
  Size: "size",
  Name: "name",
  Team: "team",
  Environment: "environment",
  Image: "image",
};

export const EnvironmentSchema = z
  .object({
    /** Argo CD destination server (the cluster's API URL, or `in-cluster`). */
    cluster: z.string().min(1),
    /** Namespace pattern; `{team}`, `{name}` and `{environment}` are filled in. */
    namespace: z.string().default("{team}-{environment}"),
    /** Largest size that may be requested in this environment. */
    maxSize: z.string().default("large"),
    /** Free-form description shown in /help. */
    description: z.string().optional(),
  })
  .strict();

export const BotConfigSchema = z
  .object({
    gitops: z
      .object({
        /** The GitOps repository, `owner/name`; omitted: the request repository itself. */
        repository: repoRef.optional(),
        baseBranch: z.string().min(1).default("main"),
        /** Folder of the GitOps repository with templates that extend or override the built-in ones. */
        catalogPath: repoFolder("platform/templates"),
        /** Folder of the GitOps repository with policies added to the built-in ones. */
        policiesPath: repoFolder("platform/policies"),
        /** Where a request's manifests go; `{team}`, `{name}`, `{environment}`, `{template}` are filled in. */
        manifestsPath: z.string().default("apps/{team}/{name}/{environment}"),
        /** Where its Argo CD Application goes. */
        applicationPath: z.string().default("argocd/{environment}/{team}-{name}.yaml"),
        /** Branch name of a request's pull request. */
        branchPrefix: z
          .string()
          .regex(/^[A-Za-z0-9._\/-]+$/)
          .default("gitops-bot")
          .transform((prefix) => prefix.replace(/\/+$/, ""))
          .refine((prefix) => prefix !== "" && !prefix.startsWith("/"), "expected a branch prefix such as `gitops-bot`"),
      })
      .strict()
      .prefault({}),
    argocd: z
      .object({
        namespace: z.string().default("argocd"),
        project: z.string().default("default"),
        /** Clone URL Argo CD reads the GitOps repository from; omitted: the GitHub URL of gitops.repository. */
        repoURL: z.string().optional(),
        /**
         * When a request issue closes: `deployed` once Argo CD reports the service synced and healthy
         * (its commit statuses, docs/github-app.md), or `merged` when the pull request merges.
         * `deployed` where the configuration names Argo CD (an `argocd` section), else `merged`.
         */
        closeIssue: z.enum(["deployed", "merged"]).default("deployed"),
      })
      .strict()
      // No `argocd` section: the team has not told the bot about its Argo CD, so the issue closes at the merge.
      .prefault({ closeIssue: "merged" }),
    environments: z.record(z.string().regex(DNS_LABEL, "environment names must be DNS labels"), EnvironmentSchema).default({
      dev: { cluster: "https://kubernetes.default.svc", namespace: "{team}-dev", maxSize: "large" },
    }),
    access: z
      .object({
        /** Least permission on the request repository that may request. */
        minPermission: z.enum(PERMISSIONS).default("write"),
        /** Teams (`org/team-slug`) whose members may request even without that permission. */
        teams: z.array(teamRef).default([]),
      })
      .strict()
      .prefault({}),
    approvals: z
      .object({
        /** Size -> reviewers (logins or `org/team-slug`) requested on the pull request. */
        sizes: z.record(z.string(), z.array(reviewerRef)).default({}),
        /** Environment -> reviewers requested on the pull request. */
        environments: z.record(z.string(), z.array(reviewerRef)).default({}),
        /** Named reviewer groups that a template size's `approval` refers to. */
        groups: z.record(z.string().regex(/^[a-z0-9-]+$/), z.array(reviewerRef)).default({}),
        /** Reviewers for pull requests that change templates, policies or the bot's configuration. */
        platform: z.array(reviewerRef).default([]),
      })
      .strict()
      .prefault({}),
    issueForm: z
      .object({
        /** Label the shipped issue form puts on every request issue; an issue without it is not a request. */
        label: z.string().min(1).max(50).default(DEFAULT_REQUEST_LABEL),
        /** Heading of an issue form field -> the request field it fills: `template`, `size` or a parameter name. */
        fields: z.record(z.string().min(1).max(100), z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "expected a field or parameter name")).default(DEFAULT_FORM_FIELDS),
        /** Heading of a textarea holding more `key=value` lines, one per line. */
        valuesField: z.string().min(1).max(100).default("Other values"),
      })
      .strict()
      .prefault({}),
    rollout: z
      .object({
        /**
         * Upgrade pull requests (a template change re-rendered for an existing request) open at once;
         * the rest wait until earlier ones merge or close, like Renovate's `prConcurrentLimit`.
         */
        maxOpenPullRequests: z.number().int().min(1).max(100).default(10),
      })
      .strict()
      .prefault({}),
    /** Labels put on every generated pull request. */
    labels: z.array(z.string().min(1).max(50)).default(["gitops-bot"]),
    /** Templates that may be requested; omitted: every template in the catalog. */
    templates: z.array(z.string().regex(DNS_LABEL)).optional(),
  })
  .strict();

export type BotConfig = z.infer<typeof BotConfigSchema>;

/** The configuration of a repository without `.github/gitops-bot.yml`: every key at its default. */
export const DEFAULT_BOT_CONFIG: BotConfig = BotConfigSchema.parse({});
export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;
