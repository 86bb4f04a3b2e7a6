// The charsets of the `raw` format's STRING values, with Java's behaviour on characters a charset cannot hold:
// decoding replaces malformed bytes with U+FFFD and encoding writes `?` for unmappable characters (what
// `new String(bytes, charset)` and `String.getBytes(charset)` do). The platform's `TextDecoder` is used for UTF-8 only:
// for `US-ASCII` and `ISO-8859-1` it follows the WHATWG encoding standard, which reads both as windows-1252.

/**
 * A charset: text to bytes and back.
 *
 * @internal
 */
export interface Charset {
  /** The canonical (Java) name. */
  readonly name: string;
  decode(bytes: Uint8Array): string;
  encode(text: string): Uint8Array;
}

const REPLACEMENT = '\ufffd';
const UNMAPPABLE = 0x3f; // '?'

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

const UTF_8: Charset = {
  name: 'UTF-8',
  decode: (bytes) => utf8Decoder.decode(bytes),
  encode: (text) => utf8Encoder.encode(text),
};

/** A single-byte charset holding the code points below `limit`. */
function singleByte(name: string, limit: number): Charset {
  return {
    name,
    decode(bytes) {
      let s = '';
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        s += b < limit ? String.fromCharCode(b) : REPLACEMENT;
      }
      return s;
    },
    encode(text) {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        out[i] = c < limit ? c : UNMAPPABLE;
      }
      return out;
    },
  };
}

function utf16Decode(bytes: Uint8Array, start: number, littleEndian: boolean): string {
  let s = '';
  const end = start + ((bytes.length - start) & ~1);
  for (let i = start; i < end; i += 2) {
    s += String.fromCharCode(littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!);
  }
  return end < bytes.length ? s + REPLACEMENT : s;
}

function utf16Encode(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const offset = bom ? 2 : 0;
  const out = new Uint8Array(offset + text.length * 2);
  if (bom) {
    out[0] = 0xfe;
    out[1] = 0xff;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[offset + 2 * i] = littleEndian ? c & 0xff : c >> 8;
    out[offset + 2 * i + 1] = littleEndian ? c >> 8 : c & 0xff;
  }
  return out;
}

const CHARSETS: readonly Charset[] = [
  UTF_8,
  singleByte('US-ASCII', 0x80),
  singleByte('ISO-8859-1', 0x100),
  { name: 'UTF-16BE', decode: (b) => utf16Decode(b, 0, false), encode: (t) => utf16Encode(t, false, false) },
  { name: 'UTF-16LE', decode: (b) => utf16Decode(b, 0, true), encode: (t) => utf16Encode(t, true, false) },
  {
    // Java's UTF-16: a byte-order mark decides on reading (big-endian without one); writing is big-endian with a mark.
    name: 'UTF-16',
    decode: (b) =>
      b.length >= 2 && b[0] === 0xff && b[1] === 0xfe ? utf16Decode(b, 2, true) : utf16Decode(b, b.length >= 2 && b[0] === 0xfe && b[1] === 0xff ? 2 : 0, false),
    encode: (t) => utf16Encode(t, false, true),
  },
];

/** Java's aliases of the supported charsets (lower case, without `-` and `_`). */
const ALIASES: Readonly<Record<string, string>> = {
  utf8: 'UTF-8',
  unicode11utf8: 'UTF-8',
  usascii: 'US-ASCII',
  ascii: 'US-ASCII',
  iso646us: 'US-ASCII',
  646: 'US-ASCII',
  iso88591: 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  l1: 'ISO-8859-1',
  cp819: 'ISO-8859-1',
  utf16be: 'UTF-16BE',
  unicodebigunmarked: 'UTF-16BE',
  utf16le: 'UTF-16LE',
  unicodelittleunmarked: 'UTF-16LE',
  utf16: 'UTF-16',
  unicode: 'UTF-16',
};

/**
 * The canonical names of the supported charsets.
 *
 * @internal
 */
export const SUPPORTED_CHARSETS: readonly string[] = CHARSETS.map((c) => c.name);

/**
 * The charset of a name or alias (case-insensitive), or undefined when it is not supported.
 *
 * @internal
 */
export function charsetNamed(name: string): Charset | undefined {
  const canonical = ALIASES[name.trim().toLowerCase().replace(/[-_]/g, '')];
  return canonical === undefined ? undefined : CHARSETS.find((c) => c.name === canonical);
}
