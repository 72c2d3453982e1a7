// Names for addresses the team does not know yet. Calendar events carry addresses, not reliable
// names, so a name comes from the provider's directory when it has one, else from the address.
import type { PersonDoc } from '../../db/schemas';

/** "sam.rivera@acme.test" → "Sam Rivera"; "j_doe+cal@x" → "J Doe". */
export function nameFromEmail(email: string): string {
  const local = (email.split('@')[0] ?? email).split('+')[0] ?? '';
  const words = local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return words.join(' ') || email;
}

const firstName = (name: string) => name.trim().split(/\s+/)[0]?.toLowerCase() ?? '';

/**
 * Whose other address `address` probably is, among `people`: the engine's guess when it made one;
 * else a person whose name equals the address's name (as the directory spells it), or whose first
 * name is the address's whole local part ("lee@acme-labs.test" → Lee Park), when exactly one fits.
 */
export function likelyOwner<P extends Pick<PersonDoc, 'name' | 'email'>>(
  address: string,
  people: readonly P[],
  engineGuess?: string,
  knownName?: string,
): P | undefined {
  if (engineGuess) {
    const hit = people.find((p) => p.email === engineGuess.toLowerCase());
    if (hit) return hit;
  }
  const byName = knownName
    ? people.filter((p) => p.name.toLowerCase() === knownName.toLowerCase() && p.email !== address)
    : [];
  if (byName.length === 1) return byName[0];
  const local = (address.split('@')[0] ?? '').split('+')[0]?.toLowerCase() ?? '';
  if (!local || /[._-]/.test(local)) return undefined;
  const byFirst = people.filter((p) => firstName(p.name) === local && p.email !== address);
  return byFirst.length === 1 ? byFirst[0] : undefined;
}

/** Names the calendars gave the addresses (attendee display names), lower-cased address → name. */
export function calendarNames(
  events: readonly { attendees: readonly { email: string; name?: string }[] }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events)
    for (const a of e.attendees) {
      const name = a.name?.trim();
      if (name && !name.includes('@') && !out.has(a.email.toLowerCase()))
        out.set(a.email.toLowerCase(), name);
    }
  return out;
}
