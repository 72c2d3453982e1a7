// The seam for encrypting private notes at rest (a later issue). Every read and write of a private
// note body goes through a codec; the stored document records which one wrote it (`bodyScheme`),
// so an encrypting codec can be introduced without a flag day: it reads old 'plain' bodies and
// writes new ones encrypted (the key will come from main's OS-backed secret storage).
export interface PrivateNoteCodec {
  /** Name stored in `bodyScheme`. */
  readonly scheme: string;
  encode(plain: string): Promise<string>;
  decode(stored: string): Promise<string>;
}

/** Today's codec: stores the body as is. Replace, do not edit, when encryption lands. */
export const plainCodec: PrivateNoteCodec = {
  scheme: 'plain',
  encode: async (plain) => plain,
  decode: async (stored) => stored,
};

const codecs = new Map<string, PrivateNoteCodec>([[plainCodec.scheme, plainCodec]]);

/** The codec new notes are written with. */
export const currentCodec = (): PrivateNoteCodec => plainCodec;

export function codecFor(scheme: string): PrivateNoteCodec {
  const codec = codecs.get(scheme);
  if (!codec) throw new Error(`No codec for private notes stored as "${scheme}"`);
  return codec;
}
