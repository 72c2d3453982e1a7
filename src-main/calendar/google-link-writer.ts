// The Duet link on imported events, Google face (link-writer.ts; docs/architecture.md §6, "Links on
// imported events"): one events.patch per event, conditional on the etag read (If-Match), that
// appends the link line to the description and sets the tag (`duetMeetingId`) and the option's
// mark (`duetLinkAdded`) as private extended properties; removal patches the description back and
// sets both properties to null, which is how Calendar deletes a property.
import type { calendar_v3 } from '@googleapis/calendar';
import { DUET_LINK_ADDED_PROPERTY, DUET_MEETING_ID_PROPERTY } from '../../src-shared/calendar/duet-tag';
import { addDuetLink, removeDuetLink } from '../../src-shared/calendar/duet-link-block';
import { googleError } from './google-provider';
import { readModifyWrite, type AddedLink, type LinkWriter } from './link-writer';
import { googleCalendarClient, type TokenSource } from './sdk-clients';

export interface GoogleLinkWriterOptions {
  rootUrl: string;
  accessToken: TokenSource;
  /** The account's address: the organizer Duet writes for. */
  ownerEmail: string;
  ca?: string;
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw googleError(err);
  }
}

export function createGoogleLinkWriter(options: GoogleLinkWriterOptions): LinkWriter {
  const api = async () =>
    googleCalendarClient(options.rootUrl, await options.accessToken(), {
      retry: false,
      ...(options.ca ? { ca: options.ca } : {}),
    });
  const owner = options.ownerEmail.toLowerCase();
  const read = async (calendarId: string, eventId: string) => {
    const cal = await api();
    const { data } = await call(() => cal.events.get({ calendarId, eventId }));
    return data;
  };
  const props = (e: calendar_v3.Schema$Event) => e.extendedProperties?.private ?? {};
  const patch = async (calendarId: string, eventId: string, etag: string, body: calendar_v3.Schema$Event) => {
    const cal = await api();
    // sendUpdates 'none': a line in the description is not worth an email to every guest.
    await call(() =>
      cal.events.patch(
        { calendarId, eventId, sendUpdates: 'none', requestBody: body },
        { headers: { 'If-Match': etag } },
      ),
    );
  };

  return {
    add: (target) =>
      readModifyWrite(target.eventId, async () => {
        const e = await read(target.calendarId, target.eventId);
        const title = e.summary ?? '';
        if (e.status === 'cancelled') return { kind: 'skipped', reason: 'cancelled', title };
        const organizer = e.organizer?.self === true || (e.organizer?.email ?? '').toLowerCase() === owner;
        if (!organizer) return { kind: 'skipped', reason: 'not-organizer', title };
        const p = props(e);
        if (p[DUET_LINK_ADDED_PROPERTY]) return { kind: 'skipped', reason: 'already-added', title };
        if (p[DUET_MEETING_ID_PROPERTY]) return { kind: 'skipped', reason: 'duet-event', title };
        await patch(target.calendarId, target.eventId, e.etag ?? '*', {
          description: addDuetLink('text', e.description, target.meetingId),
          extendedProperties: {
            private: { [DUET_MEETING_ID_PROPERTY]: target.meetingId, [DUET_LINK_ADDED_PROPERTY]: '1' },
          },
        });
        return { kind: 'added', title };
      }),

    remove: (calendarId, eventId) =>
      readModifyWrite(eventId, async () => {
        const e = await read(calendarId, eventId);
        const title = e.summary ?? '';
        const p = props(e);
        const meetingId = p[DUET_MEETING_ID_PROPERTY];
        if (!p[DUET_LINK_ADDED_PROPERTY]) return { kind: 'skipped', reason: 'not-added', title };
        const removal = meetingId
          ? removeDuetLink('text', e.description, meetingId)
          : { body: e.description ?? '', found: 'absent' as const };
        // Calendar deletes an extended property set to null in a patch; the SDK's type says string.
        const cleared = { [DUET_MEETING_ID_PROPERTY]: null, [DUET_LINK_ADDED_PROPERTY]: null } as unknown as Record<
          string,
          string
        >;
        await patch(calendarId, eventId, e.etag ?? '*', {
          ...(removal.found !== 'absent'
            ? { description: removal.body === '' ? (null as unknown as string) : removal.body }
            : {}),
          extendedProperties: { private: cleared },
        });
        return { kind: 'removed', title, link: removal.found };
      }),

    async listAdded(calendarId) {
      const cal = await api();
      const out: AddedLink[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await call(() =>
          cal.events.list({
            calendarId,
            privateExtendedProperty: [`${DUET_LINK_ADDED_PROPERTY}=1`],
            singleEvents: false,
            maxResults: 250,
            ...(pageToken ? { pageToken } : {}),
          }),
        );
        for (const e of data.items ?? []) {
          if (!e.id || e.status === 'cancelled') continue;
          out.push({
            calendarId,
            eventId: e.id,
            meetingId: props(e)[DUET_MEETING_ID_PROPERTY] ?? '',
            title: e.summary ?? '',
          });
        }
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return out;
    },
  };
}
