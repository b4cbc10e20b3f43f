import type { Problem } from "../../core/problems.js";
import { PortProblemError } from "../../ports.js";

/** The part of Octokit's RequestError the gateway relies on (duck-typed: several copies may be installed). */
export interface GitHubRequestError extends Error {
  status: number;
  response?: { data?: unknown };
}

/** True for an error thrown by Octokit for an HTTP error status. */
export function isRequestError(error: unknown): error is GitHubRequestError {
  return error instanceof Error && typeof (error as { status?: unknown }).status === "number";
}

/** True when GitHub answered with `status`. */
export function hasStatus(error: unknown, status: number): boolean {
  return isRequestError(error) && error.status === status;
}

/** GitHub's own message from an error body (`{ message, errors: [{ message }] }`), for matching and logs. */
export function errorMessage(error: GitHubRequestError): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const parts = [typeof data?.message === "string" ? data.message : error.message];
  if (Array.isArray(data?.errors)) {
    for (const item of data.errors) {
      if (item && typeof item === "object" && typeof (item as { message?: unknown }).message === "string")
        parts.push((item as { message: string }).message);
    }
  }
  return parts.join("; ");
}

/** 404 means "absent" where absence is normal (a branch not created yet, a non-member); `null` then. */
export async function nullIfNotFound<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (hasStatus(error, 404)) return null;
    throw error;
  }
}

/** 422 from `POST git/refs` when the branch exists: another replica (or an earlier run) created it. */
export function isReferenceExists(error: unknown): boolean {
  return hasStatus(error, 422) && /reference already exists/i.test(errorMessage(error as GitHubRequestError));
}

/** 422 from `POST pulls` when an open pull request for the head branch exists already (a race). */
export function isPullRequestExists(error: unknown): boolean {
  return hasStatus(error, 422) && /pull request already exists/i.test(errorMessage(error as GitHubRequestError));
}

/**
 * An expected failure to reach the GitOps repository (missing repository, branch, or the App is
 * not installed there). It carries a problem for the requester instead of failing the delivery.
 */
export class GitOpsRepositoryError extends PortProblemError {
  constructor(found: Problem) {
    super(found);
    this.name = "GitOpsRepositoryError";
  }
}

/** Adds what the gateway was doing to an unexpected error, keeping the original as `cause`. */
export function withContext(action: string, error: unknown): Error {
  if (!isRequestError(error)) return error instanceof Error ? error : new Error(String(error));
  const wrapped = new Error(`GitHub API error while ${action}: ${error.status} ${errorMessage(error)}`, { cause: error });
  return Object.assign(wrapped, { status: error.status });
}

/** The part of @octokit/graphql's GraphqlResponseError the gateway reads (duck-typed, as for REST errors). */
export interface GraphqlErrors extends Error {
  errors: ({ type?: string; path?: (string | number)[]; message: string } | null)[];
}

/** True for an error thrown by Octokit for a GraphQL reply with errors. */
export function isGraphqlErrors(error: unknown): error is GraphqlErrors {
  return error instanceof Error && Array.isArray((error as { errors?: unknown }).errors);
}

/**
 * GraphQL's "not found", where absence is normal (a deleted issue, an organisation out of reach): every
 * error of the reply is NOT_FOUND, and, with `field`, at that top-level field of the query.
 */
export function isGraphqlNotFound(error: unknown, field?: string): boolean {
  return (
    isGraphqlErrors(error) &&
    error.errors.length > 0 &&
    error.errors.every((e) => e?.type === "NOT_FOUND" && (field === undefined || e.path?.[0] === field))
  );
}
