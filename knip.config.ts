// knip: unused files, exports and dependencies (part of `npm run lint`).
import type { KnipConfig } from "knip";

const config: KnipConfig = {
  workspaces: {
    ".": {
      // The App (main, app), the CLI, the container's health check, and the benchmarks (`npm run bench`
      // runs their build output, which knip cannot trace back to src/).
      entry: ["src/main.ts", "src/app.ts", "src/cli.ts", "src/healthcheck.ts", "src/bench/*.ts"],
      project: ["src/**/*.ts", "test/**/*.ts"],
    },
    "tools/lint": {},
  },
  // Test helpers load the webhook examples with createRequire, and GitHub's GraphQL schema file by
  // its path (only when a test sends GraphQL: building it costs ~0.5 s); the schema adapter resolves
  // the older and newer Kubernetes schema sets (npm aliases) by a name in a table. knip follows none.
  ignoreDependencies: ["@octokit/webhooks-examples", "@octokit/graphql-schema", "kubernetes-models-1.27", "kubernetes-models-1.34"],
  // System tools that tests use when present (never installed by npm).
  ignoreBinaries: ["mkfifo", "kubectl"],
  // An export that its own file uses is part of that file's interface, not dead code.
  ignoreExportsUsedInFile: true,
};

export default config;
