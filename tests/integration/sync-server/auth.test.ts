// Token verification against real JWKS over HTTPS with a self-signed CA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerFetch } from '../../../sync-server/auth/issuer-fetch';
import {
  AuthError,
  AuthUnavailableError,
  createOidcVerifier,
  type TokenVerifier,
} from '../../../sync-server/auth/oidc-verifier';
import { startLocalIssuer, type LocalIssuer } from './support/local-issuer';
import { startTokenSource, type ClosableTokenSource } from './support/token-source';

let issuer: LocalIssuer;
let other: LocalIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  [issuer, other] = await Promise.all([
    startLocalIssuer({ https: true }),
    startLocalIssuer({ https: true, audience: 'other-app' }),
  ]);
  verifier = createOidcVerifier({
    issuers: [issuer.issuer],
    // Microsoft-style: tid + xms_edov prove the email only for an issuer configured as Microsoft.
    microsoftIssuers: [issuer.tenantTemplate],
    audiences: [issuer.audience],
    fetch: createIssuerFetch([issuer.caPem!]),
    jwksCooldownMs: 100,
  });
});
afterAll(async () => {
  await issuer?.close();
  await other?.close();
});

const ALICE = 'Alice@Example.com';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('OIDC ID token verification', () => {
  it('accepts a valid token and returns the lowercased verified email', async () => {
    const identity = await verifier.verify(await issuer.token({ email: ALICE }));
    expect(identity.email).toBe('alice@example.com');
    expect(identity.issuer).toBe(issuer.issuer);
    expect(identity.expiresAt).toBeGreaterThan(Date.now());
  });

  it.each([
    ['expired', async () => issuer.token({ email: ALICE, expiresIn: -600 }), /expired/],
    ['forged (our kid, another key)', async () => issuer.forgedToken({ email: ALICE }), /rejected/],
    ['alg none', async () => issuer.unsignedToken({ email: ALICE }), /algorithm none/],
    ['HS256 keyed with our public key', async () => issuer.hs256Token({ email: ALICE }), /algorithm HS256/],
    [
      'for another audience',
      async () => issuer.token({ email: ALICE, audience: 'someone-else' }),
      /rejected/,
    ],
    [
      'with an unverified email',
      async () => issuer.token({ email: ALICE, emailVerified: false }),
      /not verified/,
    ],
    [
      'without email_verified',
      async () => issuer.token({ email: ALICE, emailVerified: null }),
      /not verified/,
    ],
    ['without email', async () => issuer.token({ email: '' }), /email/],
    [
      'from an untrusted issuer',
      async () => other.token({ email: ALICE, audience: issuer.audience }),
      /untrusted issuer/,
    ],
    [
      'claiming our issuer but signed by another',
      async () => other.token({ email: ALICE, issuer: issuer.issuer, audience: issuer.audience }),
      /rejected/,
    ],
    ['garbage', async () => 'not.a.jwt', /malformed/],
    ['empty', async () => '', /missing/],
  ])('refuses a token %s', async (_name, make, message) => {
    const token = await make();
    const error = await verifier.verify(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts Microsoft-style per-tenant issuers through a {tenantid} template', async () => {
    const tenantIssuer = `${issuer.issuer}/${TENANT}/v2.0`;
    const ok = await verifier.verify(
      await issuer.token({
        email: 'bob@contoso.com',
        issuer: tenantIssuer,
        emailVerified: null,
        extra: { tid: TENANT, xms_edov: true },
      }),
    );
    expect(ok.email).toBe('bob@contoso.com');
    expect(ok.issuer).toBe(tenantIssuer);
    // tid must match the tenant in iss
    const mismatch = await issuer.token({
      email: 'bob@contoso.com',
      issuer: tenantIssuer,
      extra: { tid: '00000000-0000-0000-0000-000000000000' },
    });
    await expect(verifier.verify(mismatch)).rejects.toThrow(/untrusted issuer/);
    // without a verified email (no email_verified, no xms_edov) it is refused
    const unverified = await issuer.token({
      email: 'bob@contoso.com',
      issuer: tenantIssuer,
      emailVerified: null,
      extra: { tid: TENANT },
    });
    await expect(verifier.verify(unverified)).rejects.toThrow(/not verified/);
  });

  it('also accepts the {tenantid} template itself as the configured issuer', async () => {
    const templated = createOidcVerifier({
      issuers: [],
      microsoftIssuers: [`${issuer.issuer}/{tenantid}/v2.0`],
      audiences: [issuer.audience],
      fetch: createIssuerFetch([issuer.caPem!]),
    });
    const tenantIssuer = `${issuer.issuer}/${TENANT}/v2.0`;
    const token = await issuer.token({
      email: 'bob@contoso.com',
      issuer: tenantIssuer,
      emailVerified: null,
      extra: { tid: TENANT, xms_edov: true },
    });
    expect((await templated.verify(token)).issuer).toBe(tenantIssuer);
    await expect(templated.verify(await issuer.token({ email: ALICE }))).rejects.toThrow(/untrusted issuer/);
  });

  it('picks up a rotated signing key by re-fetching the JWKS', async () => {
    await verifier.verify(await issuer.token({ email: ALICE }));
    const before = issuer.jwksFetches;
    await issuer.rotate();
    await new Promise((r) => setTimeout(r, 150)); // past the re-fetch cooldown
    const identity = await verifier.verify(await issuer.token({ email: ALICE }));
    expect(identity.email).toBe('alice@example.com');
    expect(issuer.jwksFetches).toBe(before + 1);
    // a forged token (known kid, wrong key) does not trigger another download
    const bogus = await issuer.forgedToken({ email: ALICE });
    await expect(verifier.verify(bogus)).rejects.toBeInstanceOf(AuthError);
    expect(issuer.jwksFetches).toBe(before + 1);
  });

  it('caches the JWKS between verifications', async () => {
    await verifier.verify(await issuer.token({ email: ALICE }));
    const before = issuer.jwksFetches;
    for (let i = 0; i < 5; i++) await verifier.verify(await issuer.token({ email: ALICE }));
    expect(issuer.jwksFetches).toBe(before);
  });

  it('does not trust the self-signed issuer without its CA', async () => {
    const strict = createOidcVerifier({
      issuers: [issuer.issuer],
      audiences: [issuer.audience],
      fetch: createIssuerFetch([]),
    });
    await expect(strict.verify(await issuer.token({ email: ALICE }))).rejects.toBeInstanceOf(
      AuthUnavailableError,
    );
  });

  it('reports an unreachable issuer as unavailable, not as a bad token', async () => {
    const gone = await startLocalIssuer({ https: false });
    const token = await gone.token({ email: ALICE });
    await gone.close();
    const v = createOidcVerifier({
      issuers: [gone.issuer],
      audiences: [gone.audience],
      fetch: createIssuerFetch([]),
    });
    await expect(v.verify(token)).rejects.toBeInstanceOf(AuthUnavailableError);
  });

  it('refuses every token when no audience is configured', async () => {
    const v = createOidcVerifier({
      issuers: [issuer.issuer],
      audiences: [],
      fetch: createIssuerFetch([issuer.caPem!]),
    });
    await expect(v.verify(await issuer.token({ email: ALICE }))).rejects.toThrow(/no audience/);
  });

  it('refuses plain-http issuers that are not on loopback', () => {
    expect(() =>
      createOidcVerifier({
        issuers: ['http://accounts.example.com'],
        audiences: ['x'],
        fetch: createIssuerFetch([]),
      }),
    ).toThrow(/https/);
  });
});

// The sandbox issuer is the one the app signs in with in sandbox mode; the local issuer above
// covers what it cannot do (rotation on demand, {tenantid} templates, alg tricks).
describe('OIDC ID tokens from the sandbox issuer', () => {
  let tokens: ClosableTokenSource;
  let sandboxVerifier: TokenVerifier;
  const SAM = 'sam.rivera@acme.test';
  beforeAll(async () => {
    tokens = await startTokenSource();
    await tokens.sandbox.admin.scenario({ people: [{ email: SAM, name: 'Sam Rivera' }] });
    sandboxVerifier = createOidcVerifier({
      issuers: [tokens.issuer],
      microsoftIssuers: [`${tokens.sandbox.microsoftAuthority}/v2.0`],
      audiences: [tokens.audience],
      fetch: createIssuerFetch([tokens.caPem!]),
    });
  });
  afterAll(() => tokens?.close());

  it('accepts a sandbox ID token', async () => {
    expect((await sandboxVerifier.verify(await tokens.token(SAM))).email).toBe(SAM);
  });

  it.each([
    ['expired', { expiresInSeconds: -120 }, /expired/],
    ['signed with an unpublished key', { unpublishedKey: true }, /rejected/],
    ['with an unverified email', { emailVerified: false }, /not verified/],
    ['for another audience', { aud: 'another-app' }, /rejected/],
  ])('refuses a sandbox token %s', async (_name, options, message) => {
    await expect(sandboxVerifier.verify(await tokens.tokenWith(SAM, options))).rejects.toThrow(message);
  });

  it('resolves the Microsoft tenant issuer and accepts its tokens, which carry xms_edov', async () => {
    const token = await tokens.tokenWith(SAM, { issuer: 'microsoft' });
    const user = await sandboxVerifier.verify(token);
    expect(user.email).toBe(SAM);
  });
});
