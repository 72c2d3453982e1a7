// Dexie storage over fake-indexeddb: the app's real storage, with an in-process IndexedDB.
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';

export const fakeDexieStorage = () => getRxStorageDexie({ indexedDB, IDBKeyRange });

let counter = 0;
/** RxDB names allow lower-case letters, digits and a few symbols; unique per test. */
export const uniqueDbName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;
