// Applying a one-click fix from the diagnostics or the team suggestions: one change to the team or
// the detection preferences, then detection runs again at once. Each returns its undo.
import type { DuetDatabase } from '../../db/database';
import { loadPreferences, normalizeKeywords, savePreferences } from '../settings/preferences-repo';
import { addPerson, deletePerson, updateAliases } from '../team/team-repo';
import type { Fix } from './reasons';

export type FixResult =
  { ok: true; message: string; undo: () => Promise<void> } | { ok: false; message: string };

export interface NewPerson {
  name: string;
  email: string;
  directReport: boolean;
  /** YYYY-MM-DD, '' when unknown. */
  startDate?: string;
  managerEmail?: string;
}

export async function addTeamMember(db: DuetDatabase, p: NewPerson): Promise<FixResult> {
  const added = await addPerson(db.people, {
    name: p.name,
    email: p.email,
    aliases: '',
    directReport: p.directReport,
  });
  if (!added.ok) {
    const why =
      added.errors.email ?? added.errors.name ?? added.errors.aliases ?? 'this person could not be added';
    return { ok: false, message: `Could not add ${p.name}: ${why}` };
  }
  if (p.startDate || p.managerEmail) {
    await db.people
      .findOne(added.value.id)
      .patch({ startDate: p.startDate ?? '', managerEmail: (p.managerEmail ?? '').toLowerCase() });
  }
  return {
    ok: true,
    message: `Added ${added.value.name} to your team.`,
    undo: async () => void (await deletePerson(db.people, added.value.id)),
  };
}

export async function addAlias(db: DuetDatabase, personId: string, address: string): Promise<FixResult> {
  const person = await db.people.findOne(personId).exec();
  if (!person) return { ok: false, message: 'That person was removed in the meantime.' };
  const before = person.aliases.join(', ');
  const result = await updateAliases(db.people, personId, [...person.aliases, address].join(', '));
  if (!result.ok) return { ok: false, message: result.errors.aliases ?? 'The alias could not be added.' };
  return {
    ok: true,
    message: `${address} is now an alias of ${result.value.name}.`,
    undo: async () => void (await updateAliases(db.people, personId, before)),
  };
}

export async function applyFix(db: DuetDatabase, fix: Fix): Promise<FixResult> {
  switch (fix.kind) {
    case 'add-person':
      return addTeamMember(db, { name: fix.name, email: fix.email, directReport: true });
    case 'add-alias':
      return addAlias(db, fix.personId, fix.address);
    default: {
      const before = await loadPreferences(db.preferences);
      const restore = {
        keywords: before.keywords,
        matchMode: before.matchMode,
        minMinutes: before.minMinutes,
        maxMinutes: before.maxMinutes,
      };
      const undo = async () => void (await savePreferences(db.preferences, restore));
      if (fix.kind === 'add-keyword') {
        await savePreferences(db.preferences, {
          keywords: normalizeKeywords([...before.keywords, fix.keyword]),
        });
        return { ok: true, message: `Added the keyword “${fix.keyword}”.`, undo };
      }
      if (fix.kind === 'match-mode') {
        await savePreferences(db.preferences, { matchMode: 'two-person' });
        return { ok: true, message: 'Duet now takes any two-person event with someone on your team.', undo };
      }
      await savePreferences(db.preferences, { minMinutes: fix.minMinutes, maxMinutes: fix.maxMinutes });
      return { ok: true, message: `1:1s may now last ${fix.minMinutes} to ${fix.maxMinutes} minutes.`, undo };
    }
  }
}
