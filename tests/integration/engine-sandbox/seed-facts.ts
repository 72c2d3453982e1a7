// What the sandbox's default seed was built to contain, read from the seed itself (sandbox/seed.ts),
// so the suite asserts the seed's intent rather than a copy of the engine's output.
import { SEED_PEOPLE, defaultScenario, localTimeZone } from '../../../sandbox/seed';
import type { GEvent, Scenario } from '../../../sandbox/model';
import { addDays, instantFromWall, localDate, parseLocalDateTime } from '../../../sandbox/tz';
import type { Person } from '../../../src-shared/engine';

export { ANA, DANA, JONAS, LEE, LEE_ALIAS, MAYA, PRIYA, ROOM, SAM, TOM } from '../../support/seed-people';

/** The seed's organisation as the engine's people: Maya, her six reports, her manager; rooms are not people. */
export const PEOPLE: Person[] = Object.values(SEED_PEOPLE)
  .filter((p) => !('resource' in p))
  .map((p) => ({ email: p.email, name: p.name, ...('aliases' in p ? { aliases: [...p.aliases] } : {}) }));

/** The engine's default window (docs/architecture.md §3): 30 days back, 28 ahead, in exact days from now. */
export const PAST_MS = 30 * 86_400_000;
export const FUTURE_MS = 28 * 86_400_000;
export const DAY_MS = 86_400_000;

const weekday = (date: string): number => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0

/**
 * The latest Wednesday noon (local) not after `realNow`. At that hour every case the seed lays out
 * lies inside the scan window; from Saturday morning to Sunday night the first half of the seed's
 * "this and following" split has already slipped out of the 30-day window.
 */
export function pinnedWednesdayNoon(realNow: number, timeZone = localTimeZone()): Date {
  const today = localDate(realNow, timeZone);
  const wednesday = addDays(today, -((weekday(today) - 2 + 7) % 7));
  const at = (date: string): number =>
    instantFromWall(
      parseLocalDateTime(`${date}T12:00:00`) as NonNullable<ReturnType<typeof parseLocalDateTime>>,
      timeZone,
    );
  const noon = at(wednesday);
  return new Date(noon <= realNow ? noon : at(addDays(wednesday, -7)));
}

/** One calendar time of a seed event (a local wall time in a zone, or a date) as epoch ms. */
export function msOf(t: GEvent['start'], fallbackZone: string): number {
  if (t?.dateTime) {
    const wall = parseLocalDateTime(t.dateTime);
    return wall ? instantFromWall(wall, t.timeZone ?? fallbackZone) : Date.parse(t.dateTime);
  }
  return Date.parse(`${t?.date}T00:00:00Z`);
}

export interface SeedFacts {
  scenario: Scenario;
  now: Date;
  window: { from: number; to: number };
  timeZone: string;
  /** The series master or single event with this title (titles are unique in the seed). */
  event(summary: string): GEvent & { id: string };
  /** The seed's explicit instances of a master (moved or cancelled occurrences). */
  exceptionsOf(masterId: string): Array<GEvent & { id: string }>;
  ms(t: GEvent['start']): number;
  /** Epoch ms of a local wall time on a local date, in the seed's zone. */
  wall(date: string, time: string): number;
  localDate(ms: number): string;
}

export function seedFacts(now: Date): SeedFacts {
  const scenario = defaultScenario(now);
  const timeZone = scenario.timeZone ?? localTimeZone();
  const events = scenario.events as Array<GEvent & { id: string }>;
  return {
    scenario,
    now,
    window: { from: now.getTime() - PAST_MS, to: now.getTime() + FUTURE_MS },
    timeZone,
    event(summary) {
      const hit = events.find((e) => e.summary === summary && !e.recurringEventId);
      if (!hit) throw new Error(`the seed has no event titled ${summary}`);
      return hit;
    },
    exceptionsOf: (masterId) => events.filter((e) => e.recurringEventId === masterId),
    ms: (t) => msOf(t, timeZone),
    wall: (date, time) =>
      instantFromWall(
        parseLocalDateTime(`${date}T${time}:00`) as NonNullable<ReturnType<typeof parseLocalDateTime>>,
        timeZone,
      ),
    localDate: (ms) => localDate(ms, timeZone),
  };
}

export const inWindow = (facts: SeedFacts, ms: number): boolean =>
  ms >= facts.window.from && ms <= facts.window.to;

export const sameLocalDate = (a: number, b: number, timeZone = localTimeZone()): boolean =>
  localDate(a, timeZone) === localDate(b, timeZone);
