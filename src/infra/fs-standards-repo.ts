import fs from 'node:fs/promises';
import path from 'node:path';
import type { StandardEntry, StandardsRepo } from '../ports/standards-repo.js';

/** StandardsRepo over the local file system. Symlinks are not followed out of the directory. */
export class FsStandardsRepo implements StandardsRepo {
  constructor(readonly dir: string) {}

  async exists(): Promise<boolean> {
    try {
      return (await fs.stat(this.dir)).isDirectory();
    } catch {
      return false;
    }
  }

  async list(): Promise<StandardEntry[]> {
    if (!(await this.exists())) return [];
    const out: StandardEntry[] = [];
    const walk = async (rel: string): Promise<void> => {
      const entries = await fs.readdir(path.join(this.dir, rel), { withFileTypes: true });
      // The entries of one directory are looked at together: thousands of sequential stats add up.
      await Promise.all(
        entries.map(async (e) => {
          if (e.name.startsWith('.')) return;
          const childRel = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) await walk(childRel);
          else if (e.isFile() && e.name.toLowerCase().endsWith('.md')) {
            const st = await fs.stat(path.join(this.dir, childRel));
            // The change time moves on every write and cannot be set back (unlike the modification time).
            const signature = `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
            out.push({ file: childRel, size: st.size, signature, changedAt: Math.max(st.mtimeMs, st.ctimeMs) });
          }
        }),
      );
    };
    await walk('');
    return out.sort((a, b) => a.file.localeCompare(b.file));
  }

  async read(file: string): Promise<Uint8Array> {
    return fs.readFile(path.join(this.dir, ...file.split('/')));
  }
}
