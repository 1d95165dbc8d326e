import { createHash } from 'node:crypto';

/** Hex sha256 of text or bytes; the index's change detector and cache key. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The id git gives these bytes as a blob (`git hash-object`): sha1 of `blob <size>\0` and the bytes. */
export function gitBlobId(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
