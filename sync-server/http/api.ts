// The HTTP face: rooms, webhook registrations, the public webhooks and /healthz.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SyncServerLimits } from '../config';
import type { Logger } from '../log';
import {
  AuthError,
  AuthUnavailableError,
  bearerToken,
  type Identity,
  type TokenVerifier,
} from '../auth/oidc-verifier';
import type { RateBucket, UserCounters } from '../limits/user-counters';
import {
  NotParticipantError,
  RoomLimitError,
  RoomRateError,
  type RoomDirectory,
  type RoomRecord,
} from '../rooms/room-directory';
import { isEmail, normalizeEmail } from '../rooms/room-ids';
import type { EventHub } from '../relay/event-hub';
import {
  RegistrationConflictError,
  RegistrationLimitError,
  digest,
  microsoftRegistrationId,
  type Registration,
  type RegistrationStore,
} from '../relay/registrations';
import { handleGoogleHook, handleGraphHook } from '../relay/webhooks';
import { HttpError, readJson, sendJson, sendPreflight } from './io';

export interface ApiContext {
  readonly verifier: TokenVerifier;
  readonly directory: RoomDirectory;
  readonly registrations: RegistrationStore;
  readonly hub: EventHub;
  readonly limits: SyncServerLimits;
  /** Per-user counters (shared by every process in a cluster) and the HTTP request bucket. */
  readonly counters: UserCounters;
  readonly httpBucket: RateBucket;
  readonly log: Logger;
  health(): Record<string, unknown>;
}

const JSON_LIMIT = 64 * 1024;
const CHANNEL_ID = /^[A-Za-z0-9\-_+/=]{1,64}$/;

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'body must be a JSON object');
  return body as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max)
    throw new HttpError(400, `${field} must be a string of 1-${max} characters`);
  return value;
}

function requiredString(body: Record<string, unknown>, field: string, max: number): string {
  const value = optionalString(body, field, max);
  if (value === undefined) throw new HttpError(400, `${field} is required`);
  return value;
}

function parseExpiration(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? /^\d+$/.test(value)
          ? Number(value)
          : Date.parse(value)
        : NaN;
  if (!Number.isFinite(ms)) throw new HttpError(400, 'expiration must be ms since epoch or an ISO date');
  return ms;
}

/** The request's path; a target no URL parser accepts is the client's mistake (400), not ours. */
function requestPath(target: string | undefined): string {
  try {
    return new URL(target ?? '/', 'http://x').pathname;
  } catch {
    throw new HttpError(400, 'malformed request target');
  }
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'malformed percent-encoding in path');
  }
}

function roomView(room: RoomRecord) {
  return { roomId: room.roomId, participants: room.participants, kind: room.kind, createdAt: room.createdAt };
}

function registrationView(reg: Registration) {
  return {
    id: reg.id,
    provider: reg.provider,
    account: reg.account,
    ...(reg.subscriptionId ? { subscriptionId: reg.subscriptionId } : {}),
    ...(reg.calendarId ? { calendarId: reg.calendarId } : {}),
    ...(reg.expiresAt !== undefined ? { expiresAt: new Date(reg.expiresAt).toISOString() } : {}),
  };
}

export function createRequestHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  async function authenticate(req: IncomingMessage): Promise<Identity> {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new HttpError(401, 'missing bearer token', { 'www-authenticate': 'Bearer' });
    let identity: Identity;
    try {
      identity = await ctx.verifier.verify(token);
    } catch (err) {
      if (err instanceof AuthUnavailableError)
        throw new HttpError(503, 'cannot verify tokens right now', { 'retry-after': '10' });
      if (err instanceof AuthError) {
        throw new HttpError(401, err.message, {
          'www-authenticate': `Bearer error="invalid_token", error_description="${err.message.replace(/"/g, "'")}"`,
        });
      }
      throw err;
    }
    const verdict = await ctx.counters.take(ctx.httpBucket, identity.email);
    if (!verdict.ok) {
      throw new HttpError(429, 'too many requests', { 'retry-after': String(verdict.retryAfterSeconds) });
    }
    return identity;
  }

  async function createRoom(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = await authenticate(req);
    const body = asObject(await readJson(req, JSON_LIMIT));
    const participants = body.participants;
    if (!Array.isArray(participants) || participants.length !== 2 || !participants.every(isEmail)) {
      throw new HttpError(400, 'participants must be an array of exactly two email addresses');
    }
    const pair: [string, string] = [participants[0] as string, participants[1] as string];
    if (normalizeEmail(pair[0]) === normalizeEmail(pair[1]))
      throw new HttpError(400, 'participants must be two different people');
    const iCalUID = optionalString(body, 'iCalUID', 1024);
    try {
      if (iCalUID !== undefined) {
        const { room, created } = await ctx.directory.openCalendarRoom(user.email, iCalUID, pair);
        sendJson(res, created ? 201 : 200, roomView(room));
      } else {
        sendJson(res, 201, roomView(await ctx.directory.createRandomRoom(user.email, pair)));
      }
    } catch (err) {
      if (err instanceof NotParticipantError) throw new HttpError(403, err.message);
      if (err instanceof RoomLimitError) throw new HttpError(429, err.message);
      if (err instanceof RoomRateError)
        throw new HttpError(429, err.message, { 'retry-after': String(err.retryAfterSeconds) });
      throw err;
    }
  }

  async function listRooms(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = await authenticate(req);
    sendJson(res, 200, { rooms: (await ctx.directory.listFor(user.email)).map(roomView) });
  }

  async function register(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = await authenticate(req);
    const body = asObject(await readJson(req, JSON_LIMIT));
    const account = body.account;
    if (!isEmail(account)) throw new HttpError(400, 'account must be the calendar account email');
    const calendarId = optionalString(body, 'calendarId', 1024);
    const expiresAt = parseExpiration(body.expiration);
    let reg: Registration;
    if (body.provider === 'google') {
      const channelId = requiredString(body, 'channelId', 64);
      if (!CHANNEL_ID.test(channelId))
        throw new HttpError(400, 'channelId may use letters, digits and -_+/= only');
      const token = requiredString(body, 'token', 256);
      reg = {
        provider: 'google',
        id: channelId,
        owner: user.email,
        account: account.toLowerCase(),
        secretDigest: digest(token),
        calendarId,
        expiresAt,
      };
    } else if (body.provider === 'microsoft') {
      const clientState = requiredString(body, 'clientState', 128);
      const subscriptionId = optionalString(body, 'subscriptionId', 256);
      reg = {
        provider: 'microsoft',
        id: microsoftRegistrationId(clientState),
        owner: user.email,
        account: account.toLowerCase(),
        secretDigest: digest(clientState),
        subscriptionId,
        calendarId,
        expiresAt,
      };
    } else {
      throw new HttpError(400, 'provider must be "google" or "microsoft"');
    }
    try {
      await ctx.registrations.put(JSON.parse(JSON.stringify(reg)) as Registration);
    } catch (err) {
      if (err instanceof RegistrationConflictError) throw new HttpError(409, err.message);
      if (err instanceof RegistrationLimitError) throw new HttpError(429, err.message);
      throw err;
    }
    sendJson(res, 201, registrationView(reg));
  }

  async function listRegistrations(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const user = await authenticate(req);
    sendJson(res, 200, {
      registrations: (await ctx.registrations.listFor(user.email)).map(registrationView),
    });
  }

  async function unregister(
    req: IncomingMessage,
    res: ServerResponse,
    provider: string,
    id: string,
  ): Promise<void> {
    const user = await authenticate(req);
    if (provider !== 'google' && provider !== 'microsoft') throw new HttpError(404, 'unknown provider');
    const outcome = await ctx.registrations.remove(user.email, provider, id);
    if (outcome === 'not-found') throw new HttpError(404, 'no such registration');
    if (outcome === 'forbidden') throw new HttpError(403, 'this registration belongs to another user');
    sendJson(res, 200, { removed: true });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req.url);
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') return sendPreflight(res);
    if (path === '/healthz' && method === 'GET') return sendJson(res, 200, ctx.health());
    if (path === '/rooms') {
      if (method === 'POST') return createRoom(req, res);
      if (method === 'GET') return listRooms(req, res);
      throw new HttpError(405, 'use GET or POST');
    }
    if (path === '/hooks/google' && method === 'POST')
      return handleGoogleHook(req, res, ctx.registrations, ctx.hub, ctx.log);
    if (path === '/hooks/graph' && method === 'POST')
      return handleGraphHook(req, res, ctx.registrations, ctx.hub, ctx.log);
    if (path === '/hooks/registrations') {
      if (method === 'POST') return register(req, res);
      if (method === 'GET') return listRegistrations(req, res);
      throw new HttpError(405, 'use GET or POST');
    }
    const match = /^\/hooks\/registrations\/([^/]+)\/([^/]+)$/.exec(path);
    if (match && method === 'DELETE') return unregister(req, res, match[1]!, decodePathSegment(match[2]!));
    throw new HttpError(404, 'not found');
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        sendJson(res, err.status, { error: err.message }, err.headers);
        return;
      }
      ctx.log.error('request failed', {
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        error: String(err),
      });
      sendJson(res, 500, { error: 'internal error' });
    });
  };
}
