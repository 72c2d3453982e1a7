// Calendar operations shared by every face: create, patch/replace, delete, respond, add an
// attendee, split a series ("this and following"). Faces translate their input to Google's
// shape first; the admin API calls these as "a person in the calendar's own UI".
import { ConflictError, ForbiddenError, GoneError, NotFoundError, ValidationError } from '../errors';
import { googleEventId, meetCode, opaqueToken } from '../ids';
import type { GAttendee, GConferenceData, GEvent, StoredEvent } from '../model';
import {
  countBefore,
  endRecurrenceBefore,
  followWeekday,
  formatEventTime,
  instanceSuffix,
  parseEventTime,
  parseRule,
  shiftTime,
  startMs,
  type EventTime,
} from '../recurrence';
import { cloneEvent, type Store } from '../store';
import { parseRfc3339, wallClock } from '../tz';
import { checkTimes, normalizeEventInput } from './validate';
import { calendarZone, findView, parseInstanceId, viewOfStored, type EventView } from './views';

export interface Actor {
  /** The signed-in user (faces) or the person acting in the admin API. */
  email?: string;
  /** Admin/scenario: may write read-only fields and act for the organizer. */
  trusted: boolean;
}

export interface WriteOptions {
  /** Google's conferenceDataVersion: conferenceData is only honoured when it is 1. */
  conferenceDataVersion?: number;
  /** Behave like the calendar UI: the organizer is listed as an accepted attendee. */
  uiLike?: boolean;
}

const now = (): string => new Date().toISOString();

export class CalendarOps {
  constructor(
    private readonly store: Store,
    private readonly horizonDays: () => number,
  ) {}

  horizonMs(): number {
    return Date.now() + this.horizonDays() * 86_400_000;
  }

  private calendarOrThrow(calendarId: string): { id: string; owner: string; timeZone: string } {
    const calendar = this.store.calendars.get(calendarId);
    if (!calendar) throw new NotFoundError(`calendar ${calendarId} not found`);
    return calendar;
  }

  private samePerson(a: string | undefined, b: string | undefined): boolean {
    if (!a || !b) return false;
    const pa = this.store.person(a);
    const pb = this.store.person(b);
    return pa && pb ? pa.email === pb.email : a.toLowerCase() === b.toLowerCase();
  }

  isOrganizer(event: StoredEvent, email: string | undefined): boolean {
    if (!email) return false;
    const owner = this.store.calendars.get(event.calendarId)?.owner;
    return this.samePerson(event.data.organizer?.email, email) || this.samePerson(owner, email);
  }

  create(calendarId: string, body: unknown, actor: Actor, options: WriteOptions = {}): StoredEvent {
    const calendar = this.calendarOrThrow(calendarId);
    const input = normalizeEventInput(body, { mode: 'insert', trusted: actor.trusted, calendarTz: calendar.timeZone });
    checkTimes(input, calendar.timeZone);
    const id = (input.id as string | undefined) ?? googleEventId();
    if (this.store.get(id)) throw new ConflictError(`The requested identifier already exists: ${id}`);
    const ownerPerson = this.store.person(calendar.owner);
    const organizer = input.organizer ?? { email: calendar.owner, ...(ownerPerson ? { displayName: ownerPerson.name } : {}) };
    const stamp = now();
    const { conferenceData: requestedConference, ...fields } = input;
    const data: GEvent = {
      ...fields,
      id,
      status: input.status ?? 'confirmed',
      created: input.created ?? stamp,
      updated: input.updated ?? stamp,
      organizer,
      creator: input.creator ?? (actor.email && !actor.trusted ? { email: actor.email } : { ...organizer }),
      iCalUID: input.iCalUID ?? `${id}@google.com`,
      sequence: input.sequence ?? 0,
      eventType: input.eventType ?? 'default',
      reminders: input.reminders ?? { useDefault: true },
    };
    data.attendees = this.decorateAttendees(data, options.uiLike === true);
    if (!data.attendees.length) delete data.attendees;
    this.applyConference(data, requestedConference, options.conferenceDataVersion ?? (actor.trusted ? 1 : 0), undefined);
    cleanExtendedProperties(data);
    if (data.recurringEventId) {
      const master = this.store.get(data.recurringEventId);
      if (!master || !master.data.recurrence?.length) {
        throw new ValidationError('recurringEventId', `recurringEventId ${data.recurringEventId} is not a recurring event`);
      }
      if (!data.originalStartTime) throw new ValidationError('originalStartTime', 'an exception needs originalStartTime');
      delete data.recurrence;
    }
    return this.store.save({ id, calendarId, data, seq: 0, purged: false, hiddenFor: [], graphPropertyIds: {} });
  }

  /** Organizer flag and self-consistency of the attendee list. */
  private decorateAttendees(data: GEvent, uiLike: boolean): GAttendee[] {
    const attendees = (data.attendees ?? []).map((a) => ({ ...a }));
    for (const a of attendees) {
      const person = this.store.person(a.email);
      if (person?.resource) a.resource = true;
      if (!a.displayName && person) a.displayName = person.name;
      if (this.samePerson(a.email, data.organizer?.email)) {
        a.organizer = true;
        a.responseStatus ??= 'accepted';
      }
      a.responseStatus ??= a.resource ? 'accepted' : 'needsAction';
    }
    if (uiLike && attendees.length > 0 && data.organizer?.email && !attendees.some((a) => a.organizer)) {
      attendees.unshift({
        email: data.organizer.email,
        ...(data.organizer.displayName ? { displayName: data.organizer.displayName } : {}),
        organizer: true,
        responseStatus: 'accepted',
      });
    }
    return attendees;
  }

  applyConference(data: GEvent, incoming: GConferenceData | null | undefined, version: number, previous: GConferenceData | undefined): void {
    if (version < 1 || incoming === undefined) return;
    if (incoming === null) {
      delete data.conferenceData;
      delete data.hangoutLink;
      return;
    }
    const request = incoming.createRequest;
    if (request && !(previous?.createRequest?.requestId === request.requestId && previous.entryPoints)) {
      if (typeof request.requestId !== 'string' || request.requestId === '') {
        throw new ValidationError('conferenceData.createRequest.requestId', 'conferenceData.createRequest.requestId is required');
      }
      const type = request.conferenceSolutionKey?.type ?? 'hangoutsMeet';
      if (type !== 'hangoutsMeet') {
        throw new ValidationError('conferenceData.createRequest.conferenceSolutionKey.type', `Invalid conference type value: ${type}`);
      }
      const code = meetCode();
      data.conferenceData = {
        createRequest: { requestId: request.requestId, conferenceSolutionKey: { type }, status: { statusCode: 'success' } },
        entryPoints: [{ entryPointType: 'video', uri: `https://meet.google.com/${code}`, label: `meet.google.com/${code}` }],
        conferenceSolution: {
          key: { type: 'hangoutsMeet' },
          name: 'Google Meet',
          iconUri: 'https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png',
        },
        conferenceId: code,
      };
      data.hangoutLink = `https://meet.google.com/${code}`;
      return;
    }
    if (!request) {
      data.conferenceData = incoming;
      const video = incoming.entryPoints?.find((e) => e.entryPointType === 'video');
      if (incoming.conferenceSolution?.key.type === 'hangoutsMeet' && video) data.hangoutLink = video.uri;
    }
  }

  /** A Teams meeting as the Graph face records it (Google calls such conferences add-ons). */
  static teamsConference(): GConferenceData {
    const thread = opaqueToken('', 18).replace(/[-_]/g, 'x');
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0?context=%7b%22Tid%22%3a%22sandbox%22%7d`;
    return {
      entryPoints: [{ entryPointType: 'video', uri: joinUrl, label: 'Join Microsoft Teams Meeting' }],
      conferenceSolution: { key: { type: 'addOn' }, name: 'Microsoft Teams Meeting' },
      conferenceId: thread.slice(0, 12),
    };
  }

  /** Materialises an occurrence as a stored exception so it can change on its own. */
  private materialize(view: EventView): StoredEvent {
    if (view.kind !== 'occurrence') return cloneEvent(view.stored);
    const master = view.stored;
    const data = structuredClone(view.data);
    return { id: view.id, calendarId: master.calendarId, data, seq: 0, purged: false, hiddenFor: [...master.hiddenFor], graphPropertyIds: { ...master.graphPropertyIds } };
  }

  private viewOrThrow(id: string, calendarId: string | undefined): EventView {
    const view = findView(this.store, id, calendarId);
    if (!view) throw new NotFoundError(`event ${id} not found`);
    return view;
  }

  /**
   * Patch (merge) or replace an event or a single instance. Non-organizers may only change
   * their own response, reminders and colour, as in Google Calendar.
   */
  patch(calendarId: string | undefined, id: string, body: unknown, actor: Actor, options: WriteOptions & { replace?: boolean } = {}): EventView {
    const view = this.viewOrThrow(id, calendarId);
    if (view.stored.purged && view.kind !== 'occurrence') throw new GoneError(`event ${id} was deleted`);
    const zone = calendarZone(this.store, calendarId ?? view.stored.calendarId);
    const input = normalizeEventInput(body, { mode: options.replace ? 'update' : 'patch', trusted: actor.trusted, calendarTz: zone });
    const organizerActs = actor.trusted || this.isOrganizer(view.stored, actor.email);
    const next = this.materialize(view);
    const before = next.data;

    if (!organizerActs) {
      const allowed = new Set(['attendees', 'reminders', 'colorId']);
      const extra = Object.keys(input).filter((k) => !allowed.has(k) && JSON.stringify((input as Record<string, unknown>)[k]) !== JSON.stringify((before as Record<string, unknown>)[k]));
      if (extra.length > 0) throw new ForbiddenError(`forbiddenForNonOrganizer: only the organizer can change ${extra.join(', ')}`);
      const mine = input.attendees?.find((a) => this.samePerson(a.email, actor.email));
      if (mine?.responseStatus) {
        const self = next.data.attendees?.find((a) => this.samePerson(a.email, actor.email));
        if (self) self.responseStatus = mine.responseStatus;
      }
      if (input.reminders) next.data.reminders = input.reminders;
      if (input.colorId !== undefined) next.data.colorId = input.colorId;
      next.data.updated = now();
      return this.saveView(next, zone);
    }

    let data: GEvent;
    if (options.replace) {
      const { conferenceData: _ignored, ...fields } = input;
      void _ignored;
      data = {
        ...fields,
        id: before.id,
        iCalUID: before.iCalUID,
        created: before.created,
        organizer: input.organizer ?? before.organizer,
        creator: before.creator,
        recurringEventId: before.recurringEventId,
        originalStartTime: before.originalStartTime,
        eventType: input.eventType ?? before.eventType ?? 'default',
        status: input.status ?? 'confirmed',
        sequence: before.sequence ?? 0,
        reminders: input.reminders ?? { useDefault: true },
      };
      if (!data.recurringEventId) delete data.recurringEventId;
      if (!data.originalStartTime) delete data.originalStartTime;
      // Conference data survives a replace unless the client sends conferenceData itself.
      if (before.conferenceData && options.conferenceDataVersion !== 1) {
        data.conferenceData = before.conferenceData;
        if (before.hangoutLink) data.hangoutLink = before.hangoutLink;
      }
    } else {
      data = { ...before };
      for (const [key, value] of Object.entries(input)) {
        if (key === 'extendedProperties') continue;
        if (key === 'conferenceData') continue;
        if (value === null) delete (data as Record<string, unknown>)[key];
        else (data as Record<string, unknown>)[key] = value;
      }
      if (input.extendedProperties) {
        const merged = structuredClone(before.extendedProperties ?? {});
        for (const bucket of ['private', 'shared'] as const) {
          const incoming = input.extendedProperties[bucket] as Record<string, string | null> | undefined;
          if (!incoming) continue;
          const target: Record<string, string> = { ...(merged[bucket] ?? {}) };
          for (const [k, v] of Object.entries(incoming)) {
            if (v === null) delete target[k];
            else target[k] = v;
          }
          merged[bucket] = target;
        }
        data.extendedProperties = merged;
      }
    }
    if (data.recurringEventId) delete data.recurrence;
    const times = checkTimes(data, zone);
    const oldTimes = checkTimes(before, zone);
    if (startMs(times.start, zone) !== startMs(oldTimes.start, zone) || startMs(times.end, zone) !== startMs(oldTimes.end, zone)) {
      data.sequence = (before.sequence ?? 0) + 1;
    }
    data.attendees = this.decorateAttendees(data, false);
    if (!data.attendees.length) delete data.attendees;
    this.applyConference(data, input.conferenceData, options.conferenceDataVersion ?? (actor.trusted ? 1 : 0), before.conferenceData);
    cleanExtendedProperties(data);
    data.updated = now();
    next.data = data;
    if (data.status !== 'cancelled') next.purged = false;
    return this.saveView(next, zone);
  }

  private saveView(next: StoredEvent, zone: string): EventView {
    return viewOfStored(this.store.save(next), zone);
  }

  /**
   * Delete as the actor sees it: the organizer cancels the event (or one instance); anyone
   * else removes it from their own calendar and declines.
   */
  remove(calendarId: string | undefined, id: string, actor: Actor): void {
    const view = this.viewOrThrow(id, calendarId);
    const organizerActs = actor.trusted || this.isOrganizer(view.stored, actor.email);
    if (view.kind !== 'occurrence' && view.stored.data.status === 'cancelled' && (view.stored.purged || view.kind === 'exception')) {
      throw new GoneError(`event ${id} was already deleted`);
    }
    const next = this.materialize(view);
    if (!organizerActs) {
      const person = this.store.person(actor.email);
      if (!person) throw new ForbiddenError('not an attendee');
      const self = next.data.attendees?.find((a) => this.samePerson(a.email, person.email));
      if (self) self.responseStatus = 'declined';
      if (!next.hiddenFor.includes(person.email)) next.hiddenFor.push(person.email);
      next.data.updated = now();
      this.store.save(next);
      return;
    }
    this.store.batch(() => {
      next.data.status = 'cancelled';
      next.data.updated = now();
      // A deleted single event or series is gone for good; a deleted instance is a
      // cancelled exception of its series.
      next.purged = view.kind === 'single' || view.kind === 'master';
      this.store.save(next);
      if (view.kind === 'master') {
        for (const ex of this.store.exceptionsOf(view.id)) {
          if (ex.data.status === 'cancelled' && ex.purged) continue;
          const gone = cloneEvent(ex);
          gone.data.status = 'cancelled';
          gone.purged = true;
          gone.data.updated = now();
          this.store.save(gone);
        }
      }
    });
  }

  /** Sets one attendee's response (the attendee answering in their own calendar). */
  respond(id: string, email: string, responseStatus: NonNullable<GAttendee['responseStatus']>, calendarId?: string): EventView {
    const view = this.viewOrThrow(id, calendarId);
    if (!view.data.attendees?.some((a) => this.samePerson(a.email, email))) {
      throw new ValidationError('email', `${email} is not an attendee of ${id}`);
    }
    const next = this.materialize(view);
    for (const a of next.data.attendees ?? []) if (this.samePerson(a.email, email)) a.responseStatus = responseStatus;
    next.data.updated = now();
    return this.saveView(next, calendarZone(this.store, next.calendarId));
  }

  addAttendee(id: string, attendee: GAttendee, calendarId?: string): EventView {
    const view = this.viewOrThrow(id, calendarId);
    if (view.data.attendees?.some((a) => this.samePerson(a.email, attendee.email))) {
      throw new ValidationError('email', `${attendee.email} is already an attendee of ${id}`);
    }
    const next = this.materialize(view);
    next.data.attendees = [...(next.data.attendees ?? []), { ...attendee }];
    next.data.attendees = this.decorateAttendees(next.data, false);
    next.data.updated = now();
    return this.saveView(next, calendarZone(this.store, next.calendarId));
  }

  /**
   * "This and following": the series ends before the chosen occurrence and a new series
   * starts there, carrying `changes` (new time, title, attendees...). Exceptions from that
   * point on are dropped, as Google does when the remainder of a series is rewritten.
   */
  split(masterId: string, from: string, changes: unknown, actor: Actor): { ended: EventView; created: EventView } {
    const master = this.store.get(masterId);
    if (!master || !master.data.recurrence?.length) throw new ValidationError('id', `${masterId} is not a recurring series`);
    if (master.data.status === 'cancelled') throw new GoneError(`series ${masterId} was deleted`);
    const zone = calendarZone(this.store, master.calendarId);
    const masterStart = parseEventTime(master.data.start, zone, 'start');
    const masterEnd = parseEventTime(master.data.end, zone, 'end');
    const original = this.resolveOriginal(master, from, zone, masterStart);
    const splitMs = startMs(original, zone);
    if (splitMs <= startMs(masterStart, zone)) throw new ValidationError('from', 'the split point must be after the first occurrence');

    const changeInput = changes === undefined ? {} : normalizeEventInput(changes, { mode: 'patch', trusted: actor.trusted, calendarTz: zone, fieldPrefix: 'changes.' });
    return this.store.batch(() => {
      const ended = cloneEvent(master);
      const rules = master.data.recurrence ?? [];
      const countRule = rules.find((l) => /^RRULE:.*COUNT=\d+/i.test(l));
      ended.data.recurrence = endRecurrenceBefore(rules, masterStart, splitMs, zone);
      ended.data.updated = now();
      this.store.save(ended);

      for (const ex of this.store.exceptionsOf(master.id)) {
        const exStart = ex.data.originalStartTime ? parseEventTime(ex.data.originalStartTime, zone, 'originalStartTime') : undefined;
        if (!exStart || startMs(exStart, zone) < splitMs || (ex.purged && ex.data.status === 'cancelled')) continue;
        const gone = cloneEvent(ex);
        gone.data.status = 'cancelled';
        gone.purged = true;
        gone.data.updated = now();
        this.store.save(gone);
      }

      const duration = startMs(masterEnd, zone) - startMs(masterStart, zone);
      const days = Math.round(duration / 86_400_000);
      const newId = `${master.id}_R${original.allDay ? original.date.replace(/-/g, '') : localCompact(original)}`;
      let remaining = rules;
      if (countRule) {
        const used = countBefore(masterStart, rules, splitMs, zone);
        const total = Number(parseRule(countRule).options.count ?? 0);
        remaining = rules.map((l) => (l === countRule ? l.replace(/COUNT=\d+/i, `COUNT=${Math.max(total - used, 1)}`) : l));
      }
      const data: GEvent = {
        ...structuredClone(master.data),
        id: newId,
        iCalUID: `${newId}@google.com`,
        start: formatEventTime(original),
        end: formatEventTime(shiftTime(original, duration, days)),
        recurrence: remaining,
        created: now(),
        updated: now(),
        sequence: 0,
      };
      for (const [key, value] of Object.entries(changeInput)) {
        if (value === null) delete (data as Record<string, unknown>)[key];
        else (data as Record<string, unknown>)[key] = value;
      }
      const moved = checkTimes(data, zone, 'changes.');
      // a rule given in `changes` is taken as written
      if (data.recurrence && !('recurrence' in changeInput)) data.recurrence = followWeekday(data.recurrence, original, moved.start, zone);
      data.attendees = this.decorateAttendees(data, false);
      if (!data.attendees.length) delete data.attendees;
      const created = this.store.save({
        id: newId,
        calendarId: master.calendarId,
        data,
        seq: 0,
        purged: false,
        hiddenFor: [...master.hiddenFor],
        graphPropertyIds: { ...master.graphPropertyIds },
      });
      return { ended: viewOfStored(this.store.get(master.id) as StoredEvent, zone), created: viewOfStored(created, zone) };
    });
  }

  private resolveOriginal(master: StoredEvent, from: string, zone: string, masterStart: EventTime): EventTime {
    const parsed = parseInstanceId(from);
    if (parsed) {
      if (parsed.masterId !== master.id) throw new ValidationError('from', `${from} is not an instance of ${master.id}`);
      const view = findView(this.store, from, undefined);
      if (!view?.originalStart) throw new ValidationError('from', `${from} is not an occurrence of ${master.id}`);
      return view.originalStart;
    }
    if (masterStart.allDay && /^\d{4}-\d{2}-\d{2}$/.test(from)) return { allDay: true, date: from };
    const ms = parseRfc3339(from);
    if (Number.isNaN(ms)) throw new ValidationError('from', 'from must be an instance id or the RFC 3339 start of an occurrence');
    const candidate: EventTime = masterStart.allDay ? { allDay: true, date: new Date(ms).toISOString().slice(0, 10) } : { allDay: false, ms, tz: masterStart.tz };
    const view = findView(this.store, `${master.id}_${instanceSuffix(candidate)}`, undefined);
    if (!view?.originalStart) throw new ValidationError('from', `no occurrence of ${master.id} starts at ${from}`);
    return view.originalStart;
  }
}

/** Google's split-series id suffix is the occurrence's local wall time: 20240506T100000. */
function localCompact(t: EventTime & { allDay: false }): string {
  const w = wallClock(t.ms, t.tz);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${w.year}${p(w.month)}${p(w.day)}T${p(w.hour)}${p(w.minute)}${p(w.second)}`;
}

function cleanExtendedProperties(data: GEvent): void {
  const ep = data.extendedProperties;
  if (!ep) return;
  for (const bucket of ['private', 'shared'] as const) {
    const values = ep[bucket] as Record<string, string | null> | undefined;
    if (!values) continue;
    for (const [k, v] of Object.entries(values)) if (v === null) delete values[k];
    if (Object.keys(values).length === 0) delete ep[bucket];
  }
  if (!ep.private && !ep.shared) delete data.extendedProperties;
}

