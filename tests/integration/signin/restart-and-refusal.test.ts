// Accounts outlive the process (records and sealed tokens in the store), a sandbox that lost its
// grants turns them into "needs reconnect" rather than a silent stop, and a refusal in the
// browser ends the sign-in in words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReconnectRequiredError } from '../../../src-main/services/types';
import { sandboxFetch, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { MAYA, SAM } from '../../support/seed-people';
import { deliver, playBrowser, signInPage, startApp } from './support/harness';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.close());

for (const provider of ['google', 'sandbox'] as const) {
  describe(provider, () => {
    it('keeps the account and its tokens across a restart; a sandbox that forgot the grant → needs reconnect', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'duet-signin-restart-'));
      try {
        const first = await startApp(sb, { dir });
        const start = await first.accounts.connect(provider);
        await playBrowser(sb, start.authUrl, SAM);
        const { accountId } = await first.outcome(start.flowId);
        const identity = first.accounts.identity();
        await first.close();

        const second = await startApp(sb, { dir });
        expect(second.accounts.list()).toEqual([expect.objectContaining({ id: accountId, email: SAM, auth: 'connected' })]);
        expect(second.accounts.identity()).toEqual(identity);
        expect(await second.accounts.getAccessToken(accountId!)).toBeTruthy();
        await second.close();

        // A new sandbox (another port, no grants): the stored sign-in is refused there.
        const other = await startTestSandbox();
        try {
          const third = await startApp(other, { dir });
          // Google's stored access token has not expired by the clock: the API refuses it (401),
          // and the adapter asks for a fresh one, which tells it the grant is gone.
          const stale = await third.accounts.getAccessToken(accountId!).catch((e: unknown) => e);
          if (provider === 'google') {
            expect(typeof stale).toBe('string');
            const res = await sandboxFetch(other.caCertPath)('GET', `${other.googleRootUrl}calendar/v3/users/me/calendarList`, undefined, { authorization: `Bearer ${stale as string}` });
            expect(res.status).toBe(401);
            await expect(third.accounts.getAccessToken(accountId!, { forceRefresh: true })).rejects.toBeInstanceOf(ReconnectRequiredError);
          } else {
            // msal finds no tokens for the new sandbox's authority: interaction required.
            expect(stale).toBeInstanceOf(ReconnectRequiredError);
          }
          await expect(third.accounts.getAccessToken(accountId!)).rejects.toBeInstanceOf(ReconnectRequiredError);
          expect(third.accounts.list()[0]?.auth).toBe('needs-reconnect');
          expect(third.accounts.identity()).toBeNull();
          await third.close();
        } finally {
          await other.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('Deny on the sign-in page ends the sign-in with a message, and nothing is stored', async () => {
      const a = await startApp(sb);
      try {
        const start = await a.accounts.connect(provider);
        const request = sandboxFetch(sb.caCertPath);
        const page = await request<string>('GET', start.authUrl);
        const requestId = /name="request" value="([^"]+)"/.exec(page.body)?.[1] as string;
        const answer = await request<string>('POST', new URL('/_oauth/consent', start.authUrl).toString(), `request=${requestId}&decision=deny`, {
          'content-type': 'application/x-www-form-urlencoded',
        });
        if (answer.status === 302) {
          const res = await fetch(answer.headers.location as string);
          expect(res.status).toBe(400);
          expect(await res.text()).toContain('You declined access');
        } else {
          const form = /<form method="post" action="([^"]+)">(.*?)<\/form>/s.exec(answer.body) as RegExpExecArray;
          const params = new URLSearchParams();
          for (const m of (form[2] as string).matchAll(/name="([^"]*)" value="([^"]*)"/g)) params.set(m[1] as string, (m[2] as string).replace(/&amp;/g, '&'));
          await deliver({ target: (form[1] as string).replace(/&amp;/g, '&'), method: 'POST', params });
        }
        expect(await a.outcome(start.flowId)).toMatchObject({ state: 'failed', error: expect.stringContaining('declined') });
        expect(a.accounts.list()).toEqual([]);
        expect(a.accounts.identity()).toBeNull();
      } finally {
        await a.close();
      }
    });

    it('a second Connect replaces a sign-in still waiting (its tab was abandoned)', async () => {
      const a = await startApp(sb);
      try {
        const abandoned = await a.accounts.connect(provider);
        const response = await signInPage(sb, abandoned.authUrl, MAYA);
        const next = await a.accounts.connect(provider);
        expect(await a.outcome(abandoned.flowId)).toMatchObject({ state: 'cancelled' });
        await playBrowser(sb, next.authUrl, MAYA);
        expect(await a.outcome(next.flowId)).toMatchObject({ state: 'completed' });
        await new Promise((r) => setTimeout(r, 1200));
        await expect(deliver(response)).rejects.toThrow(); // the old loopback is gone
      } finally {
        await a.close();
      }
    });
  });
}
