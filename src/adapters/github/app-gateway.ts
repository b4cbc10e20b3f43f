import type { DeliveryAttempt } from "../../core/redelivery/plan-redeliveries.js";
import type { DeliveryLog } from "../../ports.js";
import type { GitHubOctokit } from "./github-repository.js";

/**
 * The App's own endpoints, called with the App's JWT (`probot.auth()` without an installation):
 * its webhook deliveries. https://docs.github.com/rest/apps/webhooks
 */
export class AppGateway implements DeliveryLog {
  readonly #octokit: GitHubOctokit;

  constructor(octokit: GitHubOctokit) {
    this.#octokit = octokit;
  }

  /**
   * Delivery attempts from `since` (epoch ms) on, newest first, following GitHub's cursor pages
   * only as far back as `since`, and at most `maxPages` pages. `complete` is false when the
   * page limit stopped the listing before `since`.
   */
  async listDeliveries(params: {
    since: number;
    maxPages: number;
  }): Promise<{ attempts: DeliveryAttempt[]; pages: number; complete: boolean }> {
    const attempts: DeliveryAttempt[] = [];
    let pages = 0;
    let complete = true;
    await this.#octokit.paginate(this.#octokit.rest.apps.listWebhookDeliveries, { per_page: 100 }, (response, done) => {
      pages++;
      let reachedSince = response.data.length < 100;
      for (const item of response.data) {
        const deliveredAt = Date.parse(item.delivered_at);
        if (deliveredAt < params.since) reachedSince = true;
        else
          attempts.push({
            id: item.id,
            guid: item.guid,
            deliveredAt,
            statusCode: item.status_code,
            event: item.action ? `${item.event}.${item.action}` : item.event,
          });
      }
      if (reachedSince) done();
      else if (pages >= params.maxPages) {
        complete = false;
        done();
      }
      return [];
    });
    return { attempts, pages, complete };
  }

  /** Asks GitHub to deliver an event again (202: it will, at once). */
  async redeliver(deliveryId: number): Promise<void> {
    await this.#octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: deliveryId });
  }
}
