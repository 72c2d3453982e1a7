// Completing an action item from a screen other than its meeting's page (Action items, a person's
// or a series' page): the edit goes into that meeting's Y.Doc, through its local copy and, when
// the user is signed in and the meeting has a room, through the sync server, so the other person
// sees it (docs/architecture.md §5, `editMeetingDoc`).
import type { DuetApi } from '../../../../src-shared/bridge/contract';
import type { MeetingDoc } from '../../db/schemas';
import type { DuetDatabase } from '../../db/database';
import { editMeetingDoc, type RemoteRoom } from '../meeting/content-projection';

/** Where the meeting's room is, when it can be reached now; null works on the local copy only. */
async function remoteOf(
  bridge: DuetApi,
  meeting: MeetingDoc,
): Promise<{ me: string; remote: RemoteRoom | null }> {
  const identity = await bridge.accounts.identity().catch(() => null);
  const me = identity?.email ?? '';
  if (!identity || !meeting.roomId) return { me, remote: null };
  const server = await bridge.sync.serverInfo().catch(() => null);
  if (!server || server.state !== 'running' || !server.url) return { me, remote: null };
  return { me, remote: { serverUrl: server.url, token: identity.idToken, roomId: meeting.roomId } };
}

export async function setItemDone(
  db: DuetDatabase,
  bridge: DuetApi,
  meeting: MeetingDoc,
  itemId: string,
  done: boolean,
): Promise<{ synced: boolean }> {
  const { me, remote } = await remoteOf(bridge, meeting);
  return editMeetingDoc(db, meeting.id, me, (ws) => ws.setDone('items', itemId, done), remote);
}
