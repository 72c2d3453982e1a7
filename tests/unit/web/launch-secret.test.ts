// @vitest-environment happy-dom
// The page's half of the launch secret (docs/architecture.md §1, web mode): taken from the URL the
// host printed, kept in this tab's sessionStorage, gone from the address bar; a reload finds it.
import { afterEach, describe, expect, it } from 'vitest';
import { readWebBridgeUrl, SECRET_STORAGE_KEY, takeLaunchSecret } from '../../../src-renderer/src/bridge';

afterEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});

describe('takeLaunchSecret', () => {
  it('moves the secret from the URL into sessionStorage and strips it, keeping the route', () => {
    history.replaceState(null, '', '/?token=s3cret-VALUE_1#/team');
    expect(takeLaunchSecret()).toBe('s3cret-VALUE_1');
    expect(location.search).toBe('');
    expect(location.hash).toBe('#/team');
    expect(location.href).not.toContain('s3cret');
    expect(sessionStorage.getItem(SECRET_STORAGE_KEY)).toBe('s3cret-VALUE_1');
    // The reload: no secret in the URL any more, the tab still has it.
    expect(takeLaunchSecret()).toBe('s3cret-VALUE_1');
  });

  it('keeps other query parameters and lets a newer link replace the kept secret', () => {
    sessionStorage.setItem(SECRET_STORAGE_KEY, 'from-last-launch');
    history.replaceState(null, '', '/?a=1&token=new-launch&b=2');
    expect(takeLaunchSecret()).toBe('new-launch');
    expect(location.search).toBe('?a=1&b=2');
    expect(sessionStorage.getItem(SECRET_STORAGE_KEY)).toBe('new-launch');
  });

  it('returns null for a tab that never had the link', () => {
    expect(takeLaunchSecret()).toBeNull();
  });
});

describe('readWebBridgeUrl', () => {
  it('reads the address the host wrote, and nothing from a page without it or with junk', () => {
    const doc = document.implementation.createHTMLDocument('x');
    expect(readWebBridgeUrl(doc)).toBeNull();
    const meta = doc.createElement('meta');
    meta.name = 'duet-bridge';
    meta.content = '{not json';
    doc.head.append(meta);
    expect(readWebBridgeUrl(doc)).toBeNull();
    meta.content = JSON.stringify({ url: 'ws://127.0.0.1:5183/bridge' });
    expect(readWebBridgeUrl(doc)).toBe('ws://127.0.0.1:5183/bridge');
  });
});
