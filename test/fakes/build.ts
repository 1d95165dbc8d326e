import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
/** The built CLI, as users and git hooks run it. */
export const BIN = path.join(REPO_ROOT, 'dist', 'src', 'bin', 'agent-os.js');

/** src/**.ts files without a compiled dist/src/**.js at least as new. */
function staleSources(): string[] {
  const stale: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, rel), { withFileTypes: true })) {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) walk(child);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const js = path.join(REPO_ROOT, 'dist', child.replace(/\.ts$/, '.js'));
        if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(REPO_ROOT, child)).mtimeMs) stale.push(child);
      }
    }
  };
  walk('src');
  return stale;
}

/**
 * Tests that run the built CLI call this first. `npm test` builds before testing; a lone run with a
 * stale dist/ builds here (tsc emits even with a type error elsewhere; type checks belong to lint).
 */
export function ensureBuilt(): void {
  if (staleSources().length === 0) return;
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} was not built:\n${r.stdout}\n${r.stderr}`);
}
