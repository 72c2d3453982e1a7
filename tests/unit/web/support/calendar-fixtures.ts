// A small calendar around "now", shaped like the sandbox seed's hard cases: a 1:1, an invite to an
// alias address, a declined 1:1, a coffee without a keyword, an over-long 1:1 and a team meeting.
import type { AccountInfo, DirectoryPerson } from '../../../../src-shared/bridge/contract';
import type { CalendarEvent } from '../../../../src-shared/engine';

export const SELF = 'maya.chen@acme.test';
const H = 3_600_000;

export function fixtureCalendar(now = Date.now()): CalendarEvent[] {
  const at = (hoursFromNow: number, minutes: number) => ({
    start: new Date(now + hoursFromNow * H).toISOString(),
    end: new Date(now + hoursFromNow * H + minutes * 60_000).toISOString(),
  });
  const two = (
    id: string,
    title: string,
    other: string,
    when: { start: string; end: string },
    extra: Partial<CalendarEvent> = {},
  ) => ({
    id,
    calendarId: 'primary',
    primary: true,
    title,
    ...when,
    organizer: SELF,
    attendees: [
      { email: SELF, response: 'accepted' as const },
      { email: other, response: 'accepted' as const },
    ],
    accountId: 'acc-maya',
    ...extra,
  });
  return [
    two('sam-1', 'Maya / Sam', 'sam.rivera@acme.test', at(24, 30)),
    two('lee-alias', '1:1 Maya <> Lee', 'lee@acme-labs.test', at(30, 45)),
    two('jonas-goals', 'Maya / Jonas – quarterly goals', 'jonas.weber@acme.test', at(50, 45), {
      attendees: [
        { email: SELF, response: 'accepted' },
        { email: 'jonas.weber@acme.test', response: 'declined' },
      ],
    }),
    two('coffee', 'Coffee with Sam', 'sam.rivera@acme.test', at(70, 20)),
    two('long', 'Maya / Sam planning', 'sam.rivera@acme.test', at(80, 180)),
    {
      id: 'team',
      calendarId: 'primary',
      primary: true,
      title: 'Platform team weekly',
      ...at(26, 60),
      organizer: SELF,
      attendees: [{ email: SELF }, { email: 'sam.rivera@acme.test' }, { email: 'lee.park@acme.test' }],
    },
  ];
}

export const fixtureDirectory: DirectoryPerson[] = [
  { email: 'dana.whitfield@acme.test', name: 'Dana Whitfield', relation: 'manager' },
  { email: 'sam.rivera@acme.test', name: 'Sam Rivera', relation: 'report', hireDate: Date.UTC(2024, 2, 1) },
  { email: 'lee.park@acme.test', name: 'Lee Park', relation: 'report' },
];

export const mayaAccount: AccountInfo = {
  id: 'acc-maya',
  provider: 'microsoft',
  sandbox: true,
  email: SELF,
  name: 'Maya Chen',
  status: 'connected',
  lastSyncAt: Date.now(),
  lastError: '',
  progress: null,
  push: true,
  pollMinutes: 5,
};
