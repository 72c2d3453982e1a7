// Roll-over through the real sync server (docs/architecture.md §5 "Roll-over"): two apps (manager
// and report, their own meeting ids for the same occurrences, as two calendar accounts give) run
// the runner's pass with y-websocket clients. Racing at the same moment, and with one app offline
// at the time, each rolled entry exists once in the next meeting, and the server refuses nothing
// (the author rule lets one rolled topic replace its identical twin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { SyncServerHandle } from '../../../sync-server';
import type { CalendarLink, MeetingDoc } from '../../../src-shared/meeting/model';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';
import { joinRoom } from '../../../src-shared/workspace/room-share';
import { requestRoom } from '../../../src-shared/workspace/rooms-client';
import { ROLL_OVER_DELAY_MS, dayOf } from '../../../src-shared/workspace/roll-over';
import { rollOverPass, type OpenMeetingDoc } from '../../../src-shared/workspace/roll-over-pass';
import { startServerWithTokens, stopAll } from '../sync-server/support/server-suite';
import type { ClosableTokenSource } from '../sync-server/support/token-source';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

let tokens: ClosableTokenSource;
let server: SyncServerHandle;
beforeAll(async () => {
  ({ tokens, server } = await startServerWithTokens());
});
afterAll(() => stopAll({ server, tokens }));

/** One app: its meetings (own ids), its local copies of their docs, online or not. */
class App {
  readonly local = new Map<string, Uint8Array>();
  online = true;
  private readonly rooms = new Map<string, string>();
  constructor(
    readonly me: string,
    readonly meetings: MeetingDoc[],
  ) {}

  /** Awaited after a doc has synced and before the pass writes: lets a test line two apps up. */
  gate: ((meeting: MeetingDoc) => Promise<void>) | null = null;
  /** Awaited before a doc's writes are sent on: lets a test order two apps' arrivals. */
  closeGate: ((meeting: MeetingDoc) => Promise<void>) | null = null;
  private opened = 0;

  readonly open: OpenMeetingDoc = async (meeting) => {
    const doc = new Y.Doc();
    // Yjs settles two writes of one key by client id: the report's app always wins here, so its
    // copy arriving second at the server replaces the manager's (what the author rule must allow).
    doc.clientID = (this.me === REPORT ? 2_000_000_000 : 1_000_000) + ++this.opened;
    const stored = this.local.get(meeting.id);
    if (stored) Y.applyUpdate(doc, stored);
    let session: Awaited<ReturnType<typeof joinRoom>> | null = null;
    if (this.online) {
      const token = await tokens.token(this.me);
      let roomId = this.rooms.get(meeting.id);
      if (!roomId) this.rooms.set(meeting.id, (roomId = await requestRoom(server.url, token, meeting)));
      session = await joinRoom(
        { serverUrl: server.url, roomId, token, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket },
        doc,
      );
    }
    await this.gate?.(meeting);
    return {
      doc,
      close: async () => {
        await this.closeGate?.(meeting);
        try {
          await session?.confirmStored();
        } finally {
          this.local.set(meeting.id, Y.encodeStateAsUpdate(doc));
          session?.close();
          doc.destroy();
        }
      },
    };
  };

  /** Reads (and syncs, when online) a meeting's doc: what the meeting page would show. */
  async read(index: number): Promise<MeetingWorkspace> {
    const opened = await this.open(this.meetings[index]!);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(opened.doc));
    await opened.close();
    return new MeetingWorkspace(copy, this.me);
  }

  async edit(index: number, change: (w: MeetingWorkspace) => void): Promise<void> {
    const opened = await this.open(this.meetings[index]!);
    change(new MeetingWorkspace(opened.doc, this.me));
    await opened.close();
  }

  pass(now: number, settled = new Set<string>()) {
    return rollOverPass(this.meetings, { now, open: this.open, settled });
  }
}

let seriesCount = 0;
/** Three weekly occurrences of one series as `account`'s calendar gives them. */
function series(account: string, uid: string, start: number): MeetingDoc[] {
  return [0, 1, 2].map((i) => {
    const at = start + i * WEEK;
    const link: CalendarLink = {
      provider: 'google',
      accountId: account,
      calendarId: 'primary',
      eventId: `${account}-${uid}-${i}`,
      iCalUID: uid,
      recurringEventId: `${account}-master`,
      originalStart: at,
      instanceStart: 0,
      etag: '',
      managedByApp: false,
    };
    return {
      id: `${account}-m${i}`,
      seriesId: `${account}-series`,
      title: '1:1',
      start: at,
      end: at + HOUR,
      participants: [MANAGER, REPORT],
      owner: MANAGER,
      source: 'calendar',
      calendarLink: link,
      linkState: 'linked',
      state: 'scheduled',
      roomId: '',
      createdAt: 0,
      updatedAt: 0,
    };
  });
}

async function twoApps(): Promise<{ manager: App; report: App; due: number }> {
  const uid = `series-${++seriesCount}@example.com`;
  const start = Date.UTC(2026, 10, 2, 9) + seriesCount * 13 * WEEK;
  const manager = new App(MANAGER, series('acct-manager', uid, start));
  const report = new App(REPORT, series('acct-report', uid, start));
  await manager.edit(0, (w) => {
    w.add('topics', 'Promotion case');
    const done = w.add('topics', 'Offsite');
    w.setDone('topics', done, true);
  });
  await report.edit(0, (w) => w.add('items', 'Draft the plan'));
  return { manager, report, due: start + HOUR + ROLL_OVER_DELAY_MS };
}

async function expectOneCopy(app: App): Promise<void> {
  const next = await app.read(1);
  expect(next.topics().map((t) => t.text)).toEqual(['Promotion case']);
  expect(next.items().map((t) => t.text)).toEqual(['Draft the plan']);
  expect(next.topics()[0]!.rolledFrom).toBe(dayOf(app.meetings[0]!.start));
  const past = await app.read(0);
  expect(past.topics().filter((t) => t.movedTo === dayOf(app.meetings[1]!.start)).map((t) => t.text)).toEqual([
    'Promotion case',
  ]);
  expect(past.items()[0]!.movedTo).toBe(dayOf(app.meetings[1]!.start));
}

describe('roll-over through the sync server', () => {
  it('is not due before three hours after the end', async () => {
    const { manager, due } = await twoApps();
    const early = await manager.pass(due - 1);
    expect(early.rolled).toEqual([]);
    expect((await manager.read(1)).topics()).toEqual([]);
  });

  it('two apps racing at the same moment leave one copy of each entry, nothing refused', async () => {
    const { manager, report, due } = await twoApps();
    // Both apps hold both docs, synced, before either writes; the manager's copies reach the
    // server first, then the report's identical ones replace them.
    let arrived = 0;
    let bothThere!: () => void;
    const lineUp = new Promise<void>((resolve) => (bothThere = resolve));
    let managerClosed!: () => void;
    const managerDone = new Promise<void>((resolve) => (managerClosed = resolve));
    const gate = (app: App) => async (meeting: MeetingDoc) => {
      if (meeting.id !== app.meetings[1]!.id) return;
      if (++arrived === 2) bothThere();
      await lineUp;
    };
    manager.gate = gate(manager);
    report.gate = gate(report);
    report.closeGate = async (meeting) => {
      if (meeting.id === report.meetings[1]!.id) await managerDone;
    };
    const [m, r] = await Promise.all([
      manager.pass(due).finally(() => managerClosed()),
      report.pass(due),
    ]);
    manager.gate = report.gate = report.closeGate = null;
    expect(m.errors).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(m.rolled).toEqual([expect.objectContaining({ written: 2 })]);
    expect(r.rolled).toEqual([expect.objectContaining({ written: 2 })]);
    await expectOneCopy(manager);
    await expectOneCopy(report);
    // Both apps' later passes find nothing more to do.
    expect((await manager.pass(due + HOUR)).rolled).toEqual([]);
    expect((await report.pass(due + HOUR)).rolled).toEqual([]);
  });

  it('with one app offline at the time: one copy after it reconnects, edits made meanwhile kept', async () => {
    const { manager, report, due } = await twoApps();
    // The report's app has everything up to now, then goes offline.
    await report.read(0);
    report.online = false;
    const rolledOffline = await report.pass(due);
    expect(rolledOffline.rolled).toEqual([
      expect.objectContaining({ from: 'acct-report-m0', to: 'acct-report-m1', written: 2 }),
    ]);
    // Meanwhile the manager's app rolls and the manager adds to the next meeting.
    const online = await manager.pass(due + 60_000);
    expect(online.rolled).toEqual([expect.objectContaining({ written: 2 })]);
    await manager.edit(1, (w) => w.add('topics', 'Conference budget'));
    // The report's app reconnects: its pass syncs first and writes nothing new.
    report.online = true;
    const after = await report.pass(due + 2 * HOUR);
    expect(after.errors).toEqual([]);
    for (const app of [manager, report]) {
      const next = await app.read(1);
      expect(next.topics().map((t) => t.text)).toEqual(['Promotion case', 'Conference budget']);
      expect(next.items().map((t) => t.text)).toEqual(['Draft the plan']);
    }
  });

  it('rolls into a next meeting nobody has opened yet, and waits while there is none', async () => {
    const { manager, due } = await twoApps();
    const lastOnly = new App(MANAGER, manager.meetings.slice(0, 1));
    for (const [k, v] of manager.local) lastOnly.local.set(k, v);
    const waiting = await lastOnly.pass(due);
    expect(waiting.waiting).toEqual([manager.meetings[0]!.id]);
    expect(waiting.rolled).toEqual([]);
    const settled = new Set<string>();
    const done = await manager.pass(due, settled);
    expect(done.rolled).toHaveLength(1);
    expect(settled.has(manager.meetings[0]!.id)).toBe(true);
  });
});
