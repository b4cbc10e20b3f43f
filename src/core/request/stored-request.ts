import { z } from "zod";
import { DeliverySchema } from "../delivery/delivery-state.js";
import type { ProvisionRequest } from "./request.js";

/**
 * What the status comment remembers about its issue's request, so `/resize` and `/deprovision`
 * know what to change. It is read back from a comment, so it is parsed like any untrusted input.
 */
export const StoredRequestSchema = z
  .object({
    v: z.literal(1),
    request: z
      .object({
        action: z.enum(["provision", "resize", "deprovision"]),
        template: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
          .max(63),
        size: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/),
        values: z
          .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), z.string().max(1000))
          .refine((v) => Object.keys(v).length <= 100),
        requester: z.string().max(100),
      })
      .strict(),
    /** The pull request of the last published change, in the GitOps repository. */
    pullRequest: z
      .object({ repository: z.string().max(200), number: z.number().int().positive(), url: z.string().url().max(500) })
      .strict()
      .optional(),
    /** After that pull request merged: whether Argo CD's statuses are followed, and the last one taken. */
    delivery: DeliverySchema.optional(),
  })
  .strict();

export type StoredRequest = z.infer<typeof StoredRequestSchema>;

const MARKER = /<!-- gitops-bot:request (\{.*?\}) -->/s;

/** The hidden line that carries a StoredRequest inside the status comment. */
export function renderStoredRequest(stored: StoredRequest): string {
  // `<`, `>` and `&` escaped as JSON unicode escapes: no value can close the HTML comment.
  const json = JSON.stringify(stored).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `<!-- gitops-bot:request ${json} -->`;
}

/** Reads the StoredRequest of a status comment; null when absent or not valid. */
export function parseStoredRequest(body: string): StoredRequest | null {
  const match = MARKER.exec(body);
  if (!match) return null;
  let json: unknown;
  try {
    json = JSON.parse(match[1]!);
  } catch {
    return null;
  }
  const parsed = StoredRequestSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The stored form of a request that was published. */
export function toStoredRequest(request: ProvisionRequest): StoredRequest["request"] {
  return {
    action: request.action === "preview" ? "provision" : request.action,
    template: request.template,
    size: request.size,
    values: { ...request.values },
    requester: request.requester,
  };
}
