import { z } from "zod";

/**
 * Where a merged request stands with Argo CD, as the status comment remembers it. `untracked`: the
 * issue closed at the merge (a deprovision, or `argocd.closeIssue: merged`) and statuses are not
 * followed; `waiting`: merged, no status from Argo CD yet; then the last status taken.
 */
export const DELIVERY_PHASES = ["untracked", "waiting", "syncing", "deployed", "degraded", "failed"] as const;
export type DeliveryPhase = (typeof DELIVERY_PHASES)[number];

/** The commit status states Argo CD Notifications' GitHub service sets. */
export const ARGO_STATES = ["pending", "success", "failure", "error"] as const;
export type ArgoState = (typeof ARGO_STATES)[number];

/** An Argo CD Application name: a Kubernetes object name (DNS-1123 subdomain). */
export const APPLICATION_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const SHA = /^[0-9a-f]{40}$/;
const isoDate = z
  .string()
  .max(40)
  .refine((text) => !Number.isNaN(Date.parse(text)), "expected a date");

/** The last Argo CD status the bot took for the request. */
export const TakenStatusSchema = z
  .object({
    application: z.string().regex(APPLICATION_NAME),
    state: z.enum(ARGO_STATES),
    commit: z.string().regex(SHA),
    /** Orders statuses: the commit's committer date (a Deployment's creation for deployment statuses). */
    observedAt: isoDate.optional(),
    description: z.string().max(300).optional(),
    targetUrl: z.string().max(1000).optional(),
  })
  .strict();
export type TakenStatus = z.infer<typeof TakenStatusSchema>;

export const DeliverySchema = z
  .object({
    phase: z.enum(DELIVERY_PHASES),
    /** When the pull request merged: statuses on commits older than this belong to an earlier change. */
    mergedAt: isoDate.optional(),
    /** True while the failure label is on the issue (the bot put it there). */
    labelled: z.boolean().optional(),
    status: TakenStatusSchema.optional(),
  })
  .strict();
export type Delivery = z.infer<typeof DeliverySchema>;

/** The label a request issue carries while its deployment is degraded or failed. */
export const DELIVERY_FAILURE_LABEL = "deployment-failed";
