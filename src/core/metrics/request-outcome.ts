/** How a request from an issue ended, as the App counts it. */
export type RequestOutcome = "provisioned" | "up_to_date" | "rejected" | "refused" | "preview" | "help" | "failed";

/**
 * The counted outcome of a request whose status comment shows `view`; null for views that are not
 * answers to a request (merged, closed) and so are not counted as requests. `published` (a pull
 * request written: provision, resize or deprovision) counts as `provisioned`.
 */
export function requestOutcome(view: string): RequestOutcome | null {
  switch (view) {
    case "published":
      return "provisioned";
    case "up-to-date":
      return "up_to_date";
    case "rejected":
    case "refused":
    case "preview":
    case "help":
      return view;
    default:
      return null;
  }
}
