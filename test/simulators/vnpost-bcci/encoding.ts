/**
 * Byte-level helpers for the BCCI report files: Windows-1258 text (Vietnamese with combining tone marks, as old
 * exports write it) and fixed timestamps inside a zip (so an XLSX is a pure function of its content).
 */
import * as iconv from 'iconv-lite';

const SHAPE_MARKS = new Set(['\u0302', '\u0306', '\u031b']); // circumflex, breve, horn: precomposed in 1258
const encodable = new Map<string, boolean>();

function inWin1258(ch: string): boolean {
  let ok = encodable.get(ch);
  if (ok === undefined) {
    ok = iconv.decode(iconv.encode(ch, 'win1258'), 'win1258') === ch;
    encodable.set(ch, ok);
  }
  return ok;
}

/**
 * The Windows-1258 form of a text: letters the code page holds stay precomposed (â, ê, ô, ơ, ư, ă, đ, à, á …),
 * the others are split into a base letter with its shape mark and a combining tone mark (ề → ê + U+0300).
 * Decoding the bytes and normalising to NFC gives the original text back.
 */
export function toWin1258Form(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (inWin1258(ch)) {
      out += ch;
      continue;
    }
    const parts = [...ch.normalize('NFD')];
    const base = parts[0];
    const shapes = parts.slice(1).filter((m) => SHAPE_MARKS.has(m));
    const tones = parts.slice(1).filter((m) => !SHAPE_MARKS.has(m));
    out += (base + shapes.join('')).normalize('NFC') + tones.join('');
  }
  return out;
}

/** Encodes Vietnamese text in Windows-1258 (characters outside the code page become `?`). */
export function encodeWin1258(text: string): Buffer {
  return iconv.encode(toWin1258Form(text), 'win1258');
}

/** MS-DOS date and time words of a wall-clock date (its UTC fields are used). */
function dosStamp(date: Date): { time: number; day: number } {
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  return { time, day };
}

/**
 * Rewrites the modification time of every entry of a zip (local headers and central directory) in place, so
 * the same content always gives the same bytes. Leaves the buffer untouched when it is not a plain zip.
 */
export function fixZipTimestamps(zip: Buffer, date: Date): Buffer {
  const { time, day } = dosStamp(date);
  // end of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return zip;
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) break;
    zip.writeUInt16LE(time, p + 12);
    zip.writeUInt16LE(day, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (local + 30 <= zip.length && zip.readUInt32LE(local) === 0x04034b50) {
      zip.writeUInt16LE(time, local + 10);
      zip.writeUInt16LE(day, local + 12);
    }
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}
