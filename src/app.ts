import type { ApplicationFunction } from "probot";
import { gitBlobSha } from "./adapters/git-blob-sha.js";
import { BlobCache } from "./adapters/github/gateway.js";
import { readBuiltinCatalog } from "./adapters/local/read-builtin-catalog.js";
import type { Catalog } from "./core/catalog/load-catalog.js";
import type { AppDeps } from "./handlers/app-deps.js";
import { onIssueComment } from "./handlers/issue-comment.js";
import { onIssue } from "./handlers/issues.js";
import { onPullRequestClosed } from "./handlers/pull-request.js";

/**
 * The GitHub App: requests from issue forms and slash commands become pull requests in the
 * GitOps repository. Subscribes to exactly the events app.yml asks for.
 */
const app: ApplicationFunction = (probot) => {
  let catalog: Promise<Catalog> | null = null;
  const deps: AppDeps = {
    catalog: () =>
      (catalog ??= readBuiltinCatalog().then(({ catalog: loaded, problems }) => {
        // A broken built-in template is a packaging bug: log it, serve the rest.
        if (problems.length > 0) probot.log.error({ problems }, "built-in catalog has problems");
        return loaded;
      })),
    blobCache: new BlobCache(),
    hashBlob: gitBlobSha,
  };
  probot.on("issue_comment.created", onIssueComment(deps));
  probot.on(["issues.opened", "issues.edited", "issues.labeled"], onIssue(deps));
  probot.on("pull_request.closed", onPullRequestClosed(deps));
};

export default app;
