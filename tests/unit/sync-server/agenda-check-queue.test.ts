// The room runs the agenda's exact check (a copy of the whole document) outside the frame handler,
// in the sender's turn of the work queue, charged the document's size; the sender's later updates
// wait behind it so they still apply in order; a refusal closes the sender and drops what waited.
// A real Room with the real guard; the queue is a recording stand-in run by hand.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { LimitError } from '../../../sync-server/rooms/protocol';
import { encodeSyncPayload, SYNC_UPDATE } from '../../../sync-server/rooms/protocol';
import type { UpdateRefusedError } from '../../../sync-server/rooms/agenda-guard';
import { Room, type Peer, type UpdateSink } from '../../../sync-server/rooms/room';
import type { WorkJob } from '../../../sync-server/limits/fair-work-queue';
import { MeetingWorkspace } from '../../../src-shared/workspace/meeting-doc';

const MANAGER = 'manager@example.com';
const REPORT = 'report@example.com';
const unmetered = { charge: () => undefined, release: () => undefined };

function peer(user: string) {
  const closed: string[] = [];
  const p: Peer = {
    user,
    awarenessBytes: unmetered,
    outgoingBytes: unmetered,
    send: () => undefined,
    close: (code, reason) => void closed.push(`${code} ${reason}`),
    overLimit: (e: LimitError) => void closed.push(`${e.code} ${e.message}`),
    refused: (e: UpdateRefusedError) => void closed.push(`${e.code} ${e.message}`),
  };
  return { p, closed };
}

function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | null = null;
  const listen = (u: Uint8Array) => (update = u);
  doc.on('update', listen);
  change();
  doc.off('update', listen);
  if (!update) throw new Error('no update');
  return update;
}

function setup() {
  const manager = new MeetingWorkspace(new Y.Doc(), MANAGER);
  manager.setMeta({ title: '1:1', start: 1, end: 2, participants: [MANAGER, REPORT] });
  const topic = manager.add('topics', 'Promotion case');
  // A document of some size, so the copy the check makes is worth queueing.
  manager.doc.getText('notes').insert(0, 'x'.repeat(200_000));
  const report = new MeetingWorkspace(new Y.Doc(), REPORT);
  Y.applyUpdate(report.doc, Y.encodeStateAsUpdate(manager.doc));
  const jobs: { user: string; job: WorkJob }[] = [];
  const stored: Uint8Array[] = [];
  const sink: UpdateSink = {
    persist: (room, update, origin) => {
      stored.push(update);
      room.deliver(update, origin);
    },
  };
  const room = new Room(
    'room-1',
    [Y.encodeStateAsUpdate(manager.doc)],
    sink,
    {
      maxStateBytes: 4096,
      maxClientsPerRoom: 16,
      maxPendingBytes: 1 << 20,
      maxPendingUpdates: 100,
      syncRequestsBurst: 10,
      syncRequestsPerSecond: 5,
    },
    { enqueue: (user, job) => void jobs.push({ user, job }) },
  );
  const runJobs = () => jobs.splice(0).map(({ user, job }) => ({ user, bytes: job() }));
  const topicIn = () => new MeetingWorkspace(room.doc, '').topics().map((t) => t.text);
  return { manager, report, topic, room, jobs, runJobs, stored, topicIn };
}

const frame = (update: Uint8Array) => encodeSyncPayload(SYNC_UPDATE, update);

describe('agenda check in the work queue', () => {
  it('does not copy the document inside the frame handler; refuses in the sender’s turn, and what followed is dropped', () => {
    const s = setup();
    const sam = peer(REPORT);
    s.room.join(sam.p);
    // A modified client deletes the manager's topic, then edits the notes.
    const deletion = updateOf(s.report.doc, () => s.report.doc.getMap('topics').delete(s.topic));
    const edit = updateOf(s.report.doc, () => s.report.doc.getText('notes').insert(0, 'after '));
    s.room.receive(sam.p, frame(deletion));
    s.room.receive(sam.p, frame(edit));
    // Nothing checked or applied yet: two jobs wait in Sam's turn, the doc is as it was.
    expect(s.jobs.map((j) => j.user)).toEqual([REPORT, REPORT]);
    expect(s.topicIn()).toEqual(['Promotion case']);
    expect(sam.closed).toEqual([]);
    const ran = s.runJobs();
    // The first job copied the document (charged its size) and refused; the edit behind it went too.
    expect(ran[0]!.bytes).toBeGreaterThan(200_000);
    expect(ran[1]!.bytes).toBe(0);
    expect(sam.closed).toEqual(['4422 only the author deletes a topic']);
    expect(s.topicIn()).toEqual(['Promotion case']);
    expect(s.room.doc.getText('notes').toString().startsWith('after ')).toBe(false);
    expect(s.stored).toHaveLength(0);
  });

  it('applies an allowed agenda change in its turn, and the sender’s later updates after it, in order', () => {
    const s = setup();
    const maya = peer(MANAGER);
    s.room.join(maya.p);
    const deletion = updateOf(s.manager.doc, () => s.manager.delete('topics', s.topic));
    const edit = updateOf(s.manager.doc, () => s.manager.doc.getText('notes').insert(0, 'after '));
    s.room.receive(maya.p, frame(deletion));
    s.room.receive(maya.p, frame(edit));
    expect(s.room.doc.getText('notes').toString().startsWith('after ')).toBe(false); // waits in line
    s.runJobs();
    expect(maya.closed).toEqual([]);
    expect(s.topicIn()).toEqual([]);
    expect(s.room.doc.getText('notes').toString().startsWith('after ')).toBe(true);
    expect(s.stored).toHaveLength(2);
    // With nothing waiting, an edit that cannot touch the agenda applies at once, no job.
    const more = updateOf(s.manager.doc, () => s.manager.doc.getText('notes').insert(0, 'now '));
    s.room.receive(maya.p, frame(more));
    expect(s.jobs).toHaveLength(0);
    expect(s.room.doc.getText('notes').toString().startsWith('now ')).toBe(true);
  });

  it('closes a sender that piles up updates behind a check instead of holding them without bound', () => {
    const s = setup();
    const sam = peer(REPORT);
    s.room.join(sam.p);
    s.room.receive(sam.p, frame(updateOf(s.report.doc, () => s.report.doc.getMap('topics').delete(s.topic))));
    expect(() => {
      for (let i = 0; i < 1000; i++)
        s.room.receive(sam.p, frame(updateOf(s.report.doc, () => s.report.doc.getText('notes').insert(0, 'y'))));
    }).toThrow('too many updates waiting for the agenda check');
  });
});
