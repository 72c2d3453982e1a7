// Private notes go through a codec named in each document: today 'plain', tomorrow an encrypting
// one. This proves the seam: a different codec changes what is stored, and reading still works
// for notes written by either.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import { defaultCodecs, type PrivateNoteCodec } from '../../../src-renderer/src/db/private-note-codec';
import { readPrivateNote, writePrivateNote } from '../../../src-renderer/src/db/private-notes';
import { uniqueDbName } from './support/fake-idb';

let db: DuetDatabase;
beforeEach(async () => {
  db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('notes') });
});
afterEach(async () => {
  await db.close();
});

/** Stand-in for an encrypting codec: reversible, and visibly not the plain text. */
const reversed: PrivateNoteCodec = {
  scheme: 'test-reversed',
  encode: async (s) => [...s].reverse().join(''),
  decode: async (s) => [...s].reverse().join(''),
};

it('stores plain notes today, marked as such, and reads them back', async () => {
  await writePrivateNote(
    db.privateNotes,
    { meetingId: 'm1', owner: 'Me@Example.com', body: 'Ask about the offsite' },
    { now: () => 5 },
  );
  const stored = (await db.privateNotes.findOne('m1:me@example.com').exec())?.toJSON();
  expect(stored).toMatchObject({
    meetingId: 'm1',
    owner: 'me@example.com',
    body: 'Ask about the offsite',
    bodyScheme: 'plain',
    updatedAt: 5,
  });
  expect(await readPrivateNote(db.privateNotes, 'm1', 'me@example.com')).toBe('Ask about the offsite');
  expect(await readPrivateNote(db.privateNotes, 'm2', 'me@example.com')).toBeNull();
});

it('a new codec changes what is stored; notes from both codecs stay readable', async () => {
  const codecs = new Map([...defaultCodecs, [reversed.scheme, reversed]]);
  await writePrivateNote(db.privateNotes, {
    meetingId: 'old',
    owner: 'me@example.com',
    body: 'written before',
  });
  await writePrivateNote(
    db.privateNotes,
    { meetingId: 'new', owner: 'me@example.com', body: 'secret' },
    { codec: reversed },
  );
  const stored = (await db.privateNotes.findOne('new:me@example.com').exec())?.toJSON();
  expect(stored).toMatchObject({ body: 'terces', bodyScheme: 'test-reversed' });
  expect(await readPrivateNote(db.privateNotes, 'new', 'me@example.com', { codecs })).toBe('secret');
  expect(await readPrivateNote(db.privateNotes, 'old', 'me@example.com', { codecs })).toBe('written before');
});

it('refuses to show a note in a scheme it cannot decode instead of showing ciphertext', async () => {
  await writePrivateNote(
    db.privateNotes,
    { meetingId: 'm1', owner: 'me@example.com', body: 'secret' },
    { codec: reversed },
  );
  await expect(readPrivateNote(db.privateNotes, 'm1', 'me@example.com')).rejects.toThrow('"test-reversed"');
});
