// The bridge's calls for the optional "Add the Duet link to 1:1 events I organize" setting
// (docs/architecture.md §6, "Links on imported events"). Main keeps the setting and makes every
// write; the renderer, which knows which events are imported 1:1s, proposes the events. Part of
// the one contract (contract.ts spreads these in).
import { z } from 'zod';
import { MEETING_ID_PATTERN } from '../meeting/meeting-id';
import { method } from './define';

const id = z.string().min(1).max(1024);

/** One imported 1:1's event (for a series: its master) and the meeting its link names. */
export const importedLinkItem = z.object({
  accountId: id,
  calendarId: id,
  eventId: id,
  meetingId: z.string().regex(MEETING_ID_PATTERN, 'a meeting id is 1–128 letters, digits, - or _'),
});
export type ImportedLinkItem = z.infer<typeof importedLinkItem>;

export const importedLinkFailure = z.object({
  accountId: z.string(),
  eventId: z.string(),
  title: z.string(),
  error: z.string(),
});
export type ImportedLinkFailure = z.infer<typeof importedLinkFailure>;

export const importedLinksState = z.object({
  /** The user's consent: off by default. */
  enabled: z.boolean(),
  /** What runs now: adding links, removing them, or nothing. */
  running: z.enum(['adding', 'removing']).nullable(),
  /** Progress of the current (or last) run, in events. */
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  /** Events the last run could not write (named, so the user knows which are left); retry runs them again. */
  failed: z.array(importedLinkFailure),
});
export type ImportedLinksState = z.infer<typeof importedLinksState>;

export const importedLinksResult = z.object({
  added: z.number().int().min(0),
  skipped: z.number().int().min(0),
  failed: z.number().int().min(0),
});
export type ImportedLinksResult = z.infer<typeof importedLinksResult>;

export const importedLinksMethods = {
  state: method(z.void(), importedLinksState),
  /** Turns the option on (consent) or off (Duet then removes every link and tag it added). */
  setEnabled: method(z.object({ enabled: z.boolean() }), importedLinksState),
  /** Adds link + tag to these events (refused while the option is off); already-tagged ones are skipped. */
  add: method(z.object({ items: z.array(importedLinkItem).max(2000) }), importedLinksResult),
  /** Runs the failed part of the last run again (the removal, while off). */
  retry: method(z.void(), importedLinksState),
};

export const importedLinksEvents = {
  'importedLinks.state': importedLinksState,
};
