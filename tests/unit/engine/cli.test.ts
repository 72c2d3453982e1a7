// The scan command as users and support tools run it: spawned for real, through npx tsx.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Decisions } from '../../../src-shared/engine/model';

const ROOT = join(import.meta.dirname, '../../..');
const GOOD = join(import.meta.dirname, 'fixtures/scenario-good.json');
const dir = mkdtempSync(join(tmpdir(), 'duet-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  const r = spawnSync('npx', ['tsx', 'src-shared/engine/scan-cli.ts', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    // npm's own notices (e.g. about the local npmrc) are not the command's output.
    env: { ...process.env, npm_config_loglevel: 'error', NO_COLOR: '1' },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const good = JSON.parse(readFileSync(GOOD, 'utf8')) as { events: Record<string, unknown>[] } & Record<string, unknown>;

describe('npm run scan', () => {
  let fromFile: Decisions;

  it('prints the decisions for a good scenario file', () => {
    const r = run([GOOD]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    fromFile = JSON.parse(r.stdout) as Decisions;
    expect(fromFile.events).toEqual([
      { id: '7weekly', oneOnOne: true, reasons: [], counterpart: 'lee.park@acme.io' },
      { id: '4kq2m0s1', oneOnOne: true, reasons: [], counterpart: 'sam.ortiz@acme.io' },
      {
        id: 'team-sync',
        oneOnOne: false,
        reasons: ['NOT_TWO_PEOPLE', 'UNKNOWN_PERSON', 'NO_KEYWORD'],
        unmatched: ['lee.park+team@acme.io'],
        suggestions: [{ address: 'lee.park+team@acme.io', person: 'lee.park@acme.io' }],
      },
    ]);
    expect(fromFile.series).toEqual([{ eventId: '7weekly', cadence: 'weekly', counterpart: 'lee.park@acme.io' }]);
    expect(fromFile.actions).toEqual([
      { op: 'update', eventId: '7weekly', instanceStart: '2024-03-04T15:00:00.000Z', meetingId: 'mtg-2' },
      { op: 'link', eventId: '4kq2m0s1', meetingId: 'mtg-1' },
      { op: 'create', eventId: '7weekly', instanceStart: '2024-03-11T14:00:00.000Z' },
      { op: 'create', eventId: '7weekly', instanceStart: '2024-03-18T14:00:00.000Z' },
    ]);
  });

  it('reads stdin with -', () => {
    const r = run(['-'], readFileSync(GOOD, 'utf8'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(fromFile);
  });

  it('ignores unknown extra fields', () => {
    const extra = {
      ...good,
      version: 3,
      events: good.events.map((e) => ({ ...e, location: 'NYC-5-Boardroom', description: 'agenda…', conferenceData: { id: 'x' } })),
    };
    const r = run([write('extra.json', extra)]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(fromFile);
  });

  it('a bad field: exit 2 and one stderr line naming it, no stack trace', () => {
    const bad = { ...good, events: good.events.map((e, i) => (i === 2 ? { ...e, start: '08/03/2024 15:00' } : e)) };
    const r = run([write('bad.json', bad)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^events\[2\]\.start: expected an ISO-8601 date-time/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it.each([
    ['a bad nested field', { ...good, meetings: [{ id: 'm', participants: ['maya.chen@acme.io'], start: '2024-03-07T14:00:00Z', end: '2024-03-07T14:30:00Z' }] }, /^meetings\[0\]\.participants: expected exactly 2/],
    ['a bad recurrence line', { ...good, events: [{ ...good.events[1], recurrence: ['RRULE:FREQ=WEEKLY;BYHOUR=9'] }] }, /^events\[0\]\.recurrence\[0\]: invalid RRULE: unsupported rule part BYHOUR/],
    ['invalid JSON', '{"now": ', /^\(root\): invalid JSON/],
  ])('%s: exit 2, one line', (_name, content, message) => {
    const r = run([write('bad2.json', content)]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('a missing file: exit 2, one line', () => {
    const r = run([join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nope\.json: cannot read the file \(ENOENT\)/);
  });
});
