import fs from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../domain/errors.js';
import type { PersonaFile, PersonaOrigin, PersonaSource } from '../ports/persona-source.js';
import { packageRoot } from './package-info.js';

/** Persona files from `<package>/personas/*.md` (core) and `<project>/.agent-os/personas/*.md` (project). */
export class FsPersonaSource implements PersonaSource {
  readonly coreDir: string;
  readonly projectDir: string;

  /** `coreDir` defaults to the installed package's `personas/` folder. */
  constructor(projectRoot: string, opts: { coreDir?: string } = {}) {
    this.coreDir = opts.coreDir ?? path.join(packageRoot(), 'personas');
    this.projectDir = path.join(projectRoot, '.agent-os', 'personas');
  }

  async list(): Promise<PersonaFile[]> {
    return [...(await readDir(this.coreDir, 'personas', 'core')), ...(await readDir(this.projectDir, '.agent-os/personas', 'project'))];
  }
}

async function readDir(dir: string, shownAs: string, origin: PersonaOrigin): Promise<PersonaFile[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    return [{ file: `${shownAs}/`, text: '', origin, readError: `cannot list ${dir}: ${messageOf(e)}` }];
  }
  const names = entries
    .filter((e) => !e.name.startsWith('.') && e.name.toLowerCase().endsWith('.md') && (e.isFile() || e.isSymbolicLink()))
    .map((e) => e.name)
    .sort();
  const out: PersonaFile[] = [];
  for (const name of names) {
    const file = `${shownAs}/${name}`;
    try {
      out.push({ file, text: await fs.readFile(path.join(dir, name), 'utf8'), origin });
    } catch (e) {
      out.push({ file, text: '', origin, readError: messageOf(e) });
    }
  }
  return out;
}
