// A private-note canary (docs/architecture.md §2, §5): the manager's app writes a private note
// through the real module (encrypted with the key main's service keeps sealed by the Node secret
// storage) while sharing a meeting with the report through a real sync server (LevelDB on disk).
// Every frame between the apps and the server passes a recording WebSocket proxy. The canary
// appears in no frame, in no byte the server stored, in nothing the report's app received, and
// not in plain text in the manager's own database, while a shared canary does travel (so the
// taps do see what is sent).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import type { SyncServerHandle } from '../../../sync-server';
import { fileKeySecrets } from '../../../src-main/platform/node';
import { createPrivateNoteKeyService } from '../../../src-main/services/private-note-key';
import { jsonFileStore } from '../../../src-main/storage/json-file';
import { openDuetDatabase } from '../../../src-renderer/src/db/database';
import { codecsWithKey, importPrivateNoteKey } from '../../../src-renderer/src/db/private-note-codec';
import { readPrivateNote, writePrivateNote } from '../../../src-renderer/src/db/private-notes';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { openMeetingConnection, type TokenFeed } from '../../../src-shared/workspace/meeting-connection';
import { requestRoom } from '../../../src-shared/workspace/rooms-client';
import { waitFor } from '../sync-server/support/harness';
import { startTrustingServer } from '../sync-server/support/server-suite';
import { startTokenSource, type ClosableTokenSource } from '../sync-server/support/token-source';
import { uniqueDbName } from '../../unit/web/support/fake-idb';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const PRIVATE = 'canary-private-5b1e9';
const SHARED = 'canary-shared-77c2';

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
let proxy: WebSocketServer;
let proxyUrl: string;
const frames: Buffer[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  tokens = await startTokenSource();
  const data = mkdtempSync(join(tmpdir(), 'duet-canary-sync-'));
  dirs.push(data);
  server = await startTrustingServer(tokens, { dataDir: data });
  // Relays each connection to the server frame by frame, keeping a copy of every frame.
  proxy = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  proxy.on('connection', (client, req) => {
    const upstream = new WebSocket(`${server.url}${req.url ?? '/'}`);
    const queued: Buffer[] = [];
    client.on('message', (data: Buffer) => {
      frames.push(Buffer.from(data));
      if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
      else queued.push(data);
    });
    upstream.on('open', () => queued.splice(0).forEach((d) => upstream.send(d)));
    upstream.on('message', (data: Buffer) => {
      frames.push(Buffer.from(data));
      if (client.readyState === WebSocket.OPEN) client.send(data);
    });
    upstream.on('close', (code, reason) =>
      client.close(code >= 1000 && code < 5000 && code !== 1005 ? code : 1000, reason),
    );
    client.on('close', () => upstream.close());
  });
  await new Promise((r) => proxy.once('listening', r));
  proxyUrl = `ws://127.0.0.1:${(proxy.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  await server?.close();
  await tokens?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const feedOf = (token: string): TokenFeed => ({ current: () => token, subscribe: () => () => undefined });

function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [readFileSync(join(dir, e.name))],
  );
}

it('a private note never leaves the manager’s database, and is not stored there in plain text', async () => {
  const managerToken = await tokens.token(MANAGER);
  const reportToken = await tokens.token(REPORT);
  const meeting = { participants: [MANAGER, REPORT] };
  const roomId = await requestRoom(server.url, managerToken, meeting);

  // The manager's app: main's key service on a data folder, the renderer's database and codecs.
  const mainDir = mkdtempSync(join(tmpdir(), 'duet-canary-main-'));
  dirs.push(mainDir);
  const key = createPrivateNoteKeyService(
    jsonFileStore(join(mainDir, 'store.json')),
    fileKeySecrets(mainDir),
  ).key();
  const codecs = codecsWithKey(await importPrivateNoteKey(key));
  const db = await openDuetDatabase({ storage: getRxStorageMemory(), name: uniqueDbName('canary') });

  const connect = (me: string, token: string) => {
    const ws = new MeetingWorkspace(new Y.Doc(), me);
    const conn = openMeetingConnection({
      doc: ws.doc,
      serverUrl: proxyUrl,
      roomId,
      tokens: feedOf(token),
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    return { ws, conn };
  };
  const manager = connect(MANAGER, managerToken);
  const report = connect(REPORT, reportToken);
  try {
    await waitFor(() => manager.conn.state() === 'live' && report.conn.state() === 'live', 'both live');
    manager.ws.add('topics', `Promotion case ${SHARED}`);
    await writePrivateNote(
      db.privateNotes,
      { meetingId: 'm1', owner: MANAGER, body: `Remember: ${PRIVATE}` },
      { codecs },
    );
    manager.ws.add('items', 'Draft the plan');
    await waitFor(() => report.ws.items().length === 1, 'the report sees the action item');
    expect(await readPrivateNote(db.privateNotes, 'm1', MANAGER, { codecs })).toBe(`Remember: ${PRIVATE}`);
  } finally {
    manager.conn.destroy();
    report.conn.destroy();
  }
  await server.close(); // flushes and compacts: everything stored is on disk now

  const all = Buffer.concat(frames);
  expect(all.includes(SHARED)).toBe(true); // the tap sees what is shared
  expect(all.includes(PRIVATE)).toBe(false);
  const stored = Buffer.concat(filesUnder(dirs[0]!));
  expect(stored.includes(SHARED)).toBe(true);
  expect(stored.includes(PRIVATE)).toBe(false);
  expect(JSON.stringify(report.ws.doc.toJSON())).not.toContain(PRIVATE);
  const local = JSON.stringify((await db.privateNotes.find().exec()).map((d) => d.toJSON()));
  expect(local).not.toContain(PRIVATE);
  expect(readFileSync(join(mainDir, 'store.json'), 'utf8')).not.toContain(key);
  await db.close();
});
