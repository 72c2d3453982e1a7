// y-leveldb ships declarations but its package.json "exports" does not point at them, so
// TypeScript cannot find them under moduleResolution "Bundler". We use only its key encoding.
declare module 'y-leveldb' {
  export const keyEncoding: {
    buffer: boolean;
    type: string;
    encode(arr: Array<string | number>): Uint8Array;
    decode(buf: Uint8Array): Array<string | number>;
  };
}
