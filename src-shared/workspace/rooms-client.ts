// Asks the sync server for a meeting's room (sync-server README "Rooms"; docs/architecture.md §5).
// A calendar meeting's room is derived from its room key (room-key.ts) and both participants, so
// both apps get the same id; a meeting made in the app gets a fresh room from its creator.
import type { MeetingDoc } from '../meeting/model';
import { roomKeyOf } from './room-key';

export class RoomRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The HTTP base of a sync server given its WebSocket URL (ws→http, wss→https). */
export function httpUrlOf(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  else if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RoomRequestError(`Not a sync server address: ${serverUrl}`, 0);
  return url.href.replace(/\/$/, '');
}

export async function requestRoom(
  serverUrl: string,
  token: string,
  meeting: Pick<MeetingDoc, 'calendarLink' | 'participants'>,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  if (meeting.participants.length !== 2)
    throw new RoomRequestError('A shared meeting needs exactly two participants.', 0);
  const key = roomKeyOf(meeting);
  const res = await fetchImpl(`${httpUrlOf(serverUrl)}/rooms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ participants: meeting.participants, ...(key ? { iCalUID: key } : {}) }),
  });
  const text = await res.text();
  if (res.status !== 200 && res.status !== 201)
    throw new RoomRequestError(
      `The sync server refused the room (${res.status}): ${text.slice(0, 200)}`,
      res.status,
    );
  let roomId: unknown;
  try {
    roomId = (JSON.parse(text) as { roomId?: unknown }).roomId;
  } catch {
    roomId = undefined;
  }
  if (typeof roomId !== 'string' || !roomId)
    throw new RoomRequestError('The sync server answered without a room id.', res.status);
  return roomId;
}
