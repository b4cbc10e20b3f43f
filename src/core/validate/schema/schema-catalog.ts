/**
 * What the schema check needs from a schema package: a compiled validator per kind. The adapter
 * (src/adapters/schemas) loads them; core only calls them, so it stays pure and testable.
 */

/** One error of a compiled (ajv) validator, as ajv reports it. */
export interface SchemaError {
  /** JSON Pointer to the offending value, `/spec/replicas`. */
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** An ajv-compiled validator: true when the value is valid; the errors are left on `errors`. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}

export interface SchemaCatalog {
  /** Where the schemas come from, for messages and docs ("kubernetes-models 4.5.1 …"). */
  description: string;
  /** The Kubernetes minor version of the built-in kinds' schemas (`1.33`): the set chosen for the check. */
  kubernetesVersion: string;
  /** The validator of a kind, or undefined when no schema is known for it (a CRD without one). */
  validatorFor(apiVersion: string, kind: string): CompiledValidator | undefined;
}
