import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CompiledValidator, SchemaCatalog } from "../../core/validate/schema/schema-catalog.js";
import type { SchemaLoader } from "../../ports.js";

/**
 * Kubernetes schemas from the kubernetes-models packages: the upstream OpenAPI schemas of the
 * built-in kinds, one set per Kubernetes minor version (releases of kubernetes-models installed
 * side by side under npm aliases), and of the CRDs the templates use (Argo CD, the Prometheus
 * operator), compiled to ajv validators when the packages were built. See the README's design
 * section for why these packages.
 */
interface SchemaPackage {
  /** The name it is installed under (an npm alias for the older and newer sets). */
  name: string;
  /** API groups the package holds; undefined: every group not claimed by another package. */
  groups?: readonly string[];
  /** File extension of its ES modules. */
  extension: string;
  /**
   * How its schema modules are loaded. `commonjs`: it also ships them as CommonJS (`.js` next to
   * `.mjs`), and those are required: a Pod's validator is some 130 small modules, and a synchronous
   * require of them costs about a fifth less start-up than importing them as ES modules.
   * `require-esm`: ES modules only, required where Node can (20.19 and later), which costs about
   * half of what importing them does; imported elsewhere. `import`: imported.
   */
  loading: "commonjs" | "require-esm" | "import";
}

/**
 * The built-in kinds' schemas per Kubernetes minor version, oldest first. The version is not what
 * the package's README badge says (every release since 4.3 says 1.27.1): it is read off the schemas
 * themselves, each set holding a field its minor added and none its successor's, which a test
 * checks against the installed packages (test/adapters/schemas).
 */
const KUBERNETES_SETS: readonly { kubernetesVersion: string; package: SchemaPackage }[] = [
  { kubernetesVersion: "1.27", package: { name: "kubernetes-models-1.27", extension: ".mjs", loading: "commonjs" } },
  { kubernetesVersion: "1.33", package: { name: "kubernetes-models", extension: ".mjs", loading: "commonjs" } },
  { kubernetesVersion: "1.34", package: { name: "kubernetes-models-1.34", extension: ".js", loading: "require-esm" } },
];

/** The CRDs' schemas, the same whatever the Kubernetes version. */
const CRD_PACKAGES: readonly SchemaPackage[] = [
  { name: "@kubernetes-models/argo-cd", groups: ["argoproj.io"], extension: ".mjs", loading: "commonjs" },
  { name: "@kubernetes-models/prometheus-operator", groups: ["monitoring.coreos.com"], extension: ".js", loading: "import" },
];

// apiVersion and kind come from the manifests under check: only names that can be a Kubernetes
// group, version and kind ever become part of a module path.
const GROUP = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
const SCHEMA_IMPORT = /_schemas\/([A-Za-z0-9]+)\.m?js["']/;

const requireHere = createRequire(import.meta.url);

/** One promise per package and kind for the whole process: each module is loaded once, however many checks run. */
const loaded = new Map<string, Promise<CompiledValidator | undefined>>();
const descriptions = new Map<string, Promise<string>>();

/**
 * The schema loader over the kubernetes-models packages, shared by every check in the process.
 * Only the set asked for is ever loaded, and of it only the kinds asked for.
 */
export const kubernetesModelsSchemas: SchemaLoader = {
  kubernetesVersions: KUBERNETES_SETS.map((set) => set.kubernetesVersion),
  async load(kinds, kubernetesVersion) {
    const set =
      kubernetesVersion === undefined ? KUBERNETES_SETS.at(-1) : KUBERNETES_SETS.find((s) => s.kubernetesVersion === kubernetesVersion);
    // Callers choose among kubernetesVersions (chooseSchemaSet): another version is a fault, never a silent other set.
    if (!set) throw new Error(`no Kubernetes schema set is shipped for ${String(kubernetesVersion)}`);
    const packages = [set.package, ...CRD_PACKAGES];
    const keys = [...new Set(kinds.map(({ apiVersion, kind }) => `${apiVersion}\0${kind}`))];
    // By apiVersion, then kind: validatorFor runs once per manifest, and a joined key would be a new string each time.
    const validators = new Map<string, Map<string, CompiledValidator>>();
    await Promise.all(
      keys.map(async (key) => {
        const [apiVersion = "", kind = ""] = key.split("\0");
        const schemaPackage = packageFor({ packages, apiVersion });
        if (!schemaPackage) return;
        const cacheKey = `${schemaPackage.name}\0${key}`;
        let promise = loaded.get(cacheKey);
        if (!promise) loaded.set(cacheKey, (promise = loadValidator({ schemaPackage, apiVersion, kind })));
        const validator = await promise;
        if (!validator) return;
        const kindsOf = validators.get(apiVersion) ?? new Map<string, CompiledValidator>();
        validators.set(apiVersion, kindsOf.set(kind, validator));
      }),
    );
    let description = descriptions.get(set.kubernetesVersion);
    if (!description) descriptions.set(set.kubernetesVersion, (description = describePackages(packages)));
    const catalog: SchemaCatalog = {
      description: await description,
      kubernetesVersion: set.kubernetesVersion,
      validatorFor: (apiVersion, kind) => validators.get(apiVersion)?.get(kind),
    };
    return catalog;
  },
};

/** The package holding an apiVersion's schemas, or undefined for a name that cannot be one. */
function packageFor(params: { packages: readonly SchemaPackage[]; apiVersion: string }): SchemaPackage | undefined {
  const { apiVersion } = params;
  const slash = apiVersion.lastIndexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  if ((group !== "" && !GROUP.test(group)) || !VERSION.test(version)) return undefined;
  return params.packages.find((p) => p.groups?.includes(group)) ?? params.packages.find((p) => p.groups === undefined);
}

async function loadValidator(params: {
  schemaPackage: SchemaPackage;
  apiVersion: string;
  kind: string;
}): Promise<CompiledValidator | undefined> {
  const { schemaPackage, apiVersion, kind } = params;
  if (!KIND.test(kind)) return undefined;
  const slash = apiVersion.lastIndexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const root = packageRoot(schemaPackage.name);
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
  const module = await loadModule({ schemaPackage, file: path.join(root, "_schemas", schema) });
  return typeof module.validate === "function" ? module.validate : undefined;
}

async function loadModule(params: { schemaPackage: SchemaPackage; file: string }): Promise<{ validate?: CompiledValidator }> {
  const { schemaPackage, file } = params;
  if (schemaPackage.loading === "commonjs") return requireHere(`${file}.js`) as { validate?: CompiledValidator };
  const esm = `${file}${schemaPackage.extension}`;
  if (schemaPackage.loading === "require-esm" && canRequireEsm()) {
    try {
      return requireHere(esm) as { validate?: CompiledValidator };
    } catch {
      // A loader hook (tsx, in development) can resolve the modules' imports as CommonJS; import
      // them then, which reports a real fault again.
    }
  }
  return (await import(pathToFileURL(esm).href)) as { validate?: CompiledValidator };
}

/** Whether `require` loads ES modules (Node 20.19, 22.12 and later). */
function canRequireEsm(): boolean {
  return (process.features as { require_module?: boolean }).require_module === true;
}

/** The folder of an installed package, whose `.` export sits at its root in every kubernetes-models package. */
function packageRoot(name: string): string {
  return path.dirname(fileURLToPath(import.meta.resolve(name)));
}

async function describePackages(packages: readonly SchemaPackage[]): Promise<string> {
  const versions = await Promise.all(
    packages.map(async ({ name }) => {
      const manifest = JSON.parse(await readFile(path.join(packageRoot(name), "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      return `${manifest.name ?? name} ${manifest.version ?? "?"}`;
    }),
  );
  return versions.join(", ");
}
