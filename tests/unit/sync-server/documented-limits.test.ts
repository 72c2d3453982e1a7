// The limits table in sync-server/README.md is the documentation of the defaults: every default
// in sync-server/config.ts appears there with the same value, and nothing else does. (The bench
// lifts two per-address limits on its own command line; that must never leak into the defaults.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../sync-server/config';

const UNITS: Record<string, number> = { KiB: 1024, MiB: 1024 * 1024 };

/** "2 MiB" → 2097152, "10 000" → 10000, "64, half per member" → 64. */
function parseValue(text: string): number {
  const m = /^(\d[\d ]*)\s*(KiB|MiB)?/.exec(text.trim());
  if (!m) throw new Error(`not a value: ${text}`);
  return Number(m[1]!.replace(/ /g, '')) * (m[2] ? UNITS[m[2]]! : 1);
}

/** `a` / `…PerSecond` names a second setting sharing a's stem (a without its last "Burst" or "PerX"). */
function documentedDefaults(markdown: string): Map<string, number> {
  const section = markdown.split('\n## Limits')[1]!.split('\n## ')[0]!;
  const out = new Map<string, number>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1]!.startsWith('`')) continue;
    const names = [...cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const values = cells[2]!.split(' / ');
    const first = names[0]!;
    const stem = first.replace(/(Burst|Per[A-Z][a-z]+)$/, '');
    names.forEach((name, i) => {
      const full = name.startsWith('…') ? stem + name.slice(1) : name;
      out.set(full, parseValue(values[i] ?? ''));
    });
  }
  return out;
}

describe('documented limits', () => {
  const documented = documentedDefaults(readFileSync('sync-server/README.md', 'utf8'));

  it('reads the table (the parser itself is checked on a known row)', () => {
    expect(documented.get('handshakesPerIpPerSecond')).toBe(20);
    expect(documented.get('awarenessBytesPerProcess')).toBe(64 * 1024 * 1024);
  });

  it('lists every default of sync-server/config.ts with its value, and nothing more', () => {
    expect(Object.fromEntries(documented)).toEqual({ ...DEFAULT_LIMITS });
  });
});
