import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileInfo, Files } from '../ports/files.js';

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Files on the local file system (node:fs). */
export class NodeFiles implements Files {
  async stat(file: string): Promise<FileInfo | null> {
    try {
      const st = await fs.stat(file);
      return {
        kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other',
        executable: (st.mode & 0o100) !== 0,
        size: st.size,
        mtimeMs: st.mtimeMs,
      };
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async readText(file: string): Promise<string | null> {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async writeText(file: string, text: string, opts: { executable?: boolean } = {}): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const mode = opts.executable ? 0o755 : 0o644;
    await fs.writeFile(file, text, { mode });
    // writeFile's mode applies to new files only; an existing hook must become executable too.
    if (opts.executable) await fs.chmod(file, mode);
  }

  async mkdir(dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
  }

  async remove(file: string): Promise<void> {
    const st = await this.stat(file);
    if (!st) return;
    if (st.kind === 'dir') {
      if ((await fs.readdir(file)).length === 0) await fs.rmdir(file);
      return;
    }
    await fs.rm(file, { force: true });
  }

  async entryKind(file: string): Promise<'file' | 'dir' | 'link' | 'other' | null> {
    try {
      const st = await fs.lstat(file);
      return st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async list(dir: string): Promise<string[]> {
    try {
      return (await fs.readdir(dir)).sort();
    } catch (e) {
      if (isMissing(e)) return [];
      throw e;
    }
  }
}
