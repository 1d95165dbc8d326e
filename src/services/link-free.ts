import path from 'node:path';
import type { Files } from '../ports/files.js';

/**
 * True when no symbolic link lies on the way from the project root to `rel` (the entry itself
 * included). Export and import write only such paths: a link committed to a repository could
 * otherwise point a write at any file of the user's.
 */
export async function linkFree(files: Files, root: string, rel: string): Promise<boolean> {
  let at = root;
  for (const part of rel.split('/')) {
    at = path.join(at, part);
    const kind = await files.entryKind(at);
    if (kind === 'link') return false;
    if (kind === null) return true;
  }
  return true;
}
