// y-leveldb ships declarations but its package.json "exports" does not point at them, so
// TypeScript cannot find them under moduleResolution "Bundler". Only what Duet uses: the key
// encoding (our LevelDB layout is y-leveldb's) and LeveldbPersistence (tests prove that
// y-leveldb itself can read our data dir).
declare module 'y-leveldb' {
  import type * as Y from 'yjs';

  export const keyEncoding: {
    buffer: boolean;
    type: string;
    encode(arr: Array<string | number>): Uint8Array;
    decode(buf: Uint8Array): Array<string | number>;
  };

  export class LeveldbPersistence {
    constructor(location: string);
    getYDoc(docName: string): Promise<Y.Doc>;
    getAllDocNames(): Promise<string[]>;
    destroy(): Promise<void>;
  }
}
