// Presence over two real awareness instances exchanging updates as two apps do through the sync
// server: names, colours and places arrive; the same person twice shows once; hostile states are
// read safely.
import { describe, expect, it } from 'vitest';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Presence, colorOf, presenceUser, readPeer } from '../../../../src-shared/workspace/presence';

function wire(from: Presence, to: Presence) {
  from.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>) => {
    const changed = [...added!, ...updated!, ...removed!];
    applyAwarenessUpdate(to.awareness, encodeAwarenessUpdate(from.awareness, changed), 'peer');
  });
  // What is already there, as a connection's first message carries it.
  applyAwarenessUpdate(
    to.awareness,
    encodeAwarenessUpdate(from.awareness, [from.awareness.clientID]),
    'peer',
  );
}

describe('Presence', () => {
  it('shows the other person, where they type, once per person', () => {
    const maya = new Presence(new Y.Doc(), presenceUser('Maya@Example.com', 'Maya'));
    const rae = new Presence(new Y.Doc(), presenceUser('rae@example.com'));
    const raeAgain = new Presence(new Y.Doc(), presenceUser('rae@example.com'));
    wire(rae, maya);
    wire(raeAgain, maya);
    wire(maya, rae);
    expect(maya.peers()).toEqual([
      { name: 'rae', email: 'rae@example.com', color: colorOf('rae@example.com'), where: null },
    ]);
    expect(rae.peers().map((p) => p.email)).toEqual(['maya@example.com']);
    raeAgain.setWhere('Agenda');
    expect(maya.peers()).toHaveLength(1);
    expect(maya.peers()[0]!.where).toBe('Agenda');
    raeAgain.setWhere(null);
    expect(maya.peers()[0]!.where).toBeNull();
    for (const p of [maya, rae, raeAgain]) p.destroy();
  });

  it('gives each email one colour, the same in both apps', () => {
    expect(colorOf('a@example.com')).toBe(colorOf('A@EXAMPLE.COM'));
    expect(colorOf('a@example.com')).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('reads hostile states safely', () => {
    expect(readPeer(null)).toBeNull();
    expect(readPeer('x')).toBeNull();
    expect(readPeer({ user: 'x' })).toBeNull();
    expect(readPeer({ user: { name: 'No email' } })).toBeNull();
    const peer = readPeer({
      user: { name: 'x'.repeat(10_000), email: 'E@x.com', color: 'red;background:url(//evil)' },
      where: '<script>',
    });
    expect(peer).toEqual({ name: 'x'.repeat(80), email: 'e@x.com', color: colorOf('e@x.com'), where: null });
    expect(readPeer({ user: { email: 'e@x.com', color: '#abc', name: 7 } })).toMatchObject({
      name: 'e@x.com',
      color: '#abc',
    });
  });
});

describe('a presence kept between visits', () => {
  it('joins again as the current user, typing nowhere, even after its state was cleared', () => {
    const maya = new Presence(new Y.Doc(), presenceUser('me'));
    const sam = new Presence(new Y.Doc(), presenceUser('sam@x.test', 'Sam'));
    wire(maya, sam);
    maya.setWhere('Shared notes');
    maya.awareness.setLocalState(null);
    maya.join(presenceUser('maya@x.test', 'Maya'));
    expect(sam.peers()).toEqual([{ ...presenceUser('maya@x.test', 'Maya'), where: null }]);
    maya.destroy();
    sam.destroy();
  });
});
