import { z } from "zod";

/** A Kubernetes DNS-1123 label: what names, teams and environments must be. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A request's team: what `apps/{team}/…` and `{team}-…` namespaces are built from (see validateIdentity). */
export const TEAM_NAME = /^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$/;

/** A t-shirt size name, as templates declare them. */
export const SIZE_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** How GitHub merges a pull request (`merge_method` of the merge API). */
export const MERGE_METHODS = ["merge", "squash", "rebase"] as const;
export type MergeMethod = (typeof MERGE_METHODS)[number];

/** GitHub repository permissions, weakest first (collaborator permission API `role_name`). */
export const PERMISSIONS = ["read", "triage", "write", "maintain", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const repoRef = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "expected `owner/name`");

/** `org/team-slug`: a GitHub team. */
const teamRef = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "expected `org/team-slug`");

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
    .refine(
      (folder) => folder !== "" && folder !== "." && !folder.split("/").includes(".."),
      "expected a folder inside the repository, such as `platform/policies`",
    );
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
    /**
     * Largest size that may be requested in this environment. A name no template offers refuses
     * every request there: an unknown size never means "no limit".
     */
    maxSize: z.string().regex(SIZE_NAME, "expected a size name such as `medium`").default("large"),
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
          .regex(/^[A-Za-z0-9._/-]+$/)
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
        /**
         * Platform admins (logins or `org/team-slug`): they may make requests for every team in
         * `teams`. Everyone else acts only for the teams they belong to.
         */
        admins: z.array(reviewerRef).default([]),
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
        groups: z
          .record(
            z.string().regex(/^[a-z0-9-]+$/),
            z.array(reviewerRef).min(1, "a group needs at least one reviewer, or the approval it stands for is asked of no one"),
          )
          .default({}),
        /** Reviewers for pull requests that change templates, policies or the bot's configuration. */
        platform: z.array(reviewerRef).default([]),
      })
      .strict()
      .prefault({}),
    /** Exceptions to policies: who may approve one with `/approve-policy`, and which PolicyExceptions count. */
    policyExceptions: z
      .object({
        /** The default policy owners (logins or `org/team-slug`): they approve exceptions to every policy without owners of its own. */
        owners: z.array(reviewerRef).default([]),
        /** Policy name -> its owners, who approve its exceptions instead of the default owners. */
        policies: z
          .record(
            z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "expected a policy name"),
            z.array(reviewerRef).min(1, "a policy's owners need at least one login or team"),
          )
          .default({}),
        /**
         * Kyverno's `--exceptionNamespace`: only PolicyExceptions in this namespace count (as the
         * cluster's Kyverno is configured); omitted: PolicyExceptions count in every namespace.
         */
        namespace: z.string().regex(DNS_LABEL, "expected a namespace name").optional(),
      })
      .strict()
      .prefault({}),
    issueForm: z
      .object({
        /** Label the shipped issue form puts on every request issue; an issue without it is not a request. */
        label: z.string().min(1).max(50).default(DEFAULT_REQUEST_LABEL),
        /** Heading of an issue form field -> the request field it fills: `template`, `size` or a parameter name. */
        fields: z
          .record(z.string().min(1).max(100), z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "expected a field or parameter name"))
          .default(DEFAULT_FORM_FIELDS),
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
    autoMerge: z
      .object({
        /**
         * Off by default: a person presses merge. On, the bot merges its own pull request once the
         * reviewers it asked for approved its latest commit and the policy check passed.
         */
        enabled: z.boolean().default(false),
        /** How it merges; `merge` is GitHub's own default (a merge commit). */
        method: z.enum(MERGE_METHODS).default("merge"),
      })
      .strict()
      .prefault({}),
    /**
     * Request team -> the GitHub teams (`org/team-slug`) whose members may make requests for it.
     * A request names its `team`; only members of that team's GitHub teams (or `access.admins`)
     * may make it, and a team missing here cannot be requested at all.
     */
    teams: z
      .record(
        z.string().regex(TEAM_NAME, "team names are lowercase words with '-', starting with a letter, at most 30 characters"),
        z.array(teamRef).min(1),
      )
      .default({}),
    /** Labels put on every generated pull request. */
    labels: z.array(z.string().min(1).max(50)).default(["gitops-bot"]),
    /** Templates that may be requested; omitted: every template in the catalog. */
    templates: z.array(z.string().regex(DNS_LABEL)).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const environment of Object.keys(config.approvals.environments)) {
      if (!Object.hasOwn(config.environments, environment)) {
        ctx.addIssue({
          code: "custom",
          path: ["approvals", "environments", environment],
          message: `there is no environment \`${environment}\` in \`environments\` (${Object.keys(config.environments).join(", ")}), so these reviewers would never be asked`,
        });
      }
    }
    for (const clash of findNamespaceClashes(config)) {
      ctx.addIssue({
        code: "custom",
        path: ["teams", clash.teams[1]],
        message: `teams \`${clash.teams[0]}\` and \`${clash.teams[1]}\` would share namespace \`${clash.namespace}\` (environment \`${clash.environment}\` and \`${clash.other}\`); rename a team or an environment, or give \`environments.*.namespace\` a pattern that keeps them apart`,
      });
    }
  });

/**
 * Pairs of teams whose namespaces coincide: `{team}-{environment}` gives team `web` in environment
 * `platform-prod` the namespace `web-platform-prod` of team `web-platform` in `prod`. A namespace
 * must belong to one team, so such a configuration is refused rather than guessed at.
 */
function findNamespaceClashes(config: {
  teams: Record<string, unknown>;
  environments: Record<string, { namespace: string }>;
}): { teams: [string, string]; namespace: string; environment: string; other: string }[] {
  const seen = new Map<string, { team: string; environment: string }>();
  const clashes: { teams: [string, string]; namespace: string; environment: string; other: string }[] = [];
  for (const team of Object.keys(config.teams).sort()) {
    for (const [environment, spec] of Object.entries(config.environments)) {
      // A pattern with {name} differs per request: requests are kept apart when they are made.
      if (spec.namespace.includes("{name}")) continue;
      const namespace = spec.namespace.replaceAll("{team}", team).replaceAll("{environment}", environment);
      const before = seen.get(namespace);
      if (before && before.team !== team)
        clashes.push({ teams: [before.team, team], namespace, environment: before.environment, other: environment });
      else seen.set(namespace, { team, environment });
    }
  }
  return clashes;
}

export type BotConfig = z.infer<typeof BotConfigSchema>;

/** The configuration of a repository without `.github/gitops-bot.yml`: every key at its default. */
export const DEFAULT_BOT_CONFIG: BotConfig = BotConfigSchema.parse({});
