import type { Catalog } from "../core/catalog/load-catalog.js";
import type { DeliveryMemory } from "../workflows/redeliver-failed.js";
import type { AutomaticRetry } from "../core/report/status-comment.js";
import type { BlobHasher, DeliveryClaims, Telemetry } from "../ports.js";
import type { BlobCache } from "../adapters/github/blob-cache.js";
import type { CheckCaches } from "../workflows/check-caches.js";

/** What every handler shares for the life of the process. */
export interface AppDeps {
  /** The built-in catalog, read from templates/ once. */
  catalog: () => Promise<Catalog>;
  /** Blob texts by SHA across webhooks (catalog files of the GitOps repository rarely change). */
  blobCache: BlobCache;
  hashBlob: BlobHasher;
  /** Whether failed deliveries are redelivered by the App, and how often (REDELIVERY_INTERVAL). */
  retry: AutomaticRetry;
  /** Metrics: handlers report their results here (NO_TELEMETRY counts nothing). */
  telemetry: Telemetry;
  /** Which replica handles a delivery (SOLE_REPLICA without Redis). */
  claims: DeliveryClaims;
  /** Deliveries whose handling failed here, for the redelivery runs. */
  deliveries: DeliveryMemory;
  /** Loaded policies and parsed manifests kept across policy checks (MANIFEST_CACHE_MB). */
  checkCaches: CheckCaches;
  /** The App's own login (`slug[bot]`, `GET /app` once per process); set by registerHandlers. */
  appLogin?: () => Promise<string | null>;
}
