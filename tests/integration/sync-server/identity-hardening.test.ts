// Issue 12, items 7-9: who a token says you are. Each case goes over real HTTP or a real
// WebSocket to a server that trusts a local OpenID issuer, with tokens that issuer really signs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncServer, type SyncServerHandle } from '../../../sync-server';
import { call, closeCodeOf, createRoom, rawSocket } from './support/harness';
import { startLocalIssuer, type LocalIssuer } from './support/local-issuer';

let issuer: LocalIssuer;
let server: SyncServerHandle;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

beforeAll(async () => {
  issuer = await startLocalIssuer({ https: false });
  server = await startSyncServer({
    issuers: [issuer.issuer],
    audiences: [issuer.audience],
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

const token = (email: string, extra: Parameters<LocalIssuer['token']>[0] = { email }) =>
  issuer.token({ ...extra, email });
const status = async (t: string) => (await call(server.httpUrl, 'GET', '/rooms', { token: t })).status;

/** The WebSocket close code `t` gets on `roomId`. */
async function joinCode(roomId: string, t: string): Promise<number> {
  const ws = await rawSocket(`${server.url}/${roomId}?token=${t}`);
  ws.on('error', () => undefined);
  const code = closeCodeOf(ws);
  setTimeout(() => ws.close(1000), 300); // a member stays; close it ourselves to read 1000/1005
  return code;
}

describe('item 7: addresses that would fold into someone else', () => {
  // [what, the victim, an address that today's normalization turned into (or near) the victim]
  const confusable: Array<[string, string, string]> = [
    ['Kelvin sign for K', 'kelvin@example.com', '\u212Aelvin@example.com'],
    ['leading byte-order mark', 'alice@example.com', '\uFEFFalice@example.com'],
    ['trailing no-break space', 'alice@example.com', 'alice@example.com\u00A0'],
    ['trailing tab', 'alice@example.com', 'alice@example.com\t'],
    ['zero-width joiner', 'alice@example.com', 'al\u200Dice@example.com'],
    ['right-to-left override', 'alice@example.com', '\u202Ealice@example.com'],
    ['fullwidth letter', 'alice@example.com', '\uFF41lice@example.com'],
    ['ligature', 'office@example.com', 'o\uFB03ce@example.com'],
    ['line separator', 'alice@example.com', 'alice@example.com\u2028'],
    ['C1 control', 'alice@example.com', '\u0085alice@example.com'],
  ];

  it.each(confusable)(
    'refuses a token whose email has a %s and keeps the victim’s room closed',
    async (_what, victim, lookalike) => {
      const roomId = await createRoom(server.httpUrl, await token(victim), [victim, 'bob@example.com']);
      const forged = await token(lookalike);
      expect(await status(forged)).toBe(401);
      expect(await joinCode(roomId, forged)).toBe(4401);
      // and the address is refused as a participant too
      const res = await call(server.httpUrl, 'POST', '/rooms', {
        token: await token('bob@example.com'),
        body: { participants: ['bob@example.com', lookalike] },
      });
      expect(res.status).toBe(400);
    },
  );

  it('still folds ASCII case and canonical (NFC) forms, and nothing else', async () => {
    const roomId = await createRoom(server.httpUrl, await token('zo\u00EB@example.com'), [
      'zo\u00EB@example.com',
      'bob@example.com',
    ]);
    // ASCII case: the same person
    expect(await joinCode(roomId, await token('ZO\u00EB@Example.COM'))).toBe(1000);
    // decomposed ë (e + combining diaeresis) is canonically the same address
    expect(await joinCode(roomId, await token('zoe\u0308@example.com'))).toBe(1000);
    // a non-ASCII capital is a different address: no Unicode case folding
    expect(await joinCode(roomId, await token('zo\u00CB@example.com'))).toBe(4403);
  });
});

describe('item 8: tid and xms_edov count only for Microsoft issuers', () => {
  const unverifiedButEdov = {
    email: 'eve@contoso.com',
    emailVerified: false,
    extra: { tid: TENANT, xms_edov: true },
  };

  it('a non-Microsoft issuer cannot override email_verified: false with them', async () => {
    expect(await status(await issuer.token(unverifiedButEdov))).toBe(401);
    expect(await status(await issuer.token({ ...unverifiedButEdov, emailVerified: null }))).toBe(401);
  });

  it('the same claims do prove the email for an issuer configured as Microsoft', async () => {
    const microsoft = await startSyncServer({
      issuers: [],
      microsoftIssuers: [issuer.issuer],
      audiences: [issuer.audience],
      logLevel: 'silent',
    });
    try {
      const res = await call(microsoft.httpUrl, 'GET', '/rooms', {
        token: await issuer.token({ ...unverifiedButEdov, emailVerified: null }),
      });
      expect(res.status).toBe(200);
    } finally {
      await microsoft.close();
    }
  });
});

describe('item 9: tokens for several audiences', () => {
  const ours = () => issuer.audience;
  it.each([
    ['no azp', () => ({})],
    ['an azp that is not ours', () => ({ azp: 'other-app' })],
  ])('refuses a multi-audience token with %s', async (_what, azp) => {
    const t = await issuer.token({
      email: 'carol@example.com',
      audience: [ours(), 'other-app'] as unknown as string,
      extra: azp(),
    });
    expect(await status(t)).toBe(401);
  });

  it('accepts a multi-audience token whose azp is ours, and single-audience tokens as before', async () => {
    const multi = await issuer.token({
      email: 'carol@example.com',
      audience: ['other-app', ours()] as unknown as string,
      extra: { azp: ours() },
    });
    expect(await status(multi)).toBe(200);
    expect(await status(await token('carol@example.com'))).toBe(200);
  });
});
