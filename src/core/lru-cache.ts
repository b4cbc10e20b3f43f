/**
 * A least-recently-used cache bounded by the total weight of its values (bytes, as the caller
 * estimates them). A value heavier than the whole bound is not kept. Reading an entry makes it the
 * most recent; adding one evicts the least recent until the total fits again.
 */
export class LruCache<V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the least recent first.
  readonly #entries = new Map<string, { value: V; weight: number }>();
  #weight = 0;

  constructor(
    /** Most total weight kept; 0 keeps nothing. */
    readonly maxWeight: number,
    readonly weigh: (value: V) => number,
  ) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    const weight = Math.max(0, this.weigh(value));
    const old = this.#entries.get(key);
    if (old !== undefined) {
      this.#entries.delete(key);
      this.#weight -= old.weight;
    }
    if (weight > this.maxWeight) return;
    for (const [oldest, entry] of this.#entries) {
      if (this.#weight + weight <= this.maxWeight) break;
      this.#entries.delete(oldest);
      this.#weight -= entry.weight;
    }
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** The total weight kept. */
  get weight(): number {
    return this.#weight;
  }
}
