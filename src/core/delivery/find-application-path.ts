import { APPLICATION_NAME } from "./delivery-state.js";

/**
 * Where the bot's layout keeps the Argo CD Application named `name`: the default
 * `gitops.applicationPath`, `argocd/{environment}/{team}-{name}.yaml`, holds the Application
 * `{team}-{name}-{environment}`, so the environment is the name's last `-` part and the file is
 * the rest. Null for a name this layout cannot hold (no `-`): such a status costs no request.
 *
 * One path, decided from the name alone, so that a status finds its Application with one read at
 * its commit. Layouts it does not cover (another `applicationPath`, an environment name with a
 * `-`) are caught at the merge, which reads the Application where the configuration put it, sees
 * that it is elsewhere, closes the issue and says why (deliveryAfterClose).
 */
export function findApplicationPath(name: string): string | null {
  if (!APPLICATION_NAME.test(name)) return null;
  const cut = name.lastIndexOf("-");
  if (cut <= 0 || cut === name.length - 1) return null;
  // Both parts start and end with a letter or digit (APPLICATION_NAME), so neither is `.` or `..`.
  return `argocd/${name.slice(cut + 1)}/${name.slice(0, cut)}.yaml`;
}
