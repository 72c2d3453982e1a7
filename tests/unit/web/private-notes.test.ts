// Private notes at rest: AES-GCM through WebCrypto with main's key (docs/architecture.md §2), over a
// real RxDB. What is stored never holds the text; a wrong key, a tampered or damaged body fail
// with a clear error; plain notes from before encryption read, and are re-encrypted on first save.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openDuetDatabase, type DuetDatabase } from '../../../src-renderer/src/db/database';
import {
  AES_GCM_SCHEME,
  PrivateNoteCodecError,
  aesGcmCodec,
  codecsWithKey,
  importPrivateNoteKey,
  type PrivateNoteCodecs,
} from '../../../src-renderer/src/db/private-note-codec';
import {
  privateNoteCodecs,
  readPrivateNote,
  writePrivateNote,
} from '../../../src-renderer/src/db/private-notes';
import { uniqueDbName } from './support/fake-idb';
import { createTestBridge } from './support/test-bridge';

const ME = 'me@example.com';
const randomKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const codecsOf = async (key: string): Promise<PrivateNoteCodecs> =>
  codecsWithKey(await importPrivateNoteKey(key));

let db: DuetDatabase;
beforeEach(async () => {
  db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('notes') });
});
afterEach(async () => {
  await db.close();
});

const stored = async (meetingId: string) =>
  (await db.privateNotes.findOne(`${meetingId}:${ME}`).exec())?.toJSON();

describe('the AES-GCM codec', () => {
  it('round-trips any text, with a fresh IV each time, and stores no plain text', async () => {
    const codec = aesGcmCodec(await importPrivateNoteKey(randomKey()));
    const text = 'Ask about the offsite ✓ — ünïcødé 🙂\n'.repeat(3);
    const a = await codec.encode(text);
    const b = await codec.encode(text);
    expect(a).not.toBe(b);
    expect(a).not.toContain('offsite');
    expect(a).toMatch(/^[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(await codec.decode(a)).toBe(text);
    expect(await codec.decode(await codec.encode(''))).toBe('');
  });

  it('fails clearly with another key', async () => {
    const mine = aesGcmCodec(await importPrivateNoteKey(randomKey()));
    const other = aesGcmCodec(await importPrivateNoteKey(randomKey()));
    const sealed = await mine.encode('secret');
    await expect(other.decode(sealed)).rejects.toThrow(PrivateNoteCodecError);
    await expect(other.decode(sealed)).rejects.toThrow(/another key, or it was altered/);
  });

  it('fails clearly on a tampered body: one flipped bit anywhere, or a swapped IV', async () => {
    const codec = aesGcmCodec(await importPrivateNoteKey(randomKey()));
    const sealed = await codec.encode('the raise is approved');
    const [iv, data] = sealed.split('.') as [string, string];
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    for (const at of [0, bytes.length >> 1, bytes.length - 1]) {
      const flipped = bytes.slice();
      flipped[at]! ^= 1;
      const tampered = `${iv}.${btoa(String.fromCharCode(...flipped))}`;
      await expect(codec.decode(tampered)).rejects.toThrow(/altered/);
    }
    const otherIv = (await codec.encode('x')).split('.')[0]!;
    await expect(codec.decode(`${otherIv}.${data}`)).rejects.toThrow(/altered/);
  });

  it('refuses damaged bodies and bad keys with their own words', async () => {
    const codec = aesGcmCodec(await importPrivateNoteKey(randomKey()));
    for (const bad of ['', 'plain text', 'a.b.c', '!!!.???', 'AAAA.AAAA'])
      await expect(codec.decode(bad)).rejects.toThrow('not in the encrypted format');
    await expect(importPrivateNoteKey('c2hvcnQ=')).rejects.toThrow('must be 32 bytes');
    await expect(importPrivateNoteKey('%%%')).rejects.toThrow('not valid base64');
  });
});

describe('private notes in RxDB', () => {
  it('writes encrypted, marked with the scheme, and reads back', async () => {
    const codecs = await codecsOf(randomKey());
    await writePrivateNote(
      db.privateNotes,
      { meetingId: 'm1', owner: 'Me@Example.com', body: 'canary-91' },
      { codecs, now: () => 5 },
    );
    const doc = await stored('m1');
    expect(doc).toMatchObject({ meetingId: 'm1', owner: ME, bodyScheme: AES_GCM_SCHEME, updatedAt: 5 });
    expect(JSON.stringify(doc)).not.toContain('canary-91');
    expect(await readPrivateNote(db.privateNotes, 'm1', ME, { codecs })).toBe('canary-91');
    expect(await readPrivateNote(db.privateNotes, 'm2', ME, { codecs })).toBeNull();
    // Another installation's key cannot read it, and says so.
    await expect(
      readPrivateNote(db.privateNotes, 'm1', ME, { codecs: await codecsOf(randomKey()) }),
    ).rejects.toThrow(PrivateNoteCodecError);
  });

  it('reads a plain note from before encryption and re-encrypts it on its first save', async () => {
    await db.privateNotes.insert({
      id: `old:${ME}`,
      meetingId: 'old',
      owner: ME,
      body: 'written before encryption',
      bodyScheme: 'plain',
      updatedAt: 1,
    });
    const codecs = await codecsOf(randomKey());
    const text = await readPrivateNote(db.privateNotes, 'old', ME, { codecs });
    expect(text).toBe('written before encryption');
    await writePrivateNote(
      db.privateNotes,
      { meetingId: 'old', owner: ME, body: `${text} + more` },
      { codecs },
    );
    const doc = await stored('old');
    expect(doc?.bodyScheme).toBe(AES_GCM_SCHEME);
    expect(doc?.body).not.toContain('written before');
    expect(await readPrivateNote(db.privateNotes, 'old', ME, { codecs })).toBe(
      'written before encryption + more',
    );
  });

  it('refuses a note in a scheme it does not know instead of showing what is stored', async () => {
    await db.privateNotes.insert({
      id: `x:${ME}`,
      meetingId: 'x',
      owner: ME,
      body: 'zzz',
      bodyScheme: 'rot13',
      updatedAt: 1,
    });
    await expect(
      readPrivateNote(db.privateNotes, 'x', ME, { codecs: await codecsOf(randomKey()) }),
    ).rejects.toThrow('"rot13"');
  });
});

describe("the window's key from main", () => {
  it('is asked once per bridge and kept in memory; a failure is asked again', async () => {
    let fail = true;
    const bridge = createTestBridge({
      privateNotes: {
        key: () => {
          if (fail) throw new Error('keychain locked');
          return { key: bridge.state.privateNoteKey };
        },
      },
    });
    await expect(privateNoteCodecs(bridge.api)).rejects.toThrow('keychain locked');
    fail = false;
    const first = await privateNoteCodecs(bridge.api);
    const again = await privateNoteCodecs(bridge.api);
    expect(again).toBe(first);
    expect(bridge.calls.filter((c) => c.ns === 'privateNotes')).toHaveLength(2); // the failure, then one
    const sealed = await first.write.encode('hello');
    expect(await (await codecsOf(bridge.state.privateNoteKey)).write.decode(sealed)).toBe('hello');
  });

  it('a key outside the contract never reaches the renderer', async () => {
    const bridge = createTestBridge({ privateNotes: { key: () => ({ key: 'short' }) } });
    await expect(privateNoteCodecs(bridge.api)).rejects.toThrow();
  });
});
