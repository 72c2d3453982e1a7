// 1:1 engine throughput: scan() over deterministic synthetic calendars of 10k, 100k and 1M events
// with 500 people, printing events/s per size and the time per event relative to 10k (cost must
// grow linearly: a ratio near 1). Target: ≥ 200,000 events/s on one core. Figures only, no gate.
// Usage: npm run bench -- engine        (ENGINE_BENCH_SIZES=10000,100000 to pick sizes)
import { availableParallelism, loadavg } from 'node:os';
import { scan } from '../src-shared/engine/scan';
import type { Attendee, CalendarEvent, ScanMeeting, Person, Scenario } from '../src-shared/engine/model';

const NOW = Date.UTC(2024, 2, 6, 12, 0, 0);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const PEOPLE = 500;

/** mulberry32: small, fast, and the same sequence everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['ana', 'ben', 'chloe', 'dev', 'elena', 'farid', 'grace', 'hiro', 'ines', 'jon', 'kemi', 'liam', 'mia', 'noor', 'omar', 'priya', 'quinn', 'rosa', 'sam', 'tariq'];
const LAST = ['adams', 'baker', 'chen', 'diaz', 'evans', 'fischer', 'garcia', 'haddad', 'ito', 'jones', 'kim', 'lopez', 'moreau', 'nguyen', 'okafor', 'patel', 'quist', 'rossi', 'silva', 'tanaka', 'ueda', 'varga', 'wong', 'xu', 'yilmaz'];
const GROUP_TITLES = ['Team sync', 'Design review', 'Sprint planning', 'Quarterly business review', 'Incident retro', 'Hiring loop debrief'];

interface Gen {
  scenario: Scenario;
  candidatesApprox: number;
}

export function generate(size: number, seed = 42): Gen {
  const r = rng(seed ^ size);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const people: Person[] = [];
  const first: string[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const f = FIRST[i % FIRST.length] as string;
    const l = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
    const email = `${f}.${l}${i >= FIRST.length * LAST.length ? i : ''}@acme.example`;
    const p: Person = { email: flat(email), name: `${f} ${l}` };
    if (i % 5 === 0) p.aliases = [flat(`${f}${l}@acme-legacy.example`)];
    people.push(p);
    first.push(f[0]!.toUpperCase() + f.slice(1));
  }
  const self = people[0]!.email;
  // Shared, interned strings and attendee objects keep a million events affordable, as an app
  // holding addresses once would; the engine never mutates its input.
  const titles = first.map((f) => [`${first[0]} / ${f}`, `1:1 ${f} <> ${first[0]}`, `${f} 1on1`, `One-on-one: ${f}`].map(flat));
  const plainTitles = first.map((f) => [`1:1 ${f}`, `${f} <> ${first[0]}`].map(flat));
  const selfAtt: Attendee = { email: self, response: 'accepted' };
  const room: Attendee = { email: 'c_1889abc-4b@resource.calendar.google.com', resource: true, response: 'accepted' };
  const att = people.map((p) => ({ email: p.email, response: 'accepted' }) as Attendee);
  const aliasAtt = people.map((p) => (p.aliases ? ({ email: p.aliases[0] } as Attendee) : undefined));
  const declined = people.map((p) => ({ email: p.email, response: 'declined' }) as Attendee);
  const vendors = Array.from({ length: 97 }, (_, k) => flat(`sales${k}@vendor.example`));
  const externals = FIRST.map((f) => ({ email: flat(`${f}+ext@acme.example`) }) as Attendee);
  const slot = (fromDays: number, toDays: number) => {
    const day = Math.floor(fromDays + r() * (toDays - fromDays));
    return NOW - (NOW % DAY) + day * DAY + (13 + Math.floor(r() * 18) / 2) * HOUR;
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const events: CalendarEvent[] = [];
  // Built like validate.ts builds them (required fields in a literal, optional ones assigned):
  // object spread would give objects many times slower to read than anything JSON or the
  // validator produces.
  const push = (id: string, title: string, start: string, end: string, attendees: Attendee[], extra: Omit<Partial<CalendarEvent>, 'id' | 'title' | 'start' | 'end' | 'attendees'> = {}) => {
    const ev: CalendarEvent = { id, calendarId: extra.calendarId ?? self, primary: extra.primary ?? true, title, start, end, attendees };
    if (extra.allDay !== undefined) ev.allDay = extra.allDay;
    if (extra.status !== undefined) ev.status = extra.status;
    if (extra.organizer !== undefined) ev.organizer = extra.organizer;
    if (extra.recurrence !== undefined) ev.recurrence = extra.recurrence;
    if (extra.recurringEventId !== undefined) ev.recurringEventId = extra.recurringEventId;
    if (extra.originalStart !== undefined) ev.originalStart = extra.originalStart;
    if (extra.timeZone !== undefined) ev.timeZone = extra.timeZone;
    events.push(ev);
  };
  const meetings: ScanMeeting[] = [];
  const masters: { id: string; start: number; dur: number; counterpart: number }[] = [];
  let candidatesApprox = 0;

  for (let k = 0; k < size; k++) {
    const id = flat(`ev${k.toString(36)}x${Math.floor(r() * 1e9).toString(36)}`);
    const cp = 1 + Math.floor(r() * (PEOPLE - 1));
    const dur = pick([25, 30, 30, 45, 60]) * 60_000;
    const roll = r();
    if (roll < 0.34) {
      // A one-off 1:1, sometimes with a room, an alias address, or the other side organizing.
      const start = slot(-40, 36);
      const title = pick(titles[cp]!);
      const attendees = [selfAtt, r() < 0.1 && aliasAtt[cp] ? aliasAtt[cp] : att[cp]!];
      if (r() < 0.2) attendees.push(room);
      push(id, title, iso(start), iso(start + dur), attendees, { organizer: r() < 0.5 ? self : people[cp]!.email });
      candidatesApprox++;
      const m = r();
      if (m < 0.5) {
        meetings.push({ id: flat(`mt-${id}`), participants: [self, people[cp]!.email], title: r() < 0.05 ? 'old title' : title, start: iso(start), end: iso(start + dur), link: { eventId: id }, hasContent: r() < 0.3 });
      } else if (m < 0.55) {
        meetings.push({ id: flat(`mu-${id}`), participants: [people[cp]!.email, self], start: iso(start + 2 * HOUR), end: iso(start + 2 * HOUR + dur), link: null });
      } else if (m < 0.56) {
        meetings.push({ id: flat(`mo-${id}`), participants: [self, people[cp]!.email], title, start: iso(start), end: iso(start + dur), link: { eventId: flat(`gone-${id}`) }, hasContent: r() < 0.5 });
      }
    } else if (roll < 0.6) {
      const start = slot(-40, 36);
      const attendees = [selfAtt];
      const n = 2 + Math.floor(r() * 7);
      for (let j = 0; j < n; j++) attendees.push(att[1 + Math.floor(r() * (PEOPLE - 1))]!);
      push(id, pick(GROUP_TITLES), iso(start), iso(start + dur), attendees, { organizer: people[cp]!.email });
    } else if (roll < 0.65) {
      // A weekly or biweekly 1:1 series, half of them in New York time across the DST change.
      const start = slot(-70, 0);
      const ny = r() < 0.5;
      const recurrence = [`RRULE:FREQ=WEEKLY;INTERVAL=${r() < 0.7 ? 1 : 2}`];
      if (r() < 0.3) recurrence.push(`EXDATE:${iso(start + 7 * DAY).replace(/[-:]/g, '').replace(/\.\d+/, '')}`);
      push(id, titles[cp]![0]!, iso(start), iso(start + dur), [selfAtt, att[cp]!], { organizer: self, recurrence, timeZone: ny ? 'America/New_York' : undefined });
      if (!ny) masters.push({ id, start, dur, counterpart: cp });
    } else if (roll < 0.75 && masters.length > 0) {
      // A moved or cancelled instance of an earlier fixed-offset weekly master.
      const m = masters[Math.floor(r() * masters.length)]!;
      const original = m.start + Math.floor(r() * 12) * 7 * DAY;
      const moved = original + (r() < 0.5 ? HOUR : 0);
      push(id, titles[m.counterpart]![0]!, iso(moved), iso(moved + m.dur), [selfAtt, att[m.counterpart]!], { organizer: self, recurringEventId: m.id, originalStart: iso(original), status: r() < 0.15 ? 'cancelled' : 'confirmed' });
    } else if (roll < 0.8) {
      const day = NOW - (NOW % DAY) + Math.floor(-40 + r() * 76) * DAY;
      push(id, 'Out of office', flat(iso(day).slice(0, 10)), flat(iso(day + DAY).slice(0, 10)), [], { allDay: true });
    } else if (roll < 0.85) {
      const start = slot(-40, 36);
      push(id, titles[cp]![0]!, iso(start), iso(start + dur), [selfAtt, att[cp]!], { status: 'cancelled', organizer: self });
    } else if (roll < 0.9) {
      const start = slot(-40, 36);
      push(id, plainTitles[cp]![0]!, iso(start), iso(start + dur), [selfAtt, declined[cp]!], { organizer: self });
    } else if (roll < 0.94) {
      const start = slot(-40, 36);
      push(id, 'Intro / vendor', iso(start), iso(start + dur), [selfAtt, externals[cp % externals.length]!], { organizer: vendors[k % vendors.length]! });
    } else if (roll < 0.97) {
      const start = slot(-40, 36);
      push(id, 'Coffee chat', iso(start), iso(start + dur), [selfAtt, att[cp]!], { organizer: self });
    } else {
      const start = slot(-40, 36);
      push(id, plainTitles[cp]![1]!, iso(start), iso(start + dur), [selfAtt, att[cp]!], { calendarId: 'team@group.calendar.google.com', primary: false, organizer: self });
    }
  }
  return { scenario: { now: iso(NOW), self, mode: 'full', people, events, meetings }, candidatesApprox };
}

/**
 * A flat copy of a string built by concatenation. Engines keep `a + b` as a rope until it is
 * read; ids parsed from JSON or an API are flat, so the benchmark's ids must be too.
 */
function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * CPU time of one scan (this process, all threads: V8's GC helpers included), and wall time.
 * CPU time is the "one core" figure: on a shared machine wall time also counts waiting for a core.
 */
function time(s: Scenario): { cpuMs: number; wallMs: number; actions: number; oneOnOnes: number } {
  gc();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const d = scan(s);
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  let oneOnOnes = 0;
  for (const e of d.events) if (e.oneOnOne) oneOnOnes++;
  return { cpuMs: (c.user + c.system) / 1000, wallMs, actions: d.actions.length, oneOnOnes };
}

const sizes = (process.env.ENGINE_BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const runsFor = (n: number) => (n <= 10_000 ? 9 : n <= 100_000 ? 6 : 3);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

// Warm the JIT on a small scenario so the first size is not charged for compilation.
for (let i = 0; i < 3; i++) scan(generate(5_000, 7).scenario);

let baselineNsPerEvent: number | undefined;
console.log(
  `node ${process.version}, ${PEOPLE} people, best of N runs; events/s from CPU time (wall time in brackets); ` +
    `load average ${loadavg()[0]?.toFixed(2)} on ${availableParallelism()} cores`,
);
for (const n of sizes) {
  const { scenario } = generate(n);
  let best = { cpuMs: Infinity, wallMs: Infinity, actions: 0, oneOnOnes: 0 };
  for (let i = 0; i < runsFor(n); i++) {
    const t = time(scenario);
    if (t.cpuMs < best.cpuMs) best = t;
  }
  const nsPerEvent = (best.cpuMs * 1e6) / n;
  baselineNsPerEvent ??= nsPerEvent;
  console.log(
    `${fmt(n).padStart(9)} events, ${fmt(scenario.meetings?.length ?? 0).padStart(7)} meetings: ` +
      `${best.cpuMs.toFixed(0).padStart(5)} ms CPU ${fmt(n / (best.cpuMs / 1000)).padStart(9)} events/s ` +
      `(wall ${best.wallMs.toFixed(0)} ms, ${fmt(n / (best.wallMs / 1000))}/s)  ` +
      `time/event vs ${fmt(sizes[0]!)}: ${(nsPerEvent / baselineNsPerEvent).toFixed(2)}  ` +
      `[${fmt(best.oneOnOnes)} 1:1s, ${fmt(best.actions)} actions]`,
  );
}
