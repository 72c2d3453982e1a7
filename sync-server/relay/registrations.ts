// Push channels the apps registered, so the public webhooks can tell a genuine provider
// notification from a forged one and know whose app to tell. Secrets (Google channel token,
// Graph clientState) are kept only as SHA-256 digests and compared in constant time.
//   Google:    registered by channel id BEFORE the app calls events.watch (the app picks both
//              the id and the token), so the first notification already finds it.
//   Microsoft: registered by clientState BEFORE the app creates the subscription (Graph picks
//              the subscription id, and may notify before the app could register that id).
// Records: hook/<provider>/<id> → Registration (JSON), all loaded into memory at start.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SyncStorage } from '../storage/types';

export type Provider = 'google' | 'microsoft';

export interface Registration {
  readonly provider: Provider;
  /** Google: the channel id. Microsoft: derived from the clientState digest. */
  readonly id: string;
  readonly owner: string;
  readonly account: string;
  readonly secretDigest: string;
  readonly subscriptionId?: string;
  readonly calendarId?: string;
  /** ms since epoch; the registration is dropped an hour after it. */
  readonly expiresAt?: number;
}

export class RegistrationConflictError extends Error {}
export class RegistrationLimitError extends Error {}

export function digest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, expectedDigest: string): boolean {
  return timingSafeEqual(Buffer.from(digest(secret), 'hex'), Buffer.from(expectedDigest, 'hex'));
}

export function microsoftRegistrationId(clientState: string): string {
  return digest(`duet-graph\0${clientState}`).slice(0, 32);
}

const EXPIRY_GRACE_MS = 60 * 60_000;
const recordKey = (provider: Provider, id: string) => `hook/${provider}/${id}`;

export class RegistrationStore {
  private readonly byKey = new Map<string, Registration>();

  private constructor(
    private readonly storage: SyncStorage,
    private readonly maxPerUser: number,
    private readonly shared: boolean,
  ) {}

  /**
   * `shared`: other processes write the same storage (PostgreSQL + Redis), so memory is only a
   * copy: every lookup reads the record, and listings reload them all.
   */
  static async open(
    storage: SyncStorage,
    maxPerUser: number,
    options: { shared?: boolean } = {},
  ): Promise<RegistrationStore> {
    const store = new RegistrationStore(storage, maxPerUser, options.shared === true);
    await store.reloadAll();
    return store;
  }

  private async reloadAll(): Promise<void> {
    this.byKey.clear();
    for (const { value } of await this.storage.listRecords('hook/')) {
      const reg = JSON.parse(value) as Registration;
      this.byKey.set(recordKey(reg.provider, reg.id), reg);
    }
  }

  private async reload(key: string): Promise<void> {
    const raw = await this.storage.getRecord(key);
    if (raw === undefined) this.byKey.delete(key);
    else this.byKey.set(key, JSON.parse(raw) as Registration);
  }

  async get(provider: Provider, id: string): Promise<Registration | undefined> {
    if (this.shared) await this.reload(recordKey(provider, id));
    const reg = this.byKey.get(recordKey(provider, id));
    if (reg?.expiresAt !== undefined && reg.expiresAt + EXPIRY_GRACE_MS < Date.now()) return undefined;
    return reg;
  }

  async listFor(owner: string): Promise<Registration[]> {
    if (this.shared) await this.reloadAll();
    return this.ownedBy(owner);
  }

  private ownedBy(owner: string): Registration[] {
    return [...this.byKey.values()].filter((r) => r.owner === owner);
  }

  async put(reg: Registration): Promise<void> {
    const key = recordKey(reg.provider, reg.id);
    if (this.shared) await this.reloadAll();
    const existing = this.byKey.get(key);
    // A channel id belongs to whoever registered it first: nobody can redirect another
    // user's notifications by re-registering their channel.
    if (existing && existing.owner !== reg.owner) {
      throw new RegistrationConflictError('this channel is registered by another user');
    }
    if (!existing && this.ownedBy(reg.owner).length >= this.maxPerUser) {
      throw new RegistrationLimitError(`registration limit reached (${this.maxPerUser} per user)`);
    }
    // Claimed in memory before the write, so a concurrent registration of the same id by
    // someone else sees the owner and is refused; undone if the write fails.
    this.byKey.set(key, reg);
    try {
      await this.storage.writeRecords([{ key, value: JSON.stringify(reg) }]);
    } catch (err) {
      if (this.byKey.get(key) === reg) {
        if (existing) this.byKey.set(key, existing);
        else this.byKey.delete(key);
      }
      throw err;
    }
  }

  /** Removes by registration id or (Microsoft) subscription id, if `owner` owns it. */
  async remove(
    owner: string,
    provider: Provider,
    id: string,
  ): Promise<'removed' | 'not-found' | 'forbidden'> {
    if (this.shared) await this.reloadAll();
    const reg =
      this.byKey.get(recordKey(provider, id)) ??
      [...this.byKey.values()].find((r) => r.provider === provider && r.subscriptionId === id);
    if (!reg) return 'not-found';
    if (reg.owner !== owner) return 'forbidden';
    await this.storage.writeRecords([{ key: recordKey(reg.provider, reg.id), value: null }]);
    this.byKey.delete(recordKey(reg.provider, reg.id));
    return 'removed';
  }

  async purgeExpired(now = Date.now()): Promise<void> {
    if (this.shared) await this.reloadAll();
    const expired = [...this.byKey.entries()].filter(
      ([, r]) => r.expiresAt !== undefined && r.expiresAt + EXPIRY_GRACE_MS < now,
    );
    if (expired.length === 0) return;
    await this.storage.writeRecords(expired.map(([key]) => ({ key, value: null })));
    for (const [key] of expired) this.byKey.delete(key);
  }
}
