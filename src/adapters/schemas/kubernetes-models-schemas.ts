import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CompiledValidator, SchemaCatalog } from "../../core/validate/schema/schema-catalog.js";
import type { SchemaLoader } from "../../ports.js";

/**
 * Kubernetes schemas from the kubernetes-models packages: the upstream OpenAPI schemas of the
 * built-in kinds and of the CRDs the templates use (Argo CD, the Prometheus operator), compiled to
 * ajv validators when the packages were built. See docs/design.md for why these packages.
 */
interface SchemaPackage {
  name: string;
  /**
   * The Kubernetes minor version of its schemas, as the package states it (its README's badge; a
   * test holds this to the installed package). Only for the built-in kinds' package.
   */
  kubernetesVersion?: string;
  /** API groups the package holds; undefined: every group not claimed by another package. */
  groups?: readonly string[];
  /** File extension of its ES modules. */
  extension: string;
  /**
   * It also ships its schemas as CommonJS (`.js` next to `.mjs`): those are required. A Pod's
   * validator is some 130 small modules, and a synchronous require of them costs about a fifth less
   * start-up than importing them as ES modules (`gitops-bot check` on one file, `npm run bench`).
   */
  commonJs?: boolean;
}

const PACKAGES: readonly SchemaPackage[] = [
  { name: "@kubernetes-models/argo-cd", groups: ["argoproj.io"], extension: ".mjs", commonJs: true },
  { name: "@kubernetes-models/prometheus-operator", groups: ["monitoring.coreos.com"], extension: ".js" },
  { name: "kubernetes-models", extension: ".mjs", kubernetesVersion: "1.27", commonJs: true },
];

// apiVersion and kind come from the manifests under check: only names that can be a Kubernetes
// group, version and kind ever become part of a module path.
const GROUP = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const SCHEMA_IMPORT = /_schemas\/([A-Za-z0-9]+)\.m?js["']/;

const requireHere = createRequire(import.meta.url);

/** One promise per kind for the whole process: each module is imported once, however many checks run. */
const loaded = new Map<string, Promise<CompiledValidator | undefined>>();
let description: Promise<string> | undefined;

/** The schema loader over the kubernetes-models packages, shared by every check in the process. */
export const kubernetesModelsSchemas: SchemaLoader = {
  async load(kinds) {
    const keys = [...new Set(kinds.map(({ apiVersion, kind }) => `${apiVersion}\0${kind}`))];
    const validators = new Map<string, CompiledValidator>();
    await Promise.all(
      keys.map(async (key) => {
        let promise = loaded.get(key);
        if (!promise) loaded.set(key, (promise = loadValidator(key)));
        const validator = await promise;
        if (validator) validators.set(key, validator);
      }),
    );
    const catalog: SchemaCatalog = {
      description: await (description ??= describePackages()),
      kubernetesVersion: PACKAGES.find((p) => p.kubernetesVersion !== undefined)?.kubernetesVersion ?? null,
      validatorFor: (apiVersion, kind) => validators.get(`${apiVersion}\0${kind}`),
    };
    return catalog;
  },
};

async function loadValidator(key: string): Promise<CompiledValidator | undefined> {
  const [apiVersion = "", kind = ""] = key.split("\0");
  const slash = apiVersion.lastIndexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if ((group !== "" && !GROUP.test(group)) || !VERSION.test(version) || !KIND.test(kind)) return undefined;
  const schemaPackage = PACKAGES.find((p) => p.groups === undefined || p.groups.includes(group));
  if (!schemaPackage || (schemaPackage.groups === undefined && PACKAGES.some((p) => p.groups?.includes(group)))) return undefined;
  const root = await packageRoot(schemaPackage.name);
  const modelFile = path.join(root, ...(group === "" ? [] : [group]), version, `${kind}${schemaPackage.extension}`);
  if (!modelFile.startsWith(`${root}${path.sep}`)) return undefined;
  let model: string;
  try {
    model = await readFile(modelFile, "utf8");
  } catch {
    return undefined;
  }
  // Only top-level kinds carry a static kind; `v1/Container` is a type, not a kind.
  if (!model.includes(`kind="${kind}"`)) return undefined;
  const schema = SCHEMA_IMPORT.exec(model)?.[1];
  if (!schema) return undefined;
  const module = (
    schemaPackage.commonJs
      ? requireHere(path.join(root, "_schemas", `${schema}.js`))
      : await import(pathToFileURL(path.join(root, "_schemas", `${schema}${schemaPackage.extension}`)).href)
  ) as { validate?: CompiledValidator };
  return typeof module.validate === "function" ? module.validate : undefined;
}

async function packageRoot(name: string): Promise<string> {
  return path.dirname(fileURLToPath(import.meta.resolve(name)));
}

async function describePackages(): Promise<string> {
  const versions = await Promise.all(
    PACKAGES.map(async ({ name }) => {
      const manifest = JSON.parse(await readFile(path.join(await packageRoot(name), "package.json"), "utf8")) as { version?: string };
      return `${name} ${manifest.version ?? "?"}`;
    }),
  );
  return versions.join(", ");
}
