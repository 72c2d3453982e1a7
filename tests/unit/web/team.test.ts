// Team rules: validation of names and addresses, and add / edit aliases / delete / undo against
// a real RxDB collection.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import {
  parseAliases,
  validatePerson,
  type Known,
  type PersonInput,
} from '../../../src-renderer/src/features/team/person-validation';
import {
  addPerson,
  deletePerson,
  restorePerson,
  updateAliases,
} from '../../../src-renderer/src/features/team/team-repo';
import { uniqueDbName } from './support/fake-idb';

const input = (patch: Partial<PersonInput> = {}): PersonInput => ({
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  aliases: '',
  directReport: true,
  ...patch,
});

const grace: Known = {
  id: 'g',
  name: 'Grace Hopper',
  email: 'grace@example.com',
  aliases: ['amazing.grace@navy.example'],
};

describe('validatePerson', () => {
  it('accepts a valid person and normalizes name, email and aliases', () => {
    const r = validatePerson(
      input({ name: '  Ada   Lovelace ', email: ' Ada@Example.COM ', aliases: 'A@X.org, b@y.org;a@x.org\n' }),
      [],
    );
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        aliases: ['a@x.org', 'b@y.org'],
        directReport: true,
      },
    });
  });

  it.each([
    [{ name: '   ' }, 'name', 'Enter a name.'],
    [{ email: '' }, 'email', 'Enter an email address.'],
    [{ email: 'ada.example.com' }, 'email', 'Enter an email address like name@company.com.'],
    [{ email: 'ada@example' }, 'email', 'Enter an email address like name@company.com.'],
    [{ email: 'a da@example.com' }, 'email', 'Enter an email address like name@company.com.'],
    [{ aliases: 'ok@example.com, nope' }, 'aliases', '“nope” is not an email address.'],
    [{ aliases: 'x@, y' }, 'aliases', 'These are not email addresses: “x@”, “y”.'],
    [
      { aliases: 'ADA@example.com' },
      'aliases',
      'ada@example.com is already the primary email; aliases are the other addresses.',
    ],
  ] as const)('rejects %j with a message on %s', (patch, field, message) => {
    const r = validatePerson(input(patch), []);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[field]).toBe(message);
  });

  it('rejects addresses that belong to someone else, case-insensitively, naming them', () => {
    const byPrimary = validatePerson(input({ email: 'GRACE@example.com' }), [grace]);
    expect(byPrimary).toEqual({
      ok: false,
      errors: { email: 'grace@example.com already belongs to Grace Hopper.' },
    });
    const byAlias = validatePerson(input({ email: 'Amazing.Grace@Navy.example' }), [grace]);
    expect(byAlias).toEqual({
      ok: false,
      errors: { email: 'amazing.grace@navy.example already belongs to Grace Hopper.' },
    });
    const aliasVsPrimary = validatePerson(input({ aliases: 'grace@EXAMPLE.com' }), [grace]);
    expect(aliasVsPrimary).toEqual({
      ok: false,
      errors: { aliases: 'grace@example.com already belongs to Grace Hopper.' },
    });
    const aliasVsAlias = validatePerson(input({ aliases: 'amazing.grace@navy.example' }), [grace]);
    expect(aliasVsAlias.ok).toBe(false);
  });

  it('does not compare a person with themselves when editing', () => {
    expect(
      validatePerson(
        input({ email: 'grace@example.com', aliases: 'amazing.grace@navy.example' }),
        [grace],
        'g',
      ).ok,
    ).toBe(true);
  });

  it('reports every field at once', () => {
    const r = validatePerson(input({ name: '', email: 'x', aliases: 'y' }), []);
    expect(r.ok ? [] : Object.keys(r.errors).sort()).toEqual(['aliases', 'email', 'name']);
  });

  it('splits aliases on commas, semicolons and newlines and drops blanks and repeats', () => {
    expect(parseAliases(' a@x.org,,B@x.org ;\n a@X.org ')).toEqual(['a@x.org', 'b@x.org']);
  });
});

describe('team repository', () => {
  let db: DuetDatabase;
  let ids = 0;
  const deps = { now: () => 1_000, newId: () => `p${++ids}` };
  beforeEach(async () => {
    db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('team') });
  });
  afterEach(async () => {
    await db.close();
  });

  it('adds a person and stores normalized addresses', async () => {
    const r = await addPerson(
      db.people,
      input({ email: 'Ada@Example.com', aliases: 'Lovelace@Home.example' }),
      deps,
    );
    expect(r.ok).toBe(true);
    const stored = await db.people.findOne({ selector: { email: 'ada@example.com' } }).exec();
    expect(stored?.toJSON()).toMatchObject({
      name: 'Ada Lovelace',
      aliases: ['lovelace@home.example'],
      directReport: true,
      createdAt: 1_000,
    });
  });

  it('refuses a second person with an address already in use and stores nothing', async () => {
    await addPerson(db.people, input({ aliases: 'ada@home.example' }), deps);
    const dupe = await addPerson(db.people, input({ name: 'Impostor', email: 'ADA@HOME.example' }), deps);
    expect(dupe).toEqual({
      ok: false,
      errors: { email: 'ada@home.example already belongs to Ada Lovelace.' },
    });
    expect(await db.people.count().exec()).toBe(1);
  });

  it('edits aliases with the same rules', async () => {
    const ada = await addPerson(db.people, input(), deps);
    await addPerson(db.people, input({ name: 'Grace Hopper', email: 'grace@example.com' }), deps);
    if (!ada.ok) throw new Error('setup failed');
    expect(await updateAliases(db.people, ada.value.id, 'Grace@example.com', deps)).toEqual({
      ok: false,
      errors: { aliases: 'grace@example.com already belongs to Grace Hopper.' },
    });
    const ok = await updateAliases(db.people, ada.value.id, 'ada@home.example, ada@work.example', {
      now: () => 2_000,
    });
    expect(ok.ok).toBe(true);
    const stored = (await db.people.findOne(ada.value.id).exec())?.toJSON();
    expect(stored?.aliases).toEqual(['ada@home.example', 'ada@work.example']);
    expect(stored?.updatedAt).toBe(2_000);
  });

  it('deletes a person and undo restores the very same document', async () => {
    const ada = await addPerson(db.people, input({ aliases: 'ada@home.example' }), deps);
    if (!ada.ok) throw new Error('setup failed');
    const snapshot = await deletePerson(db.people, ada.value.id);
    expect(snapshot).toEqual(ada.value);
    expect(await db.people.count().exec()).toBe(0);

    const restored = await restorePerson(db.people, snapshot!);
    expect(restored.ok).toBe(true);
    expect((await db.people.findOne(ada.value.id).exec())?.toJSON()).toEqual(ada.value);
  });

  it('does not restore a person whose address was given to someone else meanwhile', async () => {
    const ada = await addPerson(db.people, input({ aliases: 'ada@home.example' }), deps);
    if (!ada.ok) throw new Error('setup failed');
    const snapshot = (await deletePerson(db.people, ada.value.id))!;
    await addPerson(db.people, input({ name: 'Augusta King', email: 'ada@home.example' }), deps);
    const restored = await restorePerson(db.people, snapshot);
    expect(restored).toEqual({
      ok: false,
      errors: { aliases: 'ada@home.example already belongs to Augusta King.' },
    });
    expect(await db.people.findOne(ada.value.id).exec()).toBeNull();
  });

  it('deleting someone who is already gone is a no-op', async () => {
    expect(await deletePerson(db.people, 'missing')).toBeNull();
  });
});
