// The sync server's author rule (sync-server/rooms/agenda-guard.ts) over updates made by the real
// meeting model and by hand-crafted Yjs operations a modified client could send. The "server" is a
// Y.Doc holding everything both apps sent, as a room's document does.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  UpdateRefusedError,
  checkAgendaUpdate,
  mayTouchAgenda,
} from '../../../../sync-server/rooms/agenda-guard';
import { MeetingWorkspace, canDeleteTopic } from '../../../../src-shared/workspace/meeting-doc';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';

interface Setup {
  server: Y.Doc;
  manager: MeetingWorkspace;
  report: MeetingWorkspace;
  managerTopic: string;
  reportTopic: string;
}

/** Both apps synced through `server`, each with one topic of its own and one action item. */
function setup(): Setup {
  const server = new Y.Doc();
  const manager = new MeetingWorkspace(new Y.Doc(), MANAGER);
  const report = new MeetingWorkspace(new Y.Doc(), REPORT);
  manager.setMeta({ title: '1:1', start: 1, end: 2, participants: [MANAGER, REPORT] });
  const managerTopic = manager.add('topics', 'Promotion case');
  manager.add('items', 'Draft the plan');
  Y.applyUpdate(server, Y.encodeStateAsUpdate(manager.doc));
  Y.applyUpdate(report.doc, Y.encodeStateAsUpdate(server));
  const reportTopic = report.add('topics', 'Time off');
  Y.applyUpdate(server, Y.encodeStateAsUpdate(report.doc));
  Y.applyUpdate(manager.doc, Y.encodeStateAsUpdate(server));
  return { server, manager, report, managerTopic, reportTopic };
}

/** The update one local change makes (what y-websocket sends). */
function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | null = null;
  const listen = (u: Uint8Array) => (update = u);
  doc.on('update', listen);
  change();
  doc.off('update', listen);
  if (!update) throw new Error('the change made no update');
  return update;
}

function refusal(server: Y.Doc, update: Uint8Array, sender: string): UpdateRefusedError | null {
  try {
    checkAgendaUpdate(server, update, sender);
    return null;
  } catch (error) {
    if (error instanceof UpdateRefusedError) return error;
    throw error;
  }
}

const topicMap = (w: MeetingWorkspace, id: string) => w.doc.getMap<Y.Map<unknown>>('topics').get(id)!;

describe('the agenda author rule on the server', () => {
  it("refuses the report deleting the manager's topic, with 4422", () => {
    const s = setup();
    // A modified client: straight to the Y.Map, past the model's own refusal.
    const update = updateOf(s.report.doc, () => s.report.doc.getMap('topics').delete(s.managerTopic));
    const error = refusal(s.server, update, REPORT);
    expect(error?.code).toBe(4422);
    expect(error?.message).toBe('only the author deletes a topic');
    // The room never applied it.
    expect(new MeetingWorkspace(s.server, MANAGER).topics().map((t) => t.id)).toContain(s.managerTopic);
  });

  it('lets each author delete their own topic, and either person delete an action item', () => {
    const s = setup();
    expect(
      refusal(
        s.server,
        updateOf(s.report.doc, () => s.report.delete('topics', s.reportTopic)),
        REPORT,
      ),
    ).toBeNull();
    const item = s.manager.items()[0]!.id;
    expect(
      refusal(
        s.server,
        updateOf(s.report.doc, () => s.report.delete('items', item)),
        REPORT,
      ),
    ).toBeNull();
    expect(
      refusal(
        s.server,
        updateOf(s.manager.doc, () => s.manager.delete('topics', s.managerTopic)),
        MANAGER,
      ),
    ).toBeNull();
  });

  it('judges the sender, not what the update claims: the same deletion is refused from the report', () => {
    const s = setup();
    const update = updateOf(s.manager.doc, () => s.manager.delete('topics', s.managerTopic));
    expect(refusal(s.server, update, MANAGER)).toBeNull();
    expect(refusal(s.server, update, REPORT)?.code).toBe(4422);
  });

  it("refuses rewriting or removing a topic's author, also on one's own topic", () => {
    let s = setup();
    const rewrite = updateOf(s.report.doc, () => topicMap(s.report, s.managerTopic).set('author', REPORT));
    expect(refusal(s.server, rewrite, REPORT)?.message).toBe("a topic's author cannot change");
    s = setup();
    const remove = updateOf(s.report.doc, () => topicMap(s.report, s.managerTopic).delete('author'));
    expect(refusal(s.server, remove, REPORT)?.code).toBe(4422);
    s = setup();
    const own = updateOf(s.report.doc, () => topicMap(s.report, s.reportTopic).set('author', MANAGER));
    expect(refusal(s.server, own, REPORT)?.code).toBe(4422);
  });

  it("refuses replacing the manager's topic entry with a new one under the same id", () => {
    const s = setup();
    const update = updateOf(s.report.doc, () => {
      const forged = new Y.Map<unknown>();
      forged.set('text', 'Promotion case');
      forged.set('author', REPORT);
      s.report.doc.getMap('topics').set(s.managerTopic, forged);
    });
    expect(refusal(s.server, update, REPORT)?.code).toBe(4422);
  });

  it("allows replacing the manager's topic by an entry with the manager as author (a roll-over race), not with another author", () => {
    const s = setup();
    const update = updateOf(s.report.doc, () => {
      const same = new Y.Map<unknown>();
      same.set('text', 'Promotion case');
      same.set('author', MANAGER);
      s.report.doc.getMap('topics').set(s.managerTopic, same);
    });
    expect(refusal(s.server, update, REPORT)).toBeNull();
    Y.applyUpdate(s.server, update);
    const other = updateOf(s.report.doc, () => {
      const forged = new Y.Map<unknown>();
      forged.set('text', 'Promotion case');
      forged.set('author', '');
      s.report.doc.getMap('topics').set(s.managerTopic, forged);
    });
    expect(refusal(s.server, other, REPORT)?.code).toBe(4422);
  });

  it("allows adding, and editing, completing and reordering the other person's topic, without the exact check", () => {
    const s = setup();
    const edits = [
      updateOf(s.report.doc, () => s.report.add('topics', 'New topic')),
      updateOf(s.report.doc, () => s.report.add('items', 'New item')),
      updateOf(s.report.doc, () => s.report.edit('topics', s.managerTopic, 'Promotion case (v2)')),
      updateOf(s.report.doc, () => s.report.setDone('topics', s.managerTopic, true)),
      updateOf(s.report.doc, () => s.report.move('topics', s.managerTopic, 1)),
      updateOf(s.report.doc, () => s.report.notes.insert(0, 'shared notes')),
    ];
    for (const update of edits) {
      expect(mayTouchAgenda(s.server, update)).toBe(false);
      expect(refusal(s.server, update, REPORT)).toBeNull();
      Y.applyUpdate(s.server, update);
    }
    expect(
      new MeetingWorkspace(s.server, MANAGER).topics().find((t) => t.id === s.managerTopic),
    ).toMatchObject({
      text: 'Promotion case (v2)',
      done: true,
      author: MANAGER,
    });
  });

  it("accepts a reconnecting app's whole state, which lists every earlier deletion again", () => {
    const s = setup();
    const own = updateOf(s.manager.doc, () => s.manager.delete('topics', s.managerTopic));
    Y.applyUpdate(s.server, own);
    Y.applyUpdate(s.report.doc, own);
    // Sync step 2 from the report: its whole delete set, including the manager's deletion.
    const step2 = Y.encodeStateAsUpdate(s.report.doc, Y.encodeStateVector(s.server));
    expect(refusal(s.server, step2, REPORT)).toBeNull();
  });

  it('refuses, for a retry after a sync, a deletion of something the room does not have yet', () => {
    const s = setup();
    // A deletion aimed at the manager's next topic, before the manager has sent it: were it held
    // pending, the manager's own update would later carry it out.
    const next = Y.createID(s.manager.doc.clientID, Y.getState(s.manager.doc.store, s.manager.doc.clientID));
    const update = encodeDeleteOnly(next.client, next.clock, 50);
    expect(mayTouchAgenda(s.server, update)).toBe(true);
    expect(refusal(s.server, update, REPORT)?.code).toBe(1008);
  });

  it('pays for the exact check only within an allowance', () => {
    const s = setup();
    const own = updateOf(s.report.doc, () => s.report.delete('topics', s.reportTopic));
    expect(() => checkAgendaUpdate(s.server, own, REPORT, () => false)).toThrow('too many agenda changes');
    const edit = updateOf(s.report.doc, () => s.report.notes.insert(0, 'x'));
    expect(() => checkAgendaUpdate(s.server, edit, REPORT, () => false)).not.toThrow();
  });

  it('handles hostile structure: a delete range over the whole document, an unknown neighbour', () => {
    const s = setup();
    const everything = encodeDeleteOnly(s.manager.doc.clientID, 0, 1_000_000);
    expect(refusal(s.server, everything, REPORT)?.code).toBe(1008);
    const within = encodeDeleteOnly(
      s.manager.doc.clientID,
      0,
      Y.getState(s.server.store, s.manager.doc.clientID),
    );
    expect(refusal(s.server, within, REPORT)?.code).toBe(4422);
    expect(refusal(s.server, within, MANAGER)).toBeNull(); // the manager may clear their own agenda
    expect(() => checkAgendaUpdate(s.server, new Uint8Array([1, 2, 3]), REPORT)).toThrow();
  });
});

describe('canDeleteTopic (the page and the model)', () => {
  it('is true only for the author, whatever the case of the signed-in address', () => {
    expect(canDeleteTopic({ author: MANAGER }, 'Manager@Example.com ')).toBe(true);
    expect(canDeleteTopic({ author: MANAGER }, REPORT)).toBe(false);
    expect(canDeleteTopic({ author: '' }, '')).toBe(false);
  });
});

/** A v1 update with no structs and one delete range (client, clock, len). */
function encodeDeleteOnly(client: number, clock: number, len: number): Uint8Array {
  const bytes: number[] = [];
  const varUint = (n: number) => {
    while (n > 0x7f) {
      bytes.push(0x80 | (n & 0x7f));
      n = Math.floor(n / 128);
    }
    bytes.push(n);
  };
  varUint(0); // no struct groups
  varUint(1); // one client in the delete set
  varUint(client);
  varUint(1); // one range
  varUint(clock);
  varUint(len);
  return new Uint8Array(bytes);
}
