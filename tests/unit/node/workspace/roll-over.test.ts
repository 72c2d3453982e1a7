// Roll-over (src-shared/workspace/roll-over.ts, docs/architecture.md §5): unfinished entries move
// to the next meeting of the series exactly once, when two apps race and across an offline gap;
// the original keeps its entries, marked moved. Docs sync here by exchanging updates, as the sync
// server relays them; tests/integration/workspace/roll-over-sync.test.ts does it through the server.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MeetingWorkspace } from '../../../../src-shared/workspace/meeting-doc';
import {
  ROLL_OVER_DELAY_MS,
  ROLL_OVER_HORIZON_MS,
  applyRollOver,
  dayOf,
  isRollOverDue,
  nextMeetingOf,
  rolledEntryId,
  unfinishedEntries,
} from '../../../../src-shared/workspace/roll-over';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2, 9); // Monday 2 Nov 2026 09:00 UTC
const SOURCE_START = T0;
const TARGET_START = T0 + WEEK;

/** One app's copies of the two meetings' docs. */
interface App {
  source: MeetingWorkspace;
  target: MeetingWorkspace;
}

function app(me: string): App {
  return { source: new MeetingWorkspace(new Y.Doc(), me), target: new MeetingWorkspace(new Y.Doc(), me) };
}

/** Everything each side has that the other lacks, both ways: what a sync does. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

function syncApps(a: App, b: App): void {
  sync(a.source.doc, b.source.doc);
  sync(a.target.doc, b.target.doc);
}

/** Two apps that share a past meeting with open and done entries, and an empty next meeting. */
function twoApps(): { manager: App; report: App; openTopic: string; doneTopic: string; openItem: string } {
  const manager = app(MANAGER);
  const report = app(REPORT);
  for (const a of [manager, report])
    a.source.setMeta({ title: '1:1', start: SOURCE_START, end: SOURCE_START + HOUR, participants: [MANAGER, REPORT] });
  const openTopic = manager.source.add('topics', 'Promotion case');
  const doneTopic = manager.source.add('topics', 'Team offsite');
  manager.source.setDone('topics', doneTopic, true);
  syncApps(manager, report);
  const openItem = report.source.add('items', 'Draft the plan', { assignee: REPORT, due: '2026-11-20' });
  syncApps(manager, report);
  return { manager, report, openTopic, doneTopic, openItem };
}

const roll = (a: App) =>
  applyRollOver(a.source.doc, a.target.doc, { sourceStart: SOURCE_START, targetStart: TARGET_START });

describe('roll-over', () => {
  it('moves unfinished topics and items with a "from" mark, keeps the originals marked moved, leaves done ones', () => {
    const { manager, openTopic, doneTopic, openItem } = twoApps();
    manager.target.add('topics', 'New this week');
    expect(roll(manager)).toEqual({ written: 2, marked: 2 });

    const topics = manager.target.topics();
    expect(topics.map((t) => t.text)).toEqual(['Promotion case', 'New this week']);
    expect(topics[0]).toMatchObject({
      id: rolledEntryId('topics', openTopic),
      author: MANAGER,
      done: false,
      rolledFrom: dayOf(SOURCE_START),
    });
    expect(topics[1]!.rolledFrom).toBeUndefined();
    expect(manager.target.items()).toEqual([
      expect.objectContaining({
        id: rolledEntryId('items', openItem),
        text: 'Draft the plan',
        author: REPORT,
        assignee: REPORT,
        due: '2026-11-20',
        rolledFrom: dayOf(SOURCE_START),
      }),
    ]);
    // Nothing lost: the original meeting keeps everything, the moved ones marked.
    const source = manager.source.topics();
    expect(source.find((t) => t.id === openTopic)?.movedTo).toBe(dayOf(TARGET_START));
    expect(source.find((t) => t.id === doneTopic)?.movedTo).toBeUndefined();
    expect(manager.source.items()[0]?.movedTo).toBe(dayOf(TARGET_START));
    expect(unfinishedEntries(manager.source.doc)).toEqual([]);
  });

  it('runs once however often it is called, and does not bring back a rolled copy completed since', () => {
    const { manager } = twoApps();
    roll(manager);
    const [copy] = manager.target.topics();
    manager.target.setDone('topics', copy!.id, true);
    expect(roll(manager)).toEqual({ written: 0, marked: 0 });
    expect(manager.target.topics()).toHaveLength(1);
    expect(manager.target.topics()[0]!.done).toBe(true);
  });

  it('two apps racing at the same moment converge to one copy of each entry', () => {
    const { manager, report } = twoApps();
    const m = roll(manager);
    const r = roll(report);
    expect(m.written).toBe(2);
    expect(r.written).toBe(2); // neither saw the other's writes
    syncApps(manager, report);
    for (const a of [manager, report]) {
      expect(a.target.topics().map((t) => t.text)).toEqual(['Promotion case']);
      expect(a.target.items().map((t) => t.text)).toEqual(['Draft the plan']);
    }
    expect(manager.target.topics()).toEqual(report.target.topics());
    expect(manager.target.items()).toEqual(report.target.items());
    expect(manager.source.topics()).toEqual(report.source.topics());
  });

  it('across an offline gap: the online app rolls, edits the copy; the offline app rolls too and reconnects: one copy', () => {
    const { manager, report } = twoApps();
    // The report's app is offline; the manager's rolls and the manager keeps working on the copy.
    roll(manager);
    const copyId = manager.target.topics()[0]!.id;
    manager.target.add('items', 'Book the room');
    // Later, still offline, the report's app runs its own pass (it never saw the manager's).
    expect(roll(report).written).toBe(2);
    syncApps(manager, report);
    for (const a of [manager, report]) {
      expect(a.target.topics().map((t) => t.id)).toEqual([copyId]);
      expect(a.target.items().map((t) => t.text).sort()).toEqual(['Book the room', 'Draft the plan']);
    }
    // And a pass after reconnecting finds nothing left to move.
    expect(roll(report)).toEqual({ written: 0, marked: 0 });
    expect(roll(manager)).toEqual({ written: 0, marked: 0 });
  });

  it('an app that synced first writes nothing: the copies are there', () => {
    const { manager, report } = twoApps();
    roll(manager);
    syncApps(manager, report);
    expect(roll(report)).toEqual({ written: 0, marked: 0 });
  });

  it('a copy rolls on again to the meeting after, still "from" the first meeting', () => {
    const { manager, openTopic } = twoApps();
    roll(manager);
    const third = new MeetingWorkspace(new Y.Doc(), MANAGER);
    applyRollOver(manager.target.doc, third.doc, { sourceStart: TARGET_START, targetStart: TARGET_START + WEEK });
    const [again] = third.topics();
    expect(again).toMatchObject({
      id: rolledEntryId('topics', rolledEntryId('topics', openTopic)),
      text: 'Promotion case',
      rolledFrom: dayOf(SOURCE_START),
    });
  });

  it('finishes a pass interrupted after writing the copies: marks the source, writes nothing twice', () => {
    const { manager } = twoApps();
    const scratch = new MeetingWorkspace(new Y.Doc(), MANAGER);
    Y.applyUpdate(scratch.doc, Y.encodeStateAsUpdate(manager.source.doc));
    // The first pass wrote the target, then the app stopped before marking its own source copy.
    applyRollOver(scratch.doc, manager.target.doc, { sourceStart: SOURCE_START, targetStart: TARGET_START });
    expect(roll(manager)).toEqual({ written: 0, marked: 2 });
    expect(manager.target.topics()).toHaveLength(1);
  });

  it('reads hostile entries defensively and refuses rolling into itself or backwards', () => {
    const doc = new Y.Doc();
    const topics = doc.getMap<unknown>('topics');
    topics.set('not-a-map', 'x');
    const empty = new Y.Map<unknown>();
    empty.set('text', '');
    topics.set('empty', empty);
    const odd = new Y.Map<unknown>();
    odd.set('text', 'Odd');
    odd.set('order', 'high');
    odd.set('movedTo', -5); // not a mark: still rolls
    topics.set('odd', odd);
    expect(unfinishedEntries(doc).map((e) => e.id)).toEqual(['odd']);
    const target = new MeetingWorkspace(new Y.Doc(), MANAGER);
    applyRollOver(doc, target.doc, { sourceStart: 1, targetStart: 2 });
    expect(target.topics()).toEqual([expect.objectContaining({ text: 'Odd', author: '', rolledFrom: dayOf(1) })]);
    expect(() => applyRollOver(doc, doc, { sourceStart: 1, targetStart: 2 })).toThrow(/itself/);
    expect(() => applyRollOver(doc, new Y.Doc(), { sourceStart: 2, targetStart: 2 })).toThrow(/later/);
  });
});

describe('when and where a meeting rolls', () => {
  const meeting = (id: string, start: number, extra: Partial<{ seriesId: string; state: 'scheduled' | 'cancelled' | 'archived' }> = {}) => ({
    id,
    seriesId: extra.seriesId ?? 's1',
    start,
    end: start + HOUR,
    state: extra.state ?? ('scheduled' as const),
  });

  it('is due three hours after the end, in a series only, not cancelled, not beyond the horizon', () => {
    const m = meeting('a', T0);
    const due = T0 + HOUR + ROLL_OVER_DELAY_MS;
    expect(isRollOverDue(m, due - 1)).toBe(false);
    expect(isRollOverDue(m, due)).toBe(true);
    expect(isRollOverDue(m, due + ROLL_OVER_HORIZON_MS)).toBe(true);
    expect(isRollOverDue(m, due + ROLL_OVER_HORIZON_MS + 1)).toBe(false);
    expect(isRollOverDue(meeting('b', T0, { seriesId: '' }), due)).toBe(false);
    expect(isRollOverDue(meeting('c', T0, { state: 'cancelled' }), due)).toBe(false);
    expect(isRollOverDue(meeting('d', T0, { state: 'archived' }), due)).toBe(true);
  });

  it('goes to the earliest later meeting of the same series that is not cancelled', () => {
    const m = meeting('a', T0);
    const all = [
      m,
      meeting('other-series', T0 + HOUR, { seriesId: 's2' }),
      meeting('cancelled', T0 + WEEK, { state: 'cancelled' }),
      meeting('later', T0 + 3 * WEEK),
      meeting('next-b', T0 + 2 * WEEK),
      meeting('next-a', T0 + 2 * WEEK),
      meeting('earlier', T0 - WEEK),
    ];
    expect(nextMeetingOf(m, all)?.id).toBe('next-a');
    expect(nextMeetingOf(m, [m, meeting('earlier', T0 - WEEK)])).toBeNull();
  });
});
