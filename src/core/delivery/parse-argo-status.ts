import { APPLICATION_NAME, type ArgoState } from "./delivery-state.js";

/** The context prefix of Argo CD Notifications' commit statuses: `continuous-delivery/<Application name>`. */
export const ARGO_CONTEXT_PREFIX = "continuous-delivery/";

/** One report from Argo CD about an Application at a commit of the GitOps repository. */
export interface ArgoStatus {
  application: string;
  state: ArgoState;
  /** The synced revision: the commit the status is on. */
  commit: string;
  /** Orders statuses (ISO date): the commit's committer date, or a Deployment's creation. */
  observedAt: string | null;
  /** Argo CD's message, one line (GitHub keeps 140 characters of it). */
  description: string | null;
  /** The Argo CD UI link, only when it is a plain http(s) URL. */
  targetUrl: string | null;
  /** The commit's message (commit statuses carry it; deployment statuses do not). */
  commitMessage: string | null;
}

/** A commit status event, or a deployment status event whose Deployment's environment names an Application. */
export type ArgoStatusInput =
  | {
      source: "status";
      context: string;
      state: string;
      sha: string;
      description: string | null;
      targetUrl: string | null;
      commitDate: string | null;
      commitMessage?: string | null;
    }
  | {
      source: "deployment";
      environment: string;
      state: string;
      sha: string;
      description: string | null;
      targetUrl: string | null;
      createdAt: string | null;
    };

const SHA = /^[0-9a-f]{40}$/;
const STATUS_STATES: Record<string, ArgoState> = { pending: "pending", success: "success", failure: "failure", error: "error" };
// `inactive` is GitHub retiring an older Deployment of the environment, not news about this one.
const DEPLOYMENT_STATES: Record<string, ArgoState> = {
  pending: "pending",
  queued: "pending",
  in_progress: "pending",
  success: "success",
  failure: "failure",
  error: "error",
};
// A link goes into Markdown: only http(s), and none of the characters that could end or bend it.
const SAFE_URL = /^https?:\/\/[^\s<>()[\]"'`\\]+$/i;

function oneLine(text: string | null, max: number): string | null {
  if (text === null) return null;
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
  if (flat === "") return null;
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function date(text: string | null): string | null {
  return text !== null && text.length <= 40 && !Number.isNaN(Date.parse(text)) ? text : null;
}

/**
 * Reads a commit status or deployment status as a report from Argo CD, or says why it is not one.
 * Decided from the payload alone, so a foreign status costs no request: another context, a state
 * Argo CD does not set, or a name that cannot be an Application. Every field is untrusted (anyone
 * with write access can set a status): the name is checked, the text flattened and capped, the
 * link kept only when it is a plain http(s) URL.
 */
export function parseArgoStatus(input: ArgoStatusInput): { status: ArgoStatus } | { ignored: string } {
  const application =
    input.source === "status"
      ? input.context.startsWith(ARGO_CONTEXT_PREFIX)
        ? input.context.slice(ARGO_CONTEXT_PREFIX.length)
        : null
      : input.environment;
  if (application === null) return { ignored: `context is not ${ARGO_CONTEXT_PREFIX}<Application>` };
  if (!APPLICATION_NAME.test(application)) return { ignored: "the name is not an Argo CD Application name" };
  const state = (input.source === "status" ? STATUS_STATES : DEPLOYMENT_STATES)[input.state];
  if (!state) return { ignored: `state ${input.state} is not one Argo CD reports` };
  if (!SHA.test(input.sha)) return { ignored: "the commit is not a full SHA" };
  const url = input.targetUrl !== null && input.targetUrl.length <= 1000 && SAFE_URL.test(input.targetUrl) ? input.targetUrl : null;
  return {
    status: {
      application,
      state,
      commit: input.sha,
      observedAt: date(input.source === "status" ? input.commitDate : input.createdAt),
      description: oneLine(input.description, 300),
      targetUrl: url,
      commitMessage: input.source === "status" && typeof input.commitMessage === "string" ? input.commitMessage.slice(0, 10_000) : null,
    },
  };
}
