import type { Severity } from "../problems.js";
import type { FieldPath, SourcePosition } from "../yaml/types.js";

/** A Kubernetes object read from a file, with its position lookup. */
export interface Manifest {
  file: string;
  /** 0-based document index inside the file. */
  documentIndex: number;
  object: Record<string, unknown>;
  positionOf(path: FieldPath): SourcePosition;
  /** Position of the character at `offset` inside the string value at `path` (see `YamlDocument`). */
  positionInValue?(path: FieldPath, offset: number): SourcePosition;
}

/** Status of one rule against one resource, as `kyverno test` scores it. */
export type RuleStatus = "pass" | "fail" | "skip" | "error";

/** One finding shown to a person: a Check Run annotation, a compiler-style line, a SARIF result. */
export interface Finding {
  policy: string;
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  /** Field path as text, for example `spec.template.spec.containers[0].image`. */
  path: string;
  message: string;
  hint?: string;
  /**
   * Set when the violation is excepted (a PolicyException, or a policy owner's approval): what
   * excepts it, for example `PolicyException kyverno/legacy-agent`. Such a finding is a notice:
   * shown, never blocking.
   */
  exception?: string;
}
