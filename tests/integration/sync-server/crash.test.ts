// kill -9 the server process while one member types, restart it on the same data dir, and
// check that a fresh client gets every update the other member had already received.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connect, createRoom, spawnServer, waitFor, type ServerProcess } from './support/harness';
import { serverFlags } from './support/server-suite';
import { startTokenSource, type ClosableTokenSource } from './support/token-source';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

let tokens: ClosableTokenSource;
const dataDir = mkdtempSync(join(tmpdir(), 'duet-crash-'));
const processes: ServerProcess[] = [];

const launch = async () => {
  const server = await spawnServer([...serverFlags(tokens, dataDir), '--log-level', 'warn'], {
    // The CLI has no CA flag here on purpose: it must trust the issuer the standard Node way.
    ...(tokens.caPath ? { NODE_EXTRA_CA_CERTS: tokens.caPath } : {}),
  });
  processes.push(server);
  return server;
};

beforeAll(async () => {
  tokens = await startTokenSource();
});
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await tokens?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every (client, clock) `seen` has must be in `have`. */
function missingFrom(have: Y.Doc, seen: Y.Doc): string[] {
  const haveSv = Y.decodeStateVector(Y.encodeStateVector(have));
  return [...Y.decodeStateVector(Y.encodeStateVector(seen))]
    .filter(([client, clock]) => (haveSv.get(client) ?? 0) < clock)
    .map(([client, clock]) => `${client}:${clock} (have ${haveSv.get(client) ?? 0})`);
}

describe('durability', () => {
  it('keeps every update a peer received across kill -9 and restart', { timeout: 30_000 }, async () => {
    const first = await launch();
    const roomId = await createRoom(
      first.httpUrl,
      await tokens.token(ALICE),
      [ALICE, BOB],
      'crash-test@google.com',
    );
    const alice = connect(first.url, roomId, await tokens.token(ALICE));
    const bob = connect(first.url, roomId, await tokens.token(BOB));
    await Promise.all([alice.synced(), bob.synced()]);

    // Alice types bursts of single-character transactions until the server dies under her.
    let typed = 0;
    const typing = setInterval(() => {
      for (let i = 0; i < 5; i++)
        alice.text.insert(alice.text.length, String.fromCharCode(97 + (typed++ % 26)));
    }, 1);
    await waitFor(() => bob.text.length > 300, 'bob receiving edits', 10_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    clearInterval(typing);
    // Let bob drain whatever the server had sent before dying, then freeze his view.
    await waitFor(() => !bob.provider.wsconnected, 'bob disconnected');
    const bobSaw = new Y.Doc();
    Y.applyUpdate(bobSaw, Y.encodeStateAsUpdate(bob.doc));
    const bobText = bobSaw.getText('notes').toString();
    // Neither member may re-upload anything: the server alone must have it.
    alice.destroy();
    bob.destroy();
    expect(typed).toBeGreaterThan(bobText.length); // the crash really happened mid-edit

    const second = await launch();
    const fresh = connect(second.url, roomId, await tokens.token(BOB));
    await fresh.synced();
    expect(missingFrom(fresh.doc, bobSaw)).toEqual([]);
    expect(fresh.text.toString().startsWith(bobText)).toBe(true);
    fresh.destroy();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
