/**
 * `npm run -s scan -- FILE` — why is (or isn't) each calendar event a 1:1, and what the app would
 * do about it. FILE is a path, or `-` for stdin. Prints ONE JSON document on stdout.
 * Invalid input: exit code 2 and one line on stderr naming the field, e.g.
 * `events[3].start: expected an ISO-8601 date-time`. Unknown extra fields are ignored.
 *
 * Scenario (input):
 *   { now: ISO, self: email, mode?: "full"|"incremental" (default full),
 *     people: [{ email, name?, aliases?: [email] }],
 *     settings?: { keywords?: [s] (replaces the defaults / <> one-on-one 1on1 1:1 one-to-one),
 *                  matchMode?: "keywords"|"two-person", pastDays?: 30, futureDays?: 28,
 *                  minMinutes?: 10, maxMinutes?: 120 },            // bounds inclusive
 *     events: [{ id, calendarId, primary, title, start: ISO, end: ISO, allDay?, status?,
 *                visibility?, organizer?: email,
 *                attendees: [{ email, response?, resource?, optional? }],
 *                recurrence?: [RRULE/RDATE/EXDATE/DTSTART lines], recurringEventId?, originalStart?,
 *                timeZone?: IANA zone }],                          // extension, see below
 *     meetings?: [{ id, participants: [email, email], title?, start, end,
 *                   link?: { eventId, instanceStart? } | null, hasContent? }] }
 *   ISO values are dates (2024-03-11, midnight UTC) or date-times with Z or ±HH:MM.
 *
 * Decisions (output). Every list has a canonical order, so the output never depends on input
 * order: events chronologically (by start second, a master by its first start), then by id;
 * actions by the time of the occurrence (or of the removed meeting), then event id, op, instance,
 * meeting; series by event id.
 *   { events:  [{ id, oneOnOne, reasons: [CODE], counterpart?, unmatched?, suggestions? }],
 *     series:  [{ eventId, cadence: weekly|biweekly|triweekly|monthly|irregular, counterpart }],
 *     actions: [{ op: create|update|link|unlink|delete, eventId?, instanceStart?, meetingId? }] }
 *   Reason codes: CANCELLED ALL_DAY NOT_PRIMARY_CALENDAR OUTSIDE_WINDOW NOT_TWO_PEOPLE
 *   SELF_NOT_PARTICIPANT DECLINED UNKNOWN_PERSON NO_KEYWORD DURATION_OUT_OF_RANGE.
 *
 * Recurring masters: the master's `start` is DTSTART. Occurrences keep their wall-clock time in
 * the zone named by a `DTSTART;TZID=Zone:…` line, else by the event's `timeZone`, else they keep
 * the master's fixed UTC offset (so a series without a zone does not follow DST). EXDATE values
 * with TZID, in UTC (Z) or as dates are honoured; explicit instances (recurringEventId +
 * originalStart) replace the occurrence they stand for, and a cancelled one removes it.
 * Supported rule parts: FREQ (DAILY…YEARLY), INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH,
 * BYSETPOS, WKST; others are refused as invalid input.
 *
 * Reconciliation follows docs/architecture.md §4 (see reconcile.ts); meetings orphaned by a cancelled or
 * vanished occurrence are first offered to new occurrences (re-created event, moved exception,
 * "this and following" split), so those become `link`s rather than delete + create.
 */
import { scan } from './scan';
import { parseScenario } from './validate';

// This file is type-checked by the web config too (it lives in src-shared), which has no Node
// types: it declares the small slice of Node it uses instead.
interface Writable {
  write(chunk: string): boolean;
}
interface NodeProcess {
  argv: string[];
  exitCode?: number;
  stdin: AsyncIterable<Uint8Array | string>;
  stdout: Writable;
  stderr: Writable;
}
interface FsPromises {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
}

const proc = (globalThis as unknown as { process: NodeProcess }).process;

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of proc.stdin) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }
  const fsModule = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsModule)) as FsPromises;
  return fs.readFile(file, 'utf8');
}

function failWith(code: number, line: string): void {
  proc.stderr.write(`${line.replace(/[\r\n]+/g, ' ')}\n`);
  proc.exitCode = code;
}

async function main(): Promise<void> {
  const args = proc.argv.slice(2).filter((a) => a !== '--');
  const file = args[0];
  if (file === undefined || args.length > 1) {
    failWith(2, 'usage: npm run -s scan -- FILE   (FILE is a path to a scenario JSON, or - for stdin)');
    return;
  }
  let text: string;
  try {
    text = await readInput(file);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    failWith(2, `${file}: cannot read the file${typeof code === 'string' ? ` (${code})` : ''}`);
    return;
  }
  const parsed = parseScenario(text);
  if (!parsed.ok) {
    failWith(2, parsed.error);
    return;
  }
  proc.stdout.write(`${JSON.stringify(scan(parsed.scenario), null, 2)}\n`);
}

main().catch((e: unknown) => {
  failWith(1, `scan: internal error: ${e instanceof Error ? e.message : String(e)}`);
});
