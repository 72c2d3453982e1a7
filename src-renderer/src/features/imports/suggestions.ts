// Team suggestions (docs/architecture.md §3): who the user probably has 1:1s with but has not put
// on the team — the provider's directory (Microsoft: direct reports first, then the manager) and
// the other person of every two-person event whose address matches nobody. An address that is
// probably someone's other address is offered as an alias instead of as a new person.
import type { DirectoryPerson } from '../../../../src-shared/bridge/contract';
import type { PersonDoc } from '../../db/schemas';
import type { DiagnosedEvent } from './ingest-port';
import { calendarNames, likelyOwner, nameFromEmail } from './names';
import { twoPersonWithSelf } from './reasons';

export interface PersonSuggestion {
  kind: 'person';
  email: string;
  name: string;
  relation: 'report' | 'manager' | 'calendar';
  /** Two-person events with this address in the scan window. */
  events: number;
  startDate: string;
}

export interface AliasSuggestion {
  kind: 'alias';
  address: string;
  personId: string;
  personName: string;
  events: number;
}

export interface TeamSuggestions {
  people: PersonSuggestion[];
  aliases: AliasSuggestion[];
}

type Person = Pick<PersonDoc, 'id' | 'name' | 'email' | 'aliases'>;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function teamSuggestions(
  diagnosed: readonly DiagnosedEvent[],
  directory: readonly DirectoryPerson[],
  people: readonly Person[],
): TeamSuggestions {
  const known = new Set<string>();
  for (const p of people) {
    known.add(p.email);
    for (const a of p.aliases) known.add(a);
  }
  const selves = new Set(diagnosed.map((d) => d.self));

  // How many two-person events each unknown counterpart has: the strongest hint of a 1:1.
  const counts = new Map<string, number>();
  for (const d of diagnosed) {
    if (
      d.reasons.includes('OUTSIDE_WINDOW') ||
      !twoPersonWithSelf(d) ||
      !d.reasons.includes('UNKNOWN_PERSON')
    )
      continue;
    for (const address of d.unmatched ?? []) counts.set(address, (counts.get(address) ?? 0) + 1);
  }

  const suggested: PersonSuggestion[] = [];
  const seen = new Set<string>();
  const order = { report: 0, manager: 1 } as const;
  for (const entry of [...directory].sort((a, b) => order[a.relation] - order[b.relation])) {
    const email = entry.email.toLowerCase();
    if (known.has(email) || selves.has(email) || seen.has(email)) continue;
    seen.add(email);
    suggested.push({
      kind: 'person',
      email,
      name: entry.name.trim() || nameFromEmail(email),
      relation: entry.relation,
      events: counts.get(email) ?? 0,
      startDate: entry.hireDate ? isoDate(entry.hireDate) : '',
    });
  }

  const fromEvents = calendarNames(diagnosed.map((d) => d.event));
  const aliases: AliasSuggestion[] = [];
  const fromCalendar: PersonSuggestion[] = [];
  const guesses = new Map<string, string>();
  for (const d of diagnosed) for (const s of d.suggestions ?? []) guesses.set(s.address, s.person);
  for (const [address, events] of counts) {
    if (seen.has(address) || known.has(address) || selves.has(address)) continue;
    const owner = likelyOwner(address, people, guesses.get(address), fromEvents.get(address));
    if (owner) {
      aliases.push({ kind: 'alias', address, personId: owner.id, personName: owner.name, events });
      continue;
    }
    // Probably the other address of someone suggested above: offered as an alias once they are added.
    const pending = suggested.map((s) => ({ name: s.name, email: s.email }));
    if (likelyOwner(address, pending, guesses.get(address), fromEvents.get(address))) continue;
    fromCalendar.push({
      kind: 'person',
      email: address,
      name: fromEvents.get(address) ?? nameFromEmail(address),
      relation: 'calendar',
      events,
      startDate: '',
    });
  }
  fromCalendar.sort((a, b) => b.events - a.events || a.name.localeCompare(b.name));
  aliases.sort((a, b) => a.personName.localeCompare(b.personName) || a.address.localeCompare(b.address));
  return { people: [...suggested, ...fromCalendar], aliases };
}
