// The seam for encrypting private notes at rest (a later issue). Every read and write of a private
// note body goes through a codec, and the stored document records which codec wrote it
// (`bodyScheme`). So encryption arrives without a flag day: register an encrypting codec (its key
// from main's OS-backed secret storage), make it the one new notes are written with, and old
// 'plain' bodies still read — and are re-encoded on their next save.
export interface PrivateNoteCodec {
  /** Name stored in `bodyScheme`. */
  readonly scheme: string;
  encode(plain: string): Promise<string>;
  decode(stored: string): Promise<string>;
}

export type CodecRegistry = ReadonlyMap<string, PrivateNoteCodec>;

/** Today's codec: stores the body as is. Keep it registered after encryption lands (old notes). */
export const plainCodec: PrivateNoteCodec = {
  scheme: 'plain',
  encode: async (plain) => plain,
  decode: async (stored) => stored,
};

export const defaultCodecs: CodecRegistry = new Map([[plainCodec.scheme, plainCodec]]);

/** The codec new notes are written with. */
export const writeCodec: PrivateNoteCodec = plainCodec;

export function codecFor(scheme: string, codecs: CodecRegistry = defaultCodecs): PrivateNoteCodec {
  const codec = codecs.get(scheme);
  if (!codec)
    throw new Error(`This private note was stored as "${scheme}", which this version of Duet cannot read.`);
  return codec;
}
