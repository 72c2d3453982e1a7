// The words of each notification (docs/architecture.md §5 "Notifications"): the same text goes to
// the OS (or browser) notification and into the in-app inbox.
import type { Zone } from '../engine/timezone';

export interface NotificationText {
  title: string;
  body: string;
}

const MAX_BODY = 1000;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** "Tue 10 Dec, 10:00" in the user's zone. */
export function whenText(ms: number, zone: Zone, locale?: string): string {
  const timeZone = zone.kind === 'iana' ? zone.name : 'UTC';
  const shifted = zone.kind === 'fixed' ? ms + zone.offsetMinutes * 60_000 : ms;
  return new Intl.DateTimeFormat(locale ?? 'en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(shifted);
}

export function newMeetingText(p: { who: string; start: number; series: boolean; cadence?: string; zone: Zone }): NotificationText {
  const when = whenText(p.start, p.zone);
  return p.series
    ? { title: `New 1:1 series with ${p.who}`, body: `${p.cadence ? `${p.cadence[0]?.toUpperCase()}${p.cadence.slice(1)}, ` : ''}first on ${when}.` }
    : { title: `New 1:1 with ${p.who}`, body: `On ${when}.` };
}

export function reminderText(p: { who: string; start: number; minutes: number; openItems: readonly string[]; zone: Zone }): NotificationText {
  const lead = p.minutes % 60 === 0 ? `${p.minutes / 60} ${p.minutes === 60 ? 'hour' : 'hours'}` : `${p.minutes} minutes`;
  const items = p.openItems.length
    ? `Open items: ${p.openItems.map((t) => clip(t.replace(/\s+/g, ' '), 120)).join('; ')}`
    : 'No open items yet: add a topic to prepare.';
  return {
    title: `1:1 with ${p.who} in ${lead}`,
    body: clip(`${whenText(p.start, p.zone)}. ${items}`, MAX_BODY),
  };
}

export interface WeekFigures {
  held: number;
  openActionItems: number;
  notMetLately: readonly string[];
}

export function summaryText(f: WeekFigures): NotificationText {
  const held = `${f.held} ${f.held === 1 ? '1:1' : '1:1s'} held this week`;
  const open = `${f.openActionItems} open action ${f.openActionItems === 1 ? 'item' : 'items'}`;
  const notMet = f.notMetLately.length ? `Not met lately: ${f.notMetLately.join(', ')}` : 'Everyone met on time';
  return { title: 'Your week in 1:1s', body: clip(`${held} · ${open} · ${notMet}.`, MAX_BODY) };
}
