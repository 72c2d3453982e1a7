// Private notes at rest (docs/architecture.md §2). Every read and write of a private note body
// goes through a codec, and the stored document records which codec wrote it (`bodyScheme`), so
// old bodies stay readable and are re-encoded with the current codec on their next save.
//
// Codecs: 'plain' (bodies written before encryption; read only, never written any more) and
// 'aes-gcm-1': AES-256-GCM through WebCrypto with a fresh 96-bit IV per save, stored as
// "<base64 iv>.<base64 ciphertext+tag>". The key is main's (sealed by the platform's secret
// storage, `privateNotes.key` over the bridge) and is held in this window's memory only.
export interface PrivateNoteCodec {
  /** Name stored in `bodyScheme`. */
  readonly scheme: string;
  encode(plain: string): Promise<string>;
  decode(stored: string): Promise<string>;
}

export type CodecRegistry = ReadonlyMap<string, PrivateNoteCodec>;

/** A body that cannot be read back: wrong key, altered or damaged data, unknown scheme. */
export class PrivateNoteCodecError extends Error {}

/** Bodies stored before encryption arrived: read as is. */
export const plainCodec: PrivateNoteCodec = {
  scheme: 'plain',
  encode: async (plain) => plain,
  decode: async (stored) => stored,
};

/** Only what needs no key: enough to read old plain notes, never to write. */
export const defaultCodecs: CodecRegistry = new Map([[plainCodec.scheme, plainCodec]]);

export const AES_GCM_SCHEME = 'aes-gcm-1';
const IV_BYTES = 12;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Imports main's raw key (base64, 32 bytes) as a non-extractable AES-GCM key. */
export async function importPrivateNoteKey(base64: string): Promise<CryptoKey> {
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = fromBase64(base64);
  } catch {
    throw new PrivateNoteCodecError('The private notes key is not valid base64.');
  }
  if (raw.length !== 32) throw new PrivateNoteCodecError('The private notes key must be 32 bytes.');
  return globalThis.crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

export function aesGcmCodec(key: CryptoKey): PrivateNoteCodec {
  return {
    scheme: AES_GCM_SCHEME,
    async encode(plain) {
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await globalThis.crypto.subtle.encrypt(
        { name: 'AES-GCM', iv },
        key,
        new TextEncoder().encode(plain),
      );
      return `${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
    },
    async decode(stored) {
      const parts = stored.split('.');
      let iv: Uint8Array<ArrayBuffer>;
      let data: Uint8Array<ArrayBuffer>;
      try {
        if (parts.length !== 2) throw new Error('shape');
        iv = fromBase64(parts[0]!);
        data = fromBase64(parts[1]!);
        if (iv.length !== IV_BYTES || data.length < 16) throw new Error('length');
      } catch {
        throw new PrivateNoteCodecError('This private note is damaged: it is not in the encrypted format.');
      }
      let plain: ArrayBuffer;
      try {
        plain = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, data);
      } catch {
        // GCM's tag fails the same way for both; the message names both causes.
        throw new PrivateNoteCodecError(
          'This private note cannot be decrypted: it was encrypted with another key, or it was altered.',
        );
      }
      return new TextDecoder().decode(plain);
    },
  };
}

/** What a window reads and writes private notes with, once it has main's key. */
export interface PrivateNoteCodecs {
  /** The codec every save uses. */
  readonly write: PrivateNoteCodec;
  /** Every codec a stored body may name. */
  readonly read: CodecRegistry;
}

export function codecsWithKey(key: CryptoKey): PrivateNoteCodecs {
  const aes = aesGcmCodec(key);
  return { write: aes, read: new Map([...defaultCodecs, [aes.scheme, aes]]) };
}

export function codecFor(scheme: string, codecs: CodecRegistry = defaultCodecs): PrivateNoteCodec {
  const codec = codecs.get(scheme);
  if (!codec)
    throw new PrivateNoteCodecError(
      `This private note was stored as "${scheme}", which this version of Duet cannot read.`,
    );
  return codec;
}
