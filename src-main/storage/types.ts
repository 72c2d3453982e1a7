// Where main keeps small durable values (settings, sealed tokens, sync state): electron-store in the
// desktop app, a JSON file in web mode and tests. Same behaviour, checked by one contract suite.
export interface KeyValueStore {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}
