// The fields sync needs (provider, account, iCalendar UID, etag/changeKey, original start, Duet's
// tag, the video link, the location), tombstones for removals, and hostile payloads: what the
// normalizers hand the bridge must always pass its schema, and never carries a description.
import { describe, expect, it } from 'vitest';
import {
  DUET_MEETING_ID_PROPERTY,
  GRAPH_DUET_MEETING_ID_PROPERTY_ID,
  normalizeGoogleChange,
  normalizeGoogleChanges,
  normalizeGraphChange,
  normalizeGraphChanges,
  videoUrlInText,
  type GoogleEvent,
  type GraphEvent,
} from '../../../src-shared/calendar';
import { calendarChangeSchema } from '../../../src-shared/calendar/change-schema';
import { MAYA, SAM } from './helpers';

const gcal = { calendarId: MAYA, primary: true, accountId: 'acct-g1' };
const mcal = { calendarId: 'primary', primary: true, accountId: 'acct-m1', ownerEmail: MAYA };

const googleItem = (over: Partial<GoogleEvent> = {}): GoogleEvent => ({
  id: 'g1',
  status: 'confirmed',
  summary: 'Maya / Sam',
  start: { dateTime: '2024-03-07T10:00:00-05:00', timeZone: 'America/New_York' },
  end: { dateTime: '2024-03-07T10:30:00-05:00', timeZone: 'America/New_York' },
  organizer: { email: MAYA },
  attendees: [{ email: MAYA, responseStatus: 'accepted' }, { email: SAM, responseStatus: 'accepted' }],
  ...over,
});

const graphItem = (over: Partial<GraphEvent> = {}): GraphEvent => ({
  id: 'AAMk-1',
  subject: 'Maya / Sam',
  start: { dateTime: '2024-03-07T15:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2024-03-07T15:30:00.0000000', timeZone: 'UTC' },
  type: 'singleInstance',
  organizer: { emailAddress: { address: MAYA } },
  attendees: [{ type: 'required', status: { response: 'accepted' }, emailAddress: { address: SAM } }],
  ...over,
});

describe('Google: sync fields', () => {
  it('fills provider, account, UID, etag, Duet tag, Meet link and location; never the description', () => {
    const raw = {
      ...googleItem({
        iCalUID: 'g1@google.com',
        etag: '"3181161784712000"',
        hangoutLink: 'https://meet.google.com/abc-defg-hij',
        location: 'NYC-5-Huddle',
        extendedProperties: { private: { [DUET_MEETING_ID_PROPERTY]: 'm-42' } },
      }),
      description: 'Salary review: confidential',
    } as GoogleEvent;
    const ev = normalizeGoogleChange(raw, gcal);
    expect(ev).toMatchObject({
      provider: 'google',
      accountId: 'acct-g1',
      iCalUID: 'g1@google.com',
      etag: '"3181161784712000"',
      duetMeetingId: 'm-42',
      joinUrl: 'https://meet.google.com/abc-defg-hij',
      location: 'NYC-5-Huddle',
    });
    expect(JSON.stringify(ev)).not.toContain('confidential');
  });

  it('takes a video entry point of conferenceData, else a Zoom link written in the location', () => {
    const conf = normalizeGoogleChange(
      googleItem({ conferenceData: { entryPoints: [{ entryPointType: 'phone', uri: 'tel:+1-555' }, { entryPointType: 'video', uri: 'https://meet.google.com/xyz-abcd-efg' }] } }),
      gcal,
    );
    expect(conf).toMatchObject({ joinUrl: 'https://meet.google.com/xyz-abcd-efg' });
    const zoom = normalizeGoogleChange(googleItem({ location: 'Zoom: https://acme.zoom.us/j/123456789?pwd=abc, room 4' }), gcal);
    expect(zoom).toMatchObject({ joinUrl: 'https://acme.zoom.us/j/123456789?pwd=abc', location: 'Zoom: https://acme.zoom.us/j/123456789?pwd=abc, room 4' });
  });

  it('keeps the event’s page (htmlLink) for "Open in calendar", only as https', () => {
    const page = 'https://www.google.com/calendar/event?eid=YWJjIG1heWE';
    expect(normalizeGoogleChange(googleItem({ htmlLink: page }), gcal)).toMatchObject({ webLink: page });
    for (const bad of ['javascript:alert(1)', 'http://www.google.com/calendar/event?eid=x', 'https://u:p@evil.example/', 'not a url']) {
      expect(normalizeGoogleChange(googleItem({ htmlLink: bad }), gcal)).not.toHaveProperty('webLink');
    }
    expect(normalizeGoogleChange(googleItem({ htmlLink: `https://x.example/${'a'.repeat(2100)}` }), gcal)).not.toHaveProperty('webLink');
  });

  it('ignores a shared (attendee-writable) Duet property: only the private one marks an event as Duet\'s', () => {
    const ev = normalizeGoogleChange(googleItem({ extendedProperties: { shared: { [DUET_MEETING_ID_PROPERTY]: 'm-evil' } } }), gcal);
    expect(ev).not.toHaveProperty('duetMeetingId');
  });

  it('keeps the original start of a moved instance', () => {
    const ev = normalizeGoogleChange(
      googleItem({ id: 'ser_20240311T140000Z', recurringEventId: 'ser', originalStartTime: { dateTime: '2024-03-11T10:00:00-04:00' }, iCalUID: 'ser@google.com' }),
      gcal,
    );
    expect(ev).toMatchObject({ recurringEventId: 'ser', originalStart: '2024-03-11T10:00:00-04:00', iCalUID: 'ser@google.com' });
  });

  it('turns a deletion stub {id, status: cancelled} into a tombstone, and a cancelled instance into a cancelled event', () => {
    expect(normalizeGoogleChange({ id: 'gone1', status: 'cancelled' }, gcal)).toEqual({
      id: 'gone1',
      calendarId: MAYA,
      removed: true,
      provider: 'google',
      accountId: 'acct-g1',
    });
    const slot = normalizeGoogleChange({ id: 'ser_x', status: 'cancelled', recurringEventId: 'ser', originalStartTime: { dateTime: '2024-03-25T10:00:00-04:00' } }, gcal);
    expect(slot).toMatchObject({ status: 'cancelled', start: '2024-03-25T10:00:00-04:00' });
    expect(slot).not.toHaveProperty('removed');
  });

  it('skips items without an id or without any time, and a page keeps the rest in order', () => {
    const out = normalizeGoogleChanges({ items: [{ status: 'confirmed' }, googleItem({ id: 'a' }), { id: 'b', status: 'confirmed' }, { id: 'c', status: 'cancelled' }] }, gcal);
    expect(out.map((c) => c.id)).toEqual(['a', 'c']);
  });
});

describe('Graph: sync fields', () => {
  it('fills provider, account, UID (uid over iCalUId), changeKey, Duet tag, Teams link and location; never the body', () => {
    const raw = {
      ...graphItem({
        iCalUId: '040000008200E0-occ',
        uid: '040000008200E0',
        changeKey: 'DwAAABYAAAB0',
        '@odata.etag': 'W/"DwAAABYAAAB0"',
        location: { displayName: 'Room 4' },
        onlineMeeting: { joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0' },
        singleValueExtendedProperties: [
          { id: 'String {00020329-0000-0000-C000-000000000046} Name other', value: 'x' },
          { id: GRAPH_DUET_MEETING_ID_PROPERTY_ID.toUpperCase(), value: 'm-7' },
        ],
      }),
      body: { contentType: 'html', content: '<p>confidential agenda</p>' },
      bodyPreview: 'confidential agenda',
    } as GraphEvent;
    const ev = normalizeGraphChange(raw, mcal);
    expect(ev).toMatchObject({
      provider: 'microsoft',
      accountId: 'acct-m1',
      iCalUID: '040000008200E0',
      etag: 'DwAAABYAAAB0',
      duetMeetingId: 'm-7',
      joinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0',
      location: 'Room 4',
    });
    expect(JSON.stringify(ev)).not.toContain('confidential');
  });

  it('keeps the event’s page (webLink) for "Open in calendar", only as https', () => {
    const page = 'https://outlook.office365.com/owa/?itemid=AAMk%3D&exvsurl=1&path=/calendar/item';
    expect(normalizeGraphChange(graphItem({ webLink: page }), mcal)).toMatchObject({ webLink: page });
    expect(normalizeGraphChange(graphItem({ webLink: 'data:text/html,hi' }), mcal)).not.toHaveProperty('webLink');
  });

  it('finds a Meet or Zoom link in the location when there is no online meeting; ignores look-alike hosts', () => {
    expect(normalizeGraphChange(graphItem({ location: { displayName: 'https://meet.google.com/abc-defg-hij' } }), mcal)).toMatchObject({
      joinUrl: 'https://meet.google.com/abc-defg-hij',
    });
    const fake = normalizeGraphChange(graphItem({ location: { displayName: 'https://zoom.us.evil.example/j/1 or http://acme.zoom.us/j/2' } }), mcal);
    expect(fake).not.toHaveProperty('joinUrl');
  });

  it('keeps the original start of an occurrence in UTC', () => {
    const ev = normalizeGraphChange(graphItem({ type: 'exception', seriesMasterId: 'AAMk-master', originalStart: '2024-03-11T14:00:00Z' }), mcal);
    expect(ev).toMatchObject({ recurringEventId: 'AAMk-master', originalStart: '2024-03-11T14:00:00Z' });
  });

  it('turns an @removed delta entry into a tombstone', () => {
    expect(normalizeGraphChange({ id: 'AAMk-gone', '@removed': { reason: 'deleted' } }, mcal)).toEqual({
      id: 'AAMk-gone',
      calendarId: 'primary',
      removed: true,
      provider: 'microsoft',
      accountId: 'acct-m1',
    });
    expect(normalizeGraphChanges({ value: [{ '@removed': { reason: 'deleted' } }, graphItem({ id: 'x' })] }, mcal).map((c) => c.id)).toEqual(['x']);
  });
});

describe('hostile payloads still give valid bridge changes', () => {
  const huge = 'x'.repeat(50_000);
  it('cuts long titles and locations, drops oversized optional values and impossible addresses', () => {
    const g = normalizeGoogleChange(
      googleItem({
        summary: huge,
        location: `https://meet.google.com/${huge}`,
        iCalUID: huge,
        etag: huge,
        extendedProperties: { private: { [DUET_MEETING_ID_PROPERTY]: huge } },
        attendees: [
          { email: `${huge}@example.com` },
          ...Array.from({ length: 1500 }, (_, i) => ({ email: `guest${i}@example.com` })),
        ],
      }),
      gcal,
    );
    expect(g).toBeDefined();
    expect(calendarChangeSchema.safeParse(g).success).toBe(true);
    expect(g).not.toHaveProperty('iCalUID');
    expect(g).not.toHaveProperty('duetMeetingId');
    expect(g).not.toHaveProperty('joinUrl');
    expect(g && 'title' in g ? g.title.length : 0).toBe(2000);
    const m = normalizeGraphChange(graphItem({ subject: huge, location: { displayName: huge }, changeKey: huge, uid: huge }), mcal);
    expect(calendarChangeSchema.safeParse(m).success).toBe(true);
  });

  it('skips an event whose id or recurrence is too big to carry rather than misreading it', () => {
    expect(normalizeGoogleChange(googleItem({ id: huge }), gcal)).toBeUndefined();
    expect(normalizeGoogleChange({ id: huge, status: 'cancelled' }, gcal)).toBeUndefined();
    expect(normalizeGraphChange({ id: huge, '@removed': {} }, mcal)).toBeUndefined();
    expect(normalizeGoogleChange(googleItem({ recurrence: [`RRULE:FREQ=WEEKLY;${huge}`] }), gcal)).toBeUndefined();
  });

  it('takes only https links on known video hosts from free text', () => {
    expect(videoUrlInText('join at https://teams.live.com/meet/9312 now')).toBe('https://teams.live.com/meet/9312');
    expect(videoUrlInText('https://user:pw@meet.google.com/abc')).toBeUndefined();
    expect(videoUrlInText('javascript:alert(1) https://example.com/zoom.us')).toBeUndefined();
    expect(videoUrlInText(undefined)).toBeUndefined();
  });
});
