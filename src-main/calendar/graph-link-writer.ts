// The Duet link on imported events, Microsoft face (link-writer.ts; docs/architecture.md §6, "Links
// on imported events"): one PATCH per event, conditional on the @odata.etag read (If-Match), that
// puts the link in a paragraph of its own in the HTML body and sets the tag (`duetMeetingId`) and
// the option's mark (`duetLinkAdded`) as single-value extended properties. Graph has no call that
// deletes a single-value extended property from an event, so removal sets both to "": every reader
// in Duet (the normalizer, the providers' tag check, this writer's list) reads "" as no tag.
import type { GraphRequest } from '@microsoft/microsoft-graph-client';
import { RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import {
  GRAPH_DUET_LINK_ADDED_PROPERTY_ID,
  GRAPH_DUET_MEETING_ID_PROPERTY_ID,
} from '../../src-shared/calendar/duet-tag';
import { addDuetLink, removeDuetLink } from '../../src-shared/calendar/duet-link-block';
import { graphError } from './graph-provider';
import { readModifyWrite, type AddedLink, type LinkWriter } from './link-writer';
import { graphSdkClient, type TokenSource } from './sdk-clients';

export interface GraphLinkWriterOptions {
  graphBaseUrl: string;
  accessToken: TokenSource;
  ca?: string;
}

interface GraphItem {
  '@odata.etag'?: string;
  id?: string;
  subject?: string | null;
  isOrganizer?: boolean;
  isCancelled?: boolean;
  body?: { contentType?: string; content?: string | null } | null;
  singleValueExtendedProperties?: Array<{ id: string; value: string }>;
}

interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw graphError(err);
  }
}

const BOTH = `singleValueExtendedProperties($filter=id eq '${GRAPH_DUET_MEETING_ID_PROPERTY_ID}' or id eq '${GRAPH_DUET_LINK_ADDED_PROPERTY_ID}')`;

/** The value of one of Duet's two properties ('' when absent); Graph compares ids without regard to case. */
function prop(item: GraphItem, id: string): string {
  return (item.singleValueExtendedProperties ?? []).find((p) => p.id.toLowerCase() === id.toLowerCase())?.value ?? '';
}

export function createGraphLinkWriter(options: GraphLinkWriterOptions): LinkWriter {
  const client = graphSdkClient(options.graphBaseUrl, options.accessToken, options.ca ? { ca: options.ca } : {});
  // The SDK's own retry is off, as for the provider: the caller retries 429/5xx with its clock.
  const api = (path: string): GraphRequest => client.api(path).middlewareOptions([new RetryHandlerOptions(0, 0)]);
  const eventPath = (calendarId: string, eventId: string) =>
    `/me/calendars/${encodeURIComponent(calendarId)}/events/${encodeURIComponent(eventId)}`;
  const read = (calendarId: string, eventId: string) =>
    call(
      () =>
        api(eventPath(calendarId, eventId))
          .select(['id', 'subject', 'body', 'isOrganizer', 'isCancelled'])
          .expand(BOTH)
          .get() as Promise<GraphItem>,
    );
  const patch = (calendarId: string, eventId: string, etag: string | undefined, body: Record<string, unknown>) =>
    call(
      () =>
        api(eventPath(calendarId, eventId))
          .header('If-Match', etag ?? '*')
          .patch(body) as Promise<unknown>,
    );
  // Graph answers HTML unless asked otherwise; a text body is written back as text.
  const kindOf = (item: GraphItem) => (item.body?.contentType?.toLowerCase() === 'text' ? 'text' : 'html');

  return {
    add: (target) =>
      readModifyWrite(target.eventId, async () => {
        const e = await read(target.calendarId, target.eventId);
        const title = e.subject ?? '';
        if (e.isCancelled) return { kind: 'skipped', reason: 'cancelled', title };
        if (e.isOrganizer !== true) return { kind: 'skipped', reason: 'not-organizer', title };
        if (prop(e, GRAPH_DUET_LINK_ADDED_PROPERTY_ID)) return { kind: 'skipped', reason: 'already-added', title };
        if (prop(e, GRAPH_DUET_MEETING_ID_PROPERTY_ID)) return { kind: 'skipped', reason: 'duet-event', title };
        const kind = kindOf(e);
        await patch(target.calendarId, target.eventId, e['@odata.etag'], {
          body: { contentType: kind, content: addDuetLink(kind, e.body?.content, target.meetingId) },
          singleValueExtendedProperties: [
            { id: GRAPH_DUET_MEETING_ID_PROPERTY_ID, value: target.meetingId },
            { id: GRAPH_DUET_LINK_ADDED_PROPERTY_ID, value: '1' },
          ],
        });
        return { kind: 'added', title };
      }),

    remove: (calendarId, eventId) =>
      readModifyWrite(eventId, async () => {
        const e = await read(calendarId, eventId);
        const title = e.subject ?? '';
        if (!prop(e, GRAPH_DUET_LINK_ADDED_PROPERTY_ID)) return { kind: 'skipped', reason: 'not-added', title };
        const meetingId = prop(e, GRAPH_DUET_MEETING_ID_PROPERTY_ID);
        const kind = kindOf(e);
        const removal = meetingId
          ? removeDuetLink(kind, e.body?.content, meetingId)
          : { body: e.body?.content ?? '', found: 'absent' as const };
        await patch(calendarId, eventId, e['@odata.etag'], {
          ...(removal.found !== 'absent' ? { body: { contentType: kind, content: removal.body } } : {}),
          singleValueExtendedProperties: [
            { id: GRAPH_DUET_MEETING_ID_PROPERTY_ID, value: '' },
            { id: GRAPH_DUET_LINK_ADDED_PROPERTY_ID, value: '' },
          ],
        });
        return { kind: 'removed', title, link: removal.found };
      }),

    async listAdded(calendarId) {
      const out: AddedLink[] = [];
      // /events lists single events and series masters (never occurrences): one entry per write.
      let request = api(`/me/calendars/${encodeURIComponent(calendarId)}/events`)
        .filter(
          `singleValueExtendedProperties/any(ep: ep/id eq '${GRAPH_DUET_LINK_ADDED_PROPERTY_ID}' and ep/value eq '1')`,
        )
        .select(['id', 'subject', 'isCancelled'])
        .expand(BOTH);
      for (;;) {
        const page = await call(() => request.get() as Promise<GraphPage<GraphItem>>);
        for (const e of page.value ?? []) {
          if (!e.id || e.isCancelled) continue;
          out.push({ calendarId, eventId: e.id, meetingId: prop(e, GRAPH_DUET_MEETING_ID_PROPERTY_ID), title: e.subject ?? '' });
        }
        const next = page['@odata.nextLink'];
        if (!next) return out;
        request = api(next);
      }
    },
  };
}
