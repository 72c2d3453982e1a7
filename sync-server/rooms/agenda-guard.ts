// The agenda's author rule, enforced where a modified client cannot get around it
// (docs/architecture.md §5, §7): an update may not remove a topic someone else wrote, nor change
// or remove any topic's author (replacing a topic by one with the same author is allowed: that
// is a roll-over race, and no more than an edit). The room knows which signed-in user sent each update; an update
// that breaks the rule is refused before the room's document sees it, so it is neither stored
// nor relayed, and its connection is closed.
//
// The layout checked is the meeting document's (src-shared/workspace/meeting-doc.ts): a root map
// 'topics' of id -> Y.Map with an 'author' key holding the lower-cased email of who added it.
//
// Cost: every update is decoded once more (linear in its bytes) and each of its structs and
// deletions is located in the room's document (a binary search each, plus the items a deletion
// covers, which applying it walks anyway). Only an update that can touch a topic entry or an
// 'author' value (adding a topic or an action item, deleting one, or anything whose place the
// room cannot tell) pays for the exact check: it is applied to a scratch copy of the document,
// which costs the document's size. Edits of text, notes, done flags and order never do. The room
// runs the exact check outside the frame handler, in the sender's turn of the fair work queue
// (rooms/room.ts), so a big document's copy never holds the event loop for a burst of frames.
import * as Y from 'yjs';

const TOPICS = 'topics';
const AUTHOR = 'author';

/** An update the room will not take (close code and reason for the sender). */
export class UpdateRefusedError extends Error {
  constructor(
    /** 4422: breaks the author rule (permanent). 1008: cannot be checked yet (retry after a sync). */
    readonly code: 4422 | 1008,
    reason: string,
  ) {
    super(reason);
  }
  /** Bytes of the document copied to reach the verdict (what the refusal cost the room). */
  copiedBytes = 0;
}

type AnyStruct = Y.Item | Y.GC | Y.Skip;
type ParentRef = string | Y.ID | null;
/** Any shared type, as the doc holds them. */
type SharedType = NonNullable<ReturnType<Y.Doc['share']['get']>>;

/** Whether integrating a struct of the update could displace a topic or an author. */
type Place = 'safe' | 'risky' | 'unknown';

/**
 * Throws UpdateRefusedError when `update` (Yjs v1, as y-websocket sends) from `sender` would
 * delete a topic another person wrote or change a topic's author in `doc`. Returns the bytes the
 * exact check copied (0 when the pre-filter cleared the update).
 */
export function checkAgendaUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  sender: string,
  /** Takes one exact check from the sender's allowance (each costs the document's size). */
  takeExactCheck: () => boolean = () => true,
): number {
  if (!mayTouchAgenda(doc, update)) return 0;
  if (!takeExactCheck()) throw new UpdateRefusedError(1008, 'too many agenda changes');
  return exactCheck(doc, update, sender);
}

/**
 * Sound pre-filter: false only when the update provably neither replaces nor deletes an existing
 * entry of the root 'topics' map nor any existing 'author' value. Adding a topic or an action
 * item (a new key, a new map with its own author) is not a risk and needs no exact check.
 */
export function mayTouchAgenda(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  const topics = doc.share.get(TOPICS);
  const own = indexByClient(structs);
  const places = new Map<AnyStruct, Place>();
  const stateOf = (client: number): number => {
    const list = doc.store.clients.get(client);
    return list?.length ? lastClock(list) : 0;
  };

  const placeOf = (struct: AnyStruct, depth: number): Place => {
    if (!(struct instanceof Y.Item)) return 'safe'; // a GC or a skip integrates nothing
    // Already in the room (a resent state): Yjs ignores it.
    if (struct.id.clock + struct.length <= stateOf(struct.id.client)) return 'safe';
    const known = places.get(struct);
    if (known) return known;
    if (depth > 64) return 'unknown';
    places.set(struct, 'unknown'); // a cycle in crafted data stays unknown
    let place: Place;
    const parent = struct.parent as unknown as ParentRef;
    if (parent !== null) {
      // An explicit parent (a root type by name, a nested type by its item's id) is written
      // only for an item with no neighbour: the first value of a map key, or a first insert.
      if (parent === TOPICS && struct.parentSub !== null) {
        // A topic id the room already holds would be displaced.
        place = topics?._map.has(struct.parentSub) ? 'risky' : 'safe';
      } else if (struct.parentSub === AUTHOR) {
        // The author of a map made in this same update is its first author; any other is not.
        place = typeof parent !== 'string' && findIn(own.get(parent.client), parent.clock) ? 'safe' : 'risky';
      } else place = 'safe';
    } else {
      // Parent and key come from the neighbour it was inserted next to.
      const neighbour = struct.origin ?? struct.rightOrigin;
      if (!neighbour) place = 'unknown';
      else {
        const inDoc = findInDoc(doc, neighbour);
        if (inDoc === 'gc')
          place = 'safe'; // Yjs drops an item next to collected content
        else if (inDoc) place = isAgendaValue(inDoc, topics) ? 'risky' : 'safe';
        else {
          const inUpdate = findIn(own.get(neighbour.client), neighbour.clock);
          place =
            inUpdate instanceof Y.Item
              ? placeOf(inUpdate, depth + 1)
              : inUpdate instanceof Y.GC
                ? 'safe'
                : 'unknown'; // a skip or nothing: the room lacks the neighbour
        }
      }
    }
    places.set(struct, place);
    return place;
  };

  for (const struct of structs) if (placeOf(struct, 0) !== 'safe') return true;

  for (const [client, ranges] of ds.clients) {
    const list = doc.store.clients.get(client);
    const state = stateOf(client);
    for (const { clock, len } of ranges) {
      const end = clock + len;
      if (list && clock < state) {
        for (let i = Y.findIndexSS(list, clock); i < list.length && list[i]!.id.clock < end; i++) {
          const item = list[i]!;
          if (item instanceof Y.Item && !item.deleted && isAgendaValue(item, topics)) return true;
        }
      }
      // Beyond what the room holds: only this update's own new structs may be deleted there
      // (they were judged above); anything else would wait as a pending deletion.
      for (let at = Math.max(clock, state); at < end;) {
        const mine = findIn(own.get(client), at);
        if (!(mine instanceof Y.Item)) return true;
        at = mine.id.clock + mine.length;
      }
    }
  }
  return false;
}

/** An integrated item that is a topic entry or an author value. */
function isAgendaValue(item: Y.Item, topics: SharedType | undefined): boolean {
  if (item.parentSub === AUTHOR) return true;
  return topics !== undefined && item.parent === topics && item.parentSub !== null;
}

function lastClock(list: ReadonlyArray<Y.Item | Y.GC>): number {
  const last = list[list.length - 1]!;
  return last.id.clock + last.length;
}

/** The integrated struct holding `id`, 'gc' for collected content, null when the room lacks it. */
function findInDoc(doc: Y.Doc, id: Y.ID): Y.Item | 'gc' | null {
  const list = doc.store.clients.get(id.client);
  if (!list?.length || id.clock >= lastClock(list)) return null;
  const struct = list[Y.findIndexSS(list, id.clock)]!;
  return struct instanceof Y.Item ? struct : 'gc';
}

function indexByClient(structs: readonly AnyStruct[]): Map<number, AnyStruct[]> {
  const out = new Map<number, AnyStruct[]>();
  for (const s of structs) {
    let list = out.get(s.id.client);
    if (!list) out.set(s.id.client, (list = []));
    list.push(s);
  }
  for (const list of out.values()) list.sort((a, b) => a.id.clock - b.id.clock);
  return out;
}

function findIn(list: readonly AnyStruct[] | undefined, clock: number): AnyStruct | null {
  if (!list) return null;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = list[mid]!;
    if (clock < s.id.clock) hi = mid - 1;
    else if (clock >= s.id.clock + s.length) lo = mid + 1;
    else return s;
  }
  return null;
}

interface TopicBefore {
  item: Y.Item;
  author: unknown;
}

function liveValue(type: SharedType, key: string): { item: Y.Item; value: unknown } | null {
  const item = type._map.get(key);
  if (!item || item.deleted) return null;
  const content = item.content.getContent();
  return { item, value: content[content.length - 1] };
}

function topicsOf(doc: Y.Doc): Map<string, TopicBefore> {
  const out = new Map<string, TopicBefore>();
  const topics = doc.share.get(TOPICS);
  if (!topics) return out;
  for (const key of topics._map.keys()) {
    const entry = liveValue(topics, key);
    if (!entry) continue;
    const value = entry.value;
    const author = value instanceof Y.AbstractType ? liveValue(value, AUTHOR)?.value : undefined;
    out.set(key, { item: entry.item, author });
  }
  return out;
}

/** Applies the update to a scratch copy and compares every topic before and after. */
function exactCheck(doc: Y.Doc, update: Uint8Array, sender: string): number {
  const scratch = new Y.Doc();
  let copied = 0;
  try {
    const state = Y.encodeStateAsUpdate(doc);
    copied = state.byteLength;
    Y.applyUpdate(scratch, state);
    const before = topicsOf(scratch);
    Y.applyUpdate(scratch, update);
    if (scratch.store.pendingStructs !== null || scratch.store.pendingDs !== null)
      throw new UpdateRefusedError(1008, 'agenda change with missing dependencies; sync first');
    const after = topicsOf(scratch);
    for (const [key, was] of before) {
      const now = after.get(key);
      if (!now) {
        if (was.author !== sender) throw new UpdateRefusedError(4422, 'only the author deletes a topic');
      } else if (now.item !== was.item) {
        // A replacement by an entry with the same author keeps the topic (nothing more than an
        // edit of its fields): it is what two apps rolling the same topic over at once make,
        // both writing one deterministic key (docs/architecture.md §5 "Roll-over").
        if (was.author !== sender && now.author !== was.author)
          throw new UpdateRefusedError(4422, 'only the author deletes a topic');
      } else if (now.author !== was.author) {
        throw new UpdateRefusedError(4422, "a topic's author cannot change");
      }
    }
    return state.byteLength;
  } catch (error) {
    if (error instanceof UpdateRefusedError) error.copiedBytes = copied;
    throw error;
  } finally {
    scratch.destroy();
  }
}
