import { createHash } from 'node:crypto';

/** Hex sha256 of text or bytes; the index's change detector and cache key. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
