// The PostgreSQL schema, as numbered migrations applied in order by the server at start
// (storage/postgres.ts). A released migration is never edited: change the schema by appending
// the next one. Every table is prefixed `duet_` so the database can be shared with others.
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rooms, records and the server secret',
    sql: `
      -- Append-only log of each room's Yjs updates. seq numbers a room's updates 1, 2, 3...
      -- A compaction replaces rows 1..n by one state row numbered n (docs/architecture.md §7).
      CREATE TABLE duet_room_updates (
        room_id text   NOT NULL,
        seq     bigint NOT NULL,
        data    bytea  NOT NULL,
        PRIMARY KEY (room_id, seq)
      );
      -- The last number handed out per room. Appends lock this row (upsert), so numbers are
      -- committed in order: a reader that sees n has everything below n.
      CREATE TABLE duet_room_heads (
        room_id  text   PRIMARY KEY,
        last_seq bigint NOT NULL
      );
      -- Room directory, relay registrations: small string records, listed by key prefix in
      -- byte order (collation "C").
      CREATE TABLE duet_records (
        key   text COLLATE "C" PRIMARY KEY,
        value text NOT NULL
      );
      -- The key of room-id derivation, shared by every process.
      CREATE TABLE duet_server_secret (
        id     smallint PRIMARY KEY CHECK (id = 1),
        secret bytea    NOT NULL
      );
    `,
  },
];
