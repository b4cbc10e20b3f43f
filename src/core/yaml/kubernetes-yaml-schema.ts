import { CORE_SCHEMA, mergeTag } from "./js-yaml.js";

/**
 * The schema every Kubernetes YAML file is read with: YAML 1.2 core plus merge keys (`<<: *base`).
 *
 * Kubernetes tools (sigs.k8s.io/yaml over go-yaml) read YAML 1.1, so a few scalars differ, see
 * docs/yaml-limits.md: `yes`/`no`/`on`/`off` stay strings here, `0644` is the decimal 644 (YAML 1.1
 * reads octal 420), `1_000` and dates stay strings. Merge keys are enabled because go-yaml honours them and
 * a policy must see the merged mapping, as the API server would.
 */
export const KUBERNETES_YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag);
