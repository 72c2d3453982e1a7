// THE list of Duet's RxDB collections, with each one's schema version and migration strategies.
//
// Rule for changing a schema (any change: a field, a type, `required`, an index, a maxLength):
//   1. bump that schema's `version` by exactly 1;
//   2. add `migrationStrategies[newVersion] = (oldDoc) => newDoc` in the same file (return null to
//      drop a document). Strategies for released versions are never edited or removed: an install
//      that skipped versions runs them in order;
//   3. run `npx vitest run tests/unit/web/db-schemas.test.ts`: it fails until
//      tests/unit/web/schema-lock.json records the new version's fingerprint — update that entry
//      (the test prints it). Changing a schema without a version bump fails that test, because
//      RxDB would refuse to open existing databases (a schema hash mismatch at the same version).
//
// Free tier: RxDB opens at most 13 collections per process. Duet uses the ten below and keeps
// the rest for later features; see tests/unit/web/db-schemas.test.ts.
import { calendarAccountsCollection, type CalendarAccountDoc } from './calendar-accounts';
import { calendarEventsCollection, type CachedEventChunkDoc } from './calendar-events';
import type { CollectionDefinition } from './define';
import { meetingContentCollection, type MeetingContentDoc } from './meeting-content';
import { meetingsCollection, type MeetingDoc } from './meetings';
import { notificationsCollection, type NotificationDoc } from './notifications';
import { peopleCollection, type PersonDoc } from './people';
import { preferencesCollection, type PreferencesDoc } from './preferences';
import { privateNotesCollection, type PrivateNoteDoc } from './private-notes';
import { seriesCollection, type SeriesDoc } from './series';
import { syncStateCollection, type SyncStateDoc } from './sync-state';

export interface DuetDocTypes {
  people: PersonDoc;
  meetings: MeetingDoc;
  series: SeriesDoc;
  privateNotes: PrivateNoteDoc;
  preferences: PreferencesDoc;
  syncState: SyncStateDoc;
  calendarEvents: CachedEventChunkDoc;
  calendarAccounts: CalendarAccountDoc;
  notifications: NotificationDoc;
  meetingContent: MeetingContentDoc;
}

export type DuetCollectionName = keyof DuetDocTypes;

export type DuetCollectionDefinitions = { [K in DuetCollectionName]: CollectionDefinition<DuetDocTypes[K]> };

export const duetCollections: DuetCollectionDefinitions = {
  people: peopleCollection,
  meetings: meetingsCollection,
  series: seriesCollection,
  privateNotes: privateNotesCollection,
  preferences: preferencesCollection,
  syncState: syncStateCollection,
  calendarEvents: calendarEventsCollection,
  calendarAccounts: calendarAccountsCollection,
  notifications: notificationsCollection,
  meetingContent: meetingContentCollection,
};

export const MAX_FREE_TIER_COLLECTIONS = 13;

export type { CollectionDefinition } from './define';
export type { PersonDoc } from './people';
export type { MeetingDoc, CalendarLink, CalendarProvider, LinkState, MeetingState } from './meetings';
export type { SeriesDoc, Cadence } from './series';
export type { PrivateNoteDoc } from './private-notes';
export type { PreferencesDoc, MatchMode, TenureCadenceRule } from './preferences';
export type { SyncStateDoc } from './sync-state';
export type { CachedEventChunkDoc } from './calendar-events';
export type { CalendarAccountDoc } from './calendar-accounts';
export type { NotificationDoc, NotificationDocKind } from './notifications';
export type { MeetingContentDoc, ContentEntry, ContentItem } from './meeting-content';
