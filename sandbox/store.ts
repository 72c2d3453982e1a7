// The one event store behind both faces: people, calendars and events (Google-shaped), with a
// change feed. Every mutation bumps a global sequence number; etags, sync tokens and delta
// links are all derived from it, and push notifications are driven by the change feed.
import type { Calendar, Person, StoredEvent } from './model';

export type Presence = Map<string, 'confirmed' | 'cancelled'>;

export interface StoreChange {
  eventId: string;
  /** Calendars the event was in before the change, with its status there. */
  before: Presence;
  after: Presence;
  /** The event as stored after the change. */
  event: StoredEvent;
}

type Listener = (changes: StoreChange[]) => void;

export class Store {
  seq = 0;
  /** Who signs in by default. */
  me: string | undefined;
  readonly people = new Map<string, Person>();
  private readonly emailIndex = new Map<string, Person>();
  readonly calendars = new Map<string, Calendar>();
  readonly events = new Map<string, StoredEvent>();
  private readonly listeners = new Set<Listener>();
  private batchChanges: StoreChange[] | undefined;

  clear(): void {
    this.people.clear();
    this.emailIndex.clear();
    this.calendars.clear();
    this.events.clear();
    this.me = undefined;
    // seq keeps counting so that tokens issued before a reset never match new state.
  }

  addPerson(person: Person): void {
    this.people.set(person.email.toLowerCase(), person);
    this.emailIndex.set(person.email.toLowerCase(), person);
    for (const alias of person.aliases) this.emailIndex.set(alias.toLowerCase(), person);
  }

  addCalendar(calendar: Calendar): void {
    this.calendars.set(calendar.id, calendar);
  }

  /** A person by primary address or alias, case-insensitively. */
  person(email: string | undefined): Person | undefined {
    return email ? this.emailIndex.get(email.toLowerCase()) : undefined;
  }

  primaryCalendarOf(email: string): Calendar | undefined {
    const person = this.person(email);
    if (!person) return undefined;
    for (const c of this.calendars.values()) if (c.primary && c.owner === person.email) return c;
    return undefined;
  }

  calendarsOwnedBy(email: string): Calendar[] {
    const person = this.person(email);
    if (!person) return [];
    return [...this.calendars.values()].filter((c) => c.owner === person.email);
  }

  /** Calendars an event appears in (its home calendar and its people's primary calendars). */
  presence(event: StoredEvent): Presence {
    const status = event.data.status === 'cancelled' ? 'cancelled' : 'confirmed';
    const out: Presence = new Map([[event.calendarId, status]]);
    // The home calendar's owner sees it there only (an event on a secondary calendar does not
    // also appear on the owner's primary one).
    const homeOwner = this.calendars.get(event.calendarId)?.owner;
    const emails = [event.data.organizer?.email, ...(event.data.attendees ?? []).map((a) => a.email)];
    for (const email of emails) {
      const person = this.person(email);
      if (!person || person.resource || person.email === homeOwner) continue;
      if (event.hiddenFor.includes(person.email)) continue;
      const calendar = this.primaryCalendarOf(person.email);
      if (calendar) out.set(calendar.id, status);
    }
    return out;
  }

  isIn(event: StoredEvent, calendarId: string): boolean {
    return this.presence(event).has(calendarId);
  }

  eventsIn(calendarId: string): StoredEvent[] {
    return [...this.events.values()].filter((e) => this.isIn(e, calendarId));
  }

  exceptionsOf(masterId: string): StoredEvent[] {
    return [...this.events.values()].filter((e) => e.data.recurringEventId === masterId);
  }

  get(id: string): StoredEvent | undefined {
    return this.events.get(id);
  }

  /** Stores a new version of an event (new or replacing), stamping seq and recording the change. */
  save(next: StoredEvent): StoredEvent {
    const previous = this.events.get(next.id);
    const before: Presence = previous ? this.presence(previous) : new Map();
    next.seq = ++this.seq;
    this.events.set(next.id, next);
    const change: StoreChange = { eventId: next.id, before, after: this.presence(next), event: next };
    if (this.batchChanges) this.batchChanges.push(change);
    else this.emit([change]);
    return next;
  }

  /** Runs several saves as one change notification (e.g. a series split). */
  batch<T>(fn: () => T): T {
    if (this.batchChanges) return fn();
    this.batchChanges = [];
    try {
      return fn();
    } finally {
      const changes = this.batchChanges;
      this.batchChanges = undefined;
      if (changes.length > 0) this.emit(changes);
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(changes: StoreChange[]): void {
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (error) {
        console.error('sandbox: change listener failed', error);
      }
    }
  }
}

/** A deep copy for copy-on-write updates (so `before` snapshots stay intact). */
export function cloneEvent(event: StoredEvent): StoredEvent {
  return structuredClone(event);
}
