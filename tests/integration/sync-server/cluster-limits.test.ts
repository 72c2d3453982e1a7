// Per-user limits hold across processes (issue 13): a user's connection cap and room-creation
// rate are counted in Redis, so spreading connections or requests over two processes gains
// nothing. A small cluster of its own (`npm run cluster -- --processes 2`) with low limits;
// requests go straight to each process, as a client HAProxy sent elsewhere would arrive.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, call, closeCodeOf, createRoom, rawSocket, waitFor } from './support/harness';
import { startTokenSource, type ClosableTokenSource } from './support/token-source';

interface ClusterInfo {
  processes: Array<{ url: string; httpUrl: string; pid: number }>;
}

let tokens: ClosableTokenSource;
let child: ChildProcess;
let info: ClusterInfo;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  tokens = await startTokenSource();
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/cluster.ts',
      ...[
        '--processes',
        '2',
        '--issuer',
        tokens.issuer,
        '--audience',
        tokens.audience,
        '--ca',
        tokens.caPath!,
      ],
      ...['--limit', 'maxConnectionsPerUser=4'],
      ...['--limit', 'roomCreationsPerUserBurst=3', '--limit', 'roomCreationsPerUserPerSecond=0.01'],
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  info = await new Promise<ClusterInfo>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as ClusterInfo | { event: string };
      if (!('event' in parsed)) resolve(parsed);
    });
    child.once('exit', (code) => reject(new Error(`cluster exited (${code}):\n${stderr.join('\n')}`)));
  });
}, 90_000);

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  if (child && child.exitCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  await tokens?.close();
}, 30_000);

async function socketTo(processIndex: number, roomId: string, token: string): Promise<WebSocket> {
  const ws = await rawSocket(`${info.processes[processIndex]!.url}/${roomId}?token=${token}`);
  ws.on('error', () => undefined);
  sockets.push(ws);
  return ws;
}

const stillOpen = (ws: WebSocket) => ws.readyState === ws.OPEN;

describe('per-user limits across processes', () => {
  it('caps one user at 4 connections in total over two processes, and frees a slot on close', async () => {
    const alice = 'alice@example.com';
    const token = await tokens.token(alice);
    const roomId = await createRoom(info.processes[0]!.httpUrl, token, [alice, 'bob@example.com']);
    const open: WebSocket[] = [];
    for (const p of [0, 1, 0, 1]) open.push(await socketTo(p, roomId, token));
    // Over the cap on either process: refused with 1013, whichever process counted the four.
    for (const p of [0, 1]) expect(await closeCodeOf(await socketTo(p, roomId, token))).toBe(1013);
    await new Promise((r) => setTimeout(r, 200));
    expect(open.every(stillOpen)).toBe(true);
    // One closed on process 1 makes room on process 0.
    open[1]!.close();
    await closeCodeOf(open[1]!);
    const again = await waitFor(
      async () => {
        const ws = await socketTo(0, roomId, token);
        await new Promise((r) => setTimeout(r, 150));
        return stillOpen(ws) ? ws : undefined;
      },
      'a free connection slot',
      5000,
    );
    expect(stillOpen(again)).toBe(true);
  }, 30_000);

  it('counts room creations per user over both processes (burst 3)', async () => {
    const carol = 'carol@example.com';
    const token = await tokens.token(carol);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (const [i, p] of [0, 1, 0, 1].entries()) {
      const res = await call(info.processes[p]!.httpUrl, 'POST', '/rooms', {
        token,
        body: { participants: [carol, `report${i}@example.com`] },
      });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
