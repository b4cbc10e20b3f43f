import { z } from "zod";
import { parseQuantity } from "../policy/kyverno/quantity.js";

/** Kubernetes quantities as the API server reads them: `100m`, `0.5`, `256Mi`, `1G` (not negative). */
// YAML reads `cpu: 1` as a number; it is the same quantity as "1", so both are accepted and kept as text.
const quantity = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((text) => {
    const parsed = parseQuantity(text);
    return parsed !== undefined && parsed.numerator >= 0n;
  }, "expected a Kubernetes quantity such as `250m` or `512Mi`");

/** The three t-shirt sizes every template must offer; more are allowed. */
export const REQUIRED_SIZES = ["small", "medium", "large"] as const;

/** Parameter names every template gets without declaring them. */
export const RESERVED_PARAMETERS = ["name", "team", "environment"] as const;

export const ParameterSchema = z
  .object({
    type: z.enum(["string", "integer", "number", "boolean"]).default("string"),
    description: z.string().default(""),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** A regular expression the whole value must match (anchors are added when missing). */
    pattern: z.string().optional(),
    enum: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    maxLength: z.number().int().positive().default(253),
  })
  .strict();

const requestsLimits = z.object({ request: quantity, limit: quantity }).strict();

export const SizeSchema = z
  .object({
    replicas: z.number().int().min(0).max(1000),
    cpu: requestsLimits,
    memory: requestsLimits,
    autoscaling: z
      .object({
        min: z.number().int().min(1),
        max: z.number().int().min(1),
        targetCPUUtilization: z.number().int().min(1).max(100).default(70),
      })
      .strict()
      .refine((a) => a.max >= a.min, { message: "autoscaling.max must be at least autoscaling.min" })
      .optional(),
    /** Namespace quota, for templates that create namespaces. */
    quota: z
      .object({ cpu: quantity, memory: quantity, pods: z.number().int().min(1) })
      .strict()
      .optional(),
    /** Name of the reviewer group that must approve this size (see `approvals.groups` in the bot config). */
    approval: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional(),
  })
  .strict();

export const TemplateFileSchema = z
  .object({
    /** Manifest file next to template.yaml; also its name in the output folder. */
    path: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.ya?ml$/, "expected a plain file name such as `deployment.yaml`"),
    /** Render this file only for these sizes; omitted: every size. */
    sizes: z.array(z.string()).min(1).optional(),
  })
  .strict();

export const TemplateSchema = z
  .object({
    apiVersion: z.literal("gitops-bot.dev/v1"),
    kind: z.literal("Template"),
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "template names are DNS labels"),
    description: z.string().min(1),
    parameters: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, "parameter names are identifiers"), ParameterSchema).default({}),
    sizes: z.record(z.string().regex(/^[a-z0-9-]+$/), SizeSchema),
    files: z.array(z.union([z.string(), TemplateFileSchema]).transform((f) => (typeof f === "string" ? { path: f } : f))).min(1),
    /**
     * A sample value per parameter, as a request would type it: the pull request check renders the
     * template in every size with these and runs the policies on the result. YAML reads `8080` as a
     * number; it is the same value a request types as text, so scalars are kept as text.
     */
    examples: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  })
  .strict();

export type Parameter = z.infer<typeof ParameterSchema>;
export type TemplateSpec = z.infer<typeof TemplateSchema>;
