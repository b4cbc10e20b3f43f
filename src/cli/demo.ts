import { execFile } from "node:child_process";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { runCheck } from "./check.js";
import { defineCommand } from "./define-command.js";
import { EXIT_OK } from "./io.js";
import { PACKAGE_ROOT } from "./package-info.js";
import { runLocalRequest } from "./request-commands.js";

const run = promisify(execFile);
const BRANCH = "gitops-bot/web-service/payments-checkout-dev";

/** The bundled example GitOps repository the demo provisions into (a copy, never the original). */
export const EXAMPLE_GITOPS_REPO = join(PACKAGE_ROOT, "examples", "gitops-repo");

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "demo",
    GIT_AUTHOR_EMAIL: "demo@example.com",
    GIT_COMMITTER_NAME: "demo",
    GIT_COMMITTER_EMAIL: "demo@example.com",
  };
  return (await run("git", args, { cwd, env })).stdout;
}

const DEMO_COMMAND = defineCommand({
  usage: "demo",
  about: `Copies the bundled example GitOps repository (examples/gitops-repo) into a temporary git repository
and walks one request through it as the App would: provision, the policy check, the same request
again, a bad request, a merge and a resize. Writes only inside the temporary folder, which it keeps.`,
  options: {},
  maxPositionals: 0,
});

/**
 * `demo`: copies the example GitOps repository into a temporary git repository and walks one
 * request through it the way the App would: provision, the same request again (nothing written),
 * and a resize (a small diff on the same branch).
 */
export const runDemo = DEMO_COMMAND.run(async ({ io }) => {
  const dir = await mkdtemp(join(tmpdir(), "gitops-bot-demo-"));
  await cp(EXAMPLE_GITOPS_REPO, dir, { recursive: true });
  await git(dir, "init", "-q", "-b", "main");
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "Example GitOps repository");
  const say = (title: string) => io.stdout(io.color ? `\n\u001b[1m== ${title}\u001b[0m\n` : `\n== ${title}\n`);
  const request = ["web-service", "small", "name=checkout", "team=payments", "environment=dev", "image=ghcr.io/acme/checkout:1.4.2"];

  const as = ["--repo", dir, "--requester", "octocat"];

  say(`gitops-bot provision ${request.join(" ")} --stat   (in a copy of examples/gitops-repo at ${dir})`);
  const first = await runLocalRequest("provision", [...as, "--stat", ...request], io);
  if (first !== EXIT_OK) return first;

  say("The policy check every pull request gets (here: gitops-bot check on the branch)");
  await git(dir, "checkout", "-q", BRANCH);
  const checked = await runCheck(["."], { ...io, cwd: dir });
  await git(dir, "checkout", "-q", "main");
  io.stdout(`exit code ${checked}\n`);

  say("The same request again: it converges on the same branch and writes nothing");
  await runLocalRequest("provision", [...as, ...request], io);

  say("A bad request: a clear message, exit code 2, nothing written");
  const bad = await runLocalRequest(
    "provision",
    [...as, "web-service", "small", "name=Checkout!", "team=payments", "environment=dev", "image=ghcr.io/acme/checkout:latest"],
    io,
  );
  io.stdout(`exit code ${bad}\n`);

  say("Reviewers approve and merge the pull request (here: a fast-forward merge)");
  await git(dir, "merge", "-q", "--ff-only", BRANCH);
  io.stdout(`main is now at ${(await git(dir, "log", "-1", "--format=%h %s")).trim()}\n`);

  say("/resize medium after the merge: the same branch, one commit, a small diff");
  await runLocalRequest("resize", [...as, ...request.map((w) => (w === "small" ? "medium" : w))], io);

  say("The branch the App would open the resize pull request from");
  io.stdout(await git(dir, "log", "--stat", "--format=%h %s", `main..${BRANCH}`));
  io.stdout(`\nThe demo repository stays at ${dir} for you to inspect (git -C ${dir} log --all --stat).\n`);
  return EXIT_OK;
});
