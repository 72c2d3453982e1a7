// Who is in a meeting and where they are typing (docs/architecture.md §5), over y-protocols
// awareness carried by the meeting's own connection. Each app publishes `user` (name, email and a
// colour: what the notes editor's caret extension draws) and `where` (the part of the page it is
// typing in). Awareness is not stored by the server, and a peer's state may hold anything: it is
// read defensively and never trusted for anything but this display.
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

/** The parts of the meeting page a person can be typing in. */
export const PLACES = ['Agenda', 'Action items', 'Shared notes'] as const;
export type Place = (typeof PLACES)[number];

export interface PresenceUser {
  name: string;
  email: string;
  color: string;
}
export interface Peer extends PresenceUser {
  /** Where they are typing, or null when they are only looking. */
  where: Place | null;
}

// Readable on the light theme, distinct for two people.
const COLORS = ['#b4530a', '#1d6fb8', '#7a3db8', '#0f7a55', '#b8325f', '#5a6b0f'];
const MAX_NAME = 80;

/** A colour per email, the same in both apps, so each person keeps theirs on both screens. */
export function colorOf(email: string): string {
  let h = 0;
  for (const ch of email.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLORS[h % COLORS.length]!;
}

export function presenceUser(email: string, name?: string): PresenceUser {
  const e = email.trim().toLowerCase();
  const shown = (name?.trim() || e.split('@')[0] || 'Someone').slice(0, MAX_NAME);
  return { name: shown, email: e, color: colorOf(e) };
}

const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');

/** One peer's state as shown, or null when it carries no usable identity. */
export function readPeer(state: unknown): Peer | null {
  if (!state || typeof state !== 'object') return null;
  const { user, where } = state as { user?: unknown; where?: unknown };
  if (!user || typeof user !== 'object') return null;
  const u = user as Record<string, unknown>;
  const email = str(u.email, 320).toLowerCase();
  if (!email) return null;
  const name = str(u.name, MAX_NAME) || email;
  // A colour goes into CSS: only #rgb/#rrggbb, otherwise the email's own.
  const color =
    typeof u.color === 'string' && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(u.color) ? u.color : colorOf(email);
  const place = PLACES.find((p) => p === where) ?? null;
  return { name, email, color, where: place };
}

export class Presence {
  readonly awareness: Awareness;

  constructor(doc: Y.Doc, user: PresenceUser) {
    this.awareness = new Awareness(doc);
    this.awareness.setLocalState({ user, where: null });
  }

  /**
   * Announces `user`, typing nowhere yet: what a page does when it opens over a presence kept from
   * an earlier visit (its last `where` is stale, and a previous identity may have signed out).
   */
  join(user: PresenceUser): void {
    this.awareness.setLocalState({ user, where: null });
  }

  setUser(user: PresenceUser): void {
    this.awareness.setLocalStateField('user', user);
  }

  /** Where this person is typing now (null: nowhere). Written only when it changes. */
  setWhere(where: Place | null): void {
    if (this.awareness.getLocalState()?.where === where) return;
    this.awareness.setLocalStateField('where', where);
  }

  /**
   * Everyone else here, one entry per person (the same person in two windows shows once, typing
   * wherever either window is), in a stable order.
   */
  peers(): Peer[] {
    const me = readPeer(this.awareness.getLocalState())?.email ?? '';
    const byEmail = new Map<string, Peer>();
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue;
      const peer = readPeer(state);
      if (!peer || peer.email === me) continue;
      const seen = byEmail.get(peer.email);
      if (!seen || (!seen.where && peer.where)) byEmail.set(peer.email, peer);
    }
    return [...byEmail.values()].sort((a, b) => (a.email < b.email ? -1 : 1));
  }

  /** Calls `listener` whenever anyone's presence changes; returns the unsubscribe. */
  observe(listener: () => void): () => void {
    const on = () => listener();
    this.awareness.on('change', on);
    return () => this.awareness.off('change', on);
  }

  destroy(): void {
    this.awareness.destroy();
  }
}
