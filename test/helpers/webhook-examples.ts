/**
 * The one loader of @octokit/webhooks-examples: real payloads, cloned so a test may override them.
 * Node's own JSON loader reads the 4 MB file once; importing it as a module would make vite
 * transform it (seconds).
 */
import { createRequire } from "node:module";

const EXAMPLES = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: { action?: string }[] }[];

/** A clone of the example of event `name` with `action`, or its first example when no action is given. */
export function webhookExample<T>(name: string, action?: string): T {
  const group = EXAMPLES.find((e) => e.name === name)?.examples;
  const found = action === undefined ? group?.[0] : group?.find((e) => e.action === action);
  if (!found) throw new Error(`no ${action === undefined ? name : `${name}.${action}`} example in @octokit/webhooks-examples`);
  return structuredClone(found) as T;
}
