// Who an address belongs to. Addresses compare case-insensitively after alias resolution; an
// address that matches nobody gets a suggestion, because alias mismatch is the commonest reason
// a 1:1 goes missing (docs/architecture.md §3.4).
import type { Person, Suggestion } from './model';
import { isSystemAddress } from './system-addresses';

/** What an address (as written in an event) stands for. */
export interface AddressInfo {
  /** Lower-cased address. */
  lower: string;
  /** The owning person's primary email, or `lower` for a stranger. */
  id: string;
  known: boolean;
  /** A room, resource or calendar address: never a participant. */
  system: boolean;
}

export interface Directory {
  /** The calendar owner's identity: their primary email when they are in `people`. */
  readonly selfId: string;
  /** The primary email (lower case) owning `lowerAddress`, or undefined for a stranger. */
  resolve(lowerAddress: string): string | undefined;
  /** `address` as written, classified once per scan (the same addresses recur in every event). */
  classify(address: string): AddressInfo;
  /** The person (or self) an unmatched address most likely belongs to, if one stands out. */
  suggest(lowerAddress: string): string | undefined;
}

/** Local part without `+tag` and dots: the part that survives plus-addressing and dot variants. */
function canonicalLocal(lower: string): { local: string; domain: string } {
  const at = lower.lastIndexOf('@');
  const rawLocal = at < 0 ? lower : lower.slice(0, at);
  const domain = at < 0 ? '' : lower.slice(at + 1);
  const plus = rawLocal.indexOf('+');
  const local = (plus < 0 ? rawLocal : rawLocal.slice(0, plus)).replace(/\./g, '');
  return { local, domain };
}

interface Known {
  domain: string;
  person: string;
}

export function buildDirectory(people: readonly Person[], self: string): Directory {
  // Sorting first makes every tie (an alias claimed by two people) resolve the same way whatever
  // the input order: a primary email beats an alias, then the smaller primary wins.
  const sorted = [...people].sort((a, b) => cmp(a.email.toLowerCase(), b.email.toLowerCase()));
  const owner = new Map<string, string>();
  for (const p of sorted) {
    const primary = p.email.toLowerCase();
    owner.set(primary, primary);
  }
  for (const p of sorted) {
    const primary = p.email.toLowerCase();
    if (owner.get(primary) !== primary) continue;
    for (const alias of p.aliases ?? []) {
      const a = alias.toLowerCase();
      if (!owner.has(a)) owner.set(a, primary);
    }
  }
  const selfLower = self.toLowerCase();
  const selfId = owner.get(selfLower) ?? selfLower;
  if (!owner.has(selfLower)) owner.set(selfLower, selfId);

  let byLocal: Map<string, Known[]> | undefined;
  const index = (): Map<string, Known[]> => {
    if (byLocal) return byLocal;
    byLocal = new Map();
    for (const [address, person] of owner) {
      const { local, domain } = canonicalLocal(address);
      let list = byLocal.get(local);
      if (!list) byLocal.set(local, (list = []));
      list.push({ domain, person });
    }
    return byLocal;
  };

  const classified = new Map<string, AddressInfo>();

  return {
    selfId,
    resolve: (a) => owner.get(a),
    classify(address) {
      let info = classified.get(address);
      if (!info) {
        const lower = address.toLowerCase();
        const known = owner.get(lower);
        info = { lower, id: known ?? lower, known: known !== undefined, system: isSystemAddress(lower) };
        classified.set(address, info);
      }
      return info;
    },
    suggest(address) {
      const { local, domain } = canonicalLocal(address);
      if (local === '') return undefined;
      const candidates = index().get(local);
      if (!candidates) return undefined;
      // Same domain (a dot, plus or case variant) is a stronger hint than another domain.
      const sameDomain = new Set(candidates.filter((c) => c.domain === domain).map((c) => c.person));
      const pool = sameDomain.size > 0 ? sameDomain : new Set(candidates.map((c) => c.person));
      // Two different people fit equally well: suggesting either would be a guess.
      return pool.size === 1 ? [...pool][0] : undefined;
    },
  };
}

export function suggestionsFor(dir: Directory, unmatched: readonly string[]): Suggestion[] {
  const out: Suggestion[] = [];
  for (const address of unmatched) {
    const person = dir.suggest(address);
    if (person !== undefined) out.push({ address, person });
  }
  return out;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
