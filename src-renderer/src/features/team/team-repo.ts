// Team changes against the people collection. Each one re-reads the current people before it
// validates, so a check never runs against a stale list (another window may have changed it).
import { parseStartDate } from '../../../../src-shared/engine/cadence-health';
import type { RxCollection } from 'rxdb';
import type { PersonDoc } from '../../db/schemas';
import { validateAliases, validatePerson, type PersonErrors, type PersonInput } from './person-validation';

export type People = RxCollection<PersonDoc>;

export type TeamResult<T> = { ok: true; value: T } | { ok: false; errors: PersonErrors };

export interface TeamDeps {
  now?: () => number;
  newId?: () => string;
}

async function everyone(people: People): Promise<PersonDoc[]> {
  return (await people.find().exec()).map((d) => d.toMutableJSON());
}

export async function addPerson(
  people: People,
  input: PersonInput,
  deps: TeamDeps = {},
): Promise<TeamResult<PersonDoc>> {
  const checked = validatePerson(input, await everyone(people));
  if (!checked.ok) return checked;
  const now = (deps.now ?? Date.now)();
  const doc: PersonDoc = {
    id: (deps.newId ?? (() => crypto.randomUUID()))(),
    ...checked.value,
    managerEmail: '',
    startDate: '',
    createdAt: now,
    updatedAt: now,
  };
  await people.insert(doc);
  return { ok: true, value: doc };
}

export async function updateAliases(
  people: People,
  id: string,
  aliasesText: string,
  deps: TeamDeps = {},
): Promise<TeamResult<PersonDoc>> {
  const doc = await people.findOne(id).exec();
  if (!doc) return { ok: false, errors: { aliases: 'This person was removed in the meantime.' } };
  const checked = validateAliases(doc.toMutableJSON(), aliasesText, await everyone(people));
  if (!checked.ok) return checked;
  const updated = await doc.incrementalPatch({ aliases: checked.value, updatedAt: (deps.now ?? Date.now)() });
  return { ok: true, value: updated.toMutableJSON() };
}

/**
 * Sets (or clears, with '') a person's start date, which drives the tenure cadence rules
 * (docs/architecture.md §5 "Cadence"). Only a real calendar date, not in the future, is taken.
 */
export async function updateStartDate(
  people: People,
  id: string,
  date: string,
  deps: TeamDeps = {},
): Promise<TeamResult<PersonDoc>> {
  const value = date.trim();
  const now = (deps.now ?? Date.now)();
  if (value !== '') {
    const ms = parseStartDate(value);
    if (ms === undefined) return { ok: false, errors: { startDate: 'Enter a date as YYYY-MM-DD.' } };
    if (ms > now) return { ok: false, errors: { startDate: 'A start date cannot be in the future.' } };
  }
  const doc = await people.findOne(id).exec();
  if (!doc) return { ok: false, errors: { startDate: 'This person was removed in the meantime.' } };
  const updated = await doc.incrementalPatch({ startDate: value, updatedAt: now });
  return { ok: true, value: updated.toMutableJSON() };
}

/**
 * Fills the start date of people on the team who have none from the directory's hire dates
 * (Microsoft Graph `employeeHireDate`), matched on any of their addresses. A date the user
 * entered is never replaced. Returns the ids it filled.
 */
export async function fillStartDatesFromDirectory(
  people: People,
  directory: readonly { email: string; hireDate?: number | undefined }[],
  deps: TeamDeps = {},
): Promise<string[]> {
  const hired = new Map<string, string>();
  for (const d of directory) {
    if (typeof d.hireDate === 'number' && Number.isFinite(d.hireDate))
      hired.set(d.email.toLowerCase(), new Date(d.hireDate).toISOString().slice(0, 10));
  }
  if (hired.size === 0) return [];
  const filled: string[] = [];
  for (const doc of await people.find().exec()) {
    if (doc.startDate) continue;
    const date = [doc.email, ...doc.aliases].map((e) => hired.get(e)).find(Boolean);
    if (!date || parseStartDate(date) === undefined) continue;
    await doc.incrementalPatch({ startDate: date, updatedAt: (deps.now ?? Date.now)() });
    filled.push(doc.id);
  }
  return filled;
}

/** Removes a person and returns the removed document: what an Undo needs to restore. */
export async function deletePerson(people: People, id: string): Promise<PersonDoc | null> {
  const doc = await people.findOne(id).exec();
  if (!doc) return null;
  const snapshot = doc.toMutableJSON();
  await doc.remove();
  return snapshot;
}

/**
 * Puts a deleted person back exactly as they were (same id, so anything that refers to them
 * still does) — unless one of their addresses was given to someone else since.
 */
export async function restorePerson(people: People, snapshot: PersonDoc): Promise<TeamResult<PersonDoc>> {
  const checked = validatePerson(
    {
      name: snapshot.name,
      email: snapshot.email,
      aliases: snapshot.aliases.join(', '),
      directReport: snapshot.directReport,
    },
    await everyone(people),
    snapshot.id,
  );
  if (!checked.ok) return checked;
  await people.upsert(snapshot);
  return { ok: true, value: snapshot };
}
