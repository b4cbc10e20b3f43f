/**
 * The value of `record[key]` when `key` is the record's own key, else undefined. Keys typed by
 * people (`environment=constructor`, `size=__proto__`) must never reach what a plain object
 * inherits from Object.prototype, so every lookup of a config or catalog record by a user value
 * goes through here (or through a Map).
 */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
