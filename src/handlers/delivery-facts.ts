/**
 * A failed handling's facts (delivery id, event, repository, number) ride on its error, so that
 * the lines Probot and @octokit/webhooks log about the failure, outside the handler, carry them
 * too: the App's logger reads them (src/runtime/create-logger.ts). A registered symbol, so the
 * logger needs no import of the handlers.
 */
export const DELIVERY_FACTS: unique symbol = Symbol.for("gitops-bot.delivery-facts") as typeof DELIVERY_FACTS;

export type DeliveryFacts = Record<string, string | number>;

/** Attaches `facts` to a thrown value that is an object (errors are). */
export function attachDeliveryFacts(error: unknown, facts: DeliveryFacts): void {
  if (typeof error === "object" && error !== null && !(DELIVERY_FACTS in error))
    Object.defineProperty(error, DELIVERY_FACTS, { value: facts, enumerable: false });
}

/** The facts on an error, or on the first error of an AggregateError (how @octokit/webhooks reports). */
export function deliveryFactsOf(value: unknown): DeliveryFacts | null {
  if (typeof value !== "object" || value === null) return null;
  const own = (value as { [DELIVERY_FACTS]?: DeliveryFacts })[DELIVERY_FACTS];
  if (own) return own;
  return value instanceof AggregateError ? deliveryFactsOf(value.errors[0]) : null;
}
