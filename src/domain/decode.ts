const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Text of a standard file, with a warning when it had to be decoded leniently. */
export type Decoded = { text: string; warning?: string } | { reason: string };

/**
 * Decode a standard's bytes: UTF-8 (BOM stripped); bytes that are not UTF-8 are read as
 * Windows-1252/Latin-1 so the file is still indexed; NUL bytes mean a binary file, which is skipped.
 */
export function decodeStandard(bytes: Uint8Array): Decoded {
  if (bytes.includes(0)) return { reason: 'binary file (contains NUL bytes)' };
  try {
    return { text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { text: latin1.decode(bytes), warning: 'not valid UTF-8; read as Latin-1 (save it as UTF-8 to silence this)' };
  }
}
