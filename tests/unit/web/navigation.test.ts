// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bindNavigation,
  hashForSubpage,
  sectionForShortcut,
  sectionFromHash,
  subpageFromHash,
  useNavigation,
  type ShortcutKey,
} from '../../../src-renderer/src/state/navigation';

const key = (patch: Partial<ShortcutKey>): ShortcutKey => ({
  key: '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...patch,
});

describe('sectionForShortcut', () => {
  it.each([
    [key({ key: '1', ctrlKey: true }), 'up-next'],
    [key({ key: '2', ctrlKey: true }), 'meetings'],
    [key({ key: '3', metaKey: true }), 'team'],
    [key({ key: '4', ctrlKey: true }), 'settings'],
    // AZERTY: the key is '&' but the physical key is Digit1.
    [key({ key: '&', code: 'Digit1', ctrlKey: true }), 'up-next'],
    [key({ key: '4', code: 'Numpad4', ctrlKey: true }), 'settings'],
    [key({ key: '5', ctrlKey: true }), 'inbox'],
    [key({ key: '6', ctrlKey: true }), 'action-items'],
  ] as const)('%j → %s', (k, section) => {
    expect(sectionForShortcut(k)).toBe(section);
  });

  it.each([
    key({ key: '1' }),
    key({ key: '1', ctrlKey: true, shiftKey: true }),
    key({ key: '1', ctrlKey: true, altKey: true }),
    key({ key: '7', ctrlKey: true }),
    key({ key: '0', ctrlKey: true }),
    key({ key: 'a', ctrlKey: true }),
  ])('ignores %j', (k) => {
    expect(sectionForShortcut(k)).toBeNull();
  });
});

describe('sectionFromHash', () => {
  it('reads known sections and rejects anything else', () => {
    expect(sectionFromHash('#/team')).toBe('team');
    expect(sectionFromHash('#team')).toBe('team');
    expect(sectionFromHash('#/settings/calendars')).toBe('settings');
    expect(sectionFromHash('#/nowhere')).toBeNull();
    expect(sectionFromHash('')).toBeNull();
  });
});

describe('bindNavigation', () => {
  let unbind: () => void = () => undefined;
  beforeEach(() => {
    window.location.hash = '';
    useNavigation.setState({ section: 'up-next', pendingFocus: false });
  });
  afterEach(() => unbind());

  const press = (init: KeyboardEventInit) => {
    const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
    window.dispatchEvent(e);
    return e;
  };

  it('starts at the section named in the hash, else at Up next (and writes the hash)', () => {
    window.location.hash = '#/team';
    unbind = bindNavigation(window);
    expect(useNavigation.getState().section).toBe('team');
    unbind();
    window.location.hash = '#/bogus';
    unbind = bindNavigation(window);
    expect(useNavigation.getState().section).toBe('up-next');
    expect(window.location.hash).toBe('#/up-next');
  });

  it('switches section on Ctrl/Cmd+1..4, asks for focus, and keeps the hash in step', () => {
    unbind = bindNavigation(window);
    const e = press({ key: '3', code: 'Digit3', ctrlKey: true });
    expect(e.defaultPrevented).toBe(true);
    expect(useNavigation.getState()).toMatchObject({ section: 'team', pendingFocus: true });
    expect(window.location.hash).toBe('#/team');
    press({ key: '4', code: 'Digit4', metaKey: true });
    expect(useNavigation.getState().section).toBe('settings');
    expect(window.location.hash).toBe('#/settings');
  });

  it('leaves other keys alone', () => {
    unbind = bindNavigation(window);
    const e = press({ key: '2', code: 'Digit2' });
    expect(e.defaultPrevented).toBe(false);
    expect(useNavigation.getState().section).toBe('up-next');
  });

  it('follows the hash (Back/Forward) and clicking does not request focus', async () => {
    unbind = bindNavigation(window);
    window.location.hash = '#/meetings';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(useNavigation.getState().section).toBe('meetings');
    useNavigation.getState().go('team');
    expect(useNavigation.getState().pendingFocus).toBe(false);
    expect(window.location.hash).toBe('#/team');
  });

  it('keeps a page inside a section in the hash, from the start and when following a link', () => {
    window.location.hash = '#/settings/diagnostics';
    unbind = bindNavigation(window);
    expect(useNavigation.getState().section).toBe('settings');
    expect(window.location.hash).toBe('#/settings/diagnostics');
    expect(subpageFromHash(window.location.hash)).toBe('diagnostics');
    useNavigation.getState().go('team');
    window.location.hash = hashForSubpage('settings', 'diagnostics');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(useNavigation.getState().section).toBe('settings');
    expect(window.location.hash).toBe('#/settings/diagnostics');
    expect(subpageFromHash('#/settings')).toBe('');
  });

  it('stops listening once unbound', () => {
    unbind = bindNavigation(window);
    unbind();
    press({ key: '2', code: 'Digit2', ctrlKey: true });
    expect(useNavigation.getState().section).toBe('up-next');
  });
});
