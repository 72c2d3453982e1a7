// What Settings offers to connect, from main's settings: Google and Microsoft always (through the
// sandbox's face when their client id is missing), the sandbox calendar while any provider uses it.
import { expect, it } from 'vitest';
import type { MainSettings } from '../../../src-shared/bridge/contract';
import { listProviders } from '../../../src-main/services/providers';

const settings = (patch: Partial<MainSettings> = {}): MainSettings => ({
  syncServerUrl: '',
  googleClientId: '',
  microsoftClientId: '',
  googleClientSecret: '',
  pollMinutes: 5,
  calendarMode: 'sandbox',
  ...patch,
});

it('without client ids, offers all three and says the first two connect to the sandbox', () => {
  const list = listProviders(settings());
  expect(list.map((p) => [p.provider, p.available])).toEqual([
    ['google', true],
    ['microsoft', true],
    ['sandbox', true],
  ]);
  expect(list[0]!.reason).toMatch(/sandbox's Google stand-in/);
  expect(list[1]!.reason).toMatch(/sandbox's Microsoft stand-in/);
});

it('with both client ids, offers the real providers only', () => {
  const list = listProviders(settings({ googleClientId: 'g', microsoftClientId: 'm' }));
  expect(list.map((p) => p.provider)).toEqual(['google', 'microsoft']);
  expect(list.every((p) => p.available && !p.reason)).toBe(true);
});

it('keeps the sandbox calendar while one provider still runs against the sandbox', () => {
  const list = listProviders(settings({ googleClientId: 'g' }));
  expect(list.map((p) => p.provider)).toEqual(['google', 'microsoft', 'sandbox']);
  expect(list[0]!.reason).toBeUndefined();
});
