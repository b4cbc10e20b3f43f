/** What a developer can ask for. `preview` renders and diffs but writes no pull request. */
export type RequestAction = "provision" | "resize" | "deprovision" | "preview";

/** A validated-shape request: values are still untrusted text until the template validates them. */
export interface ProvisionRequest {
  action: RequestAction;
  /** Template name from the catalog, for example `web-service`. */
  template: string;
  /** T-shirt size, for example `small`. */
  size: string;
  /** Parameter values as typed by the requester (name, team, environment, image, ...). */
  values: Record<string, string>;
  /** GitHub login (or local user name for the CLI) of the person who asked. */
  requester: string;
  /** The request issue, when the request came from GitHub. */
  issue?: { repository: string; number: number; url: string };
}
