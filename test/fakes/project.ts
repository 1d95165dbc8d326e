import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CORPUS_DIR = path.resolve(__dirname, '../../../shared/corpus/standards');

/** A temp project with `.agent-os/standards/` filled from a map of relative path → content. */
export function makeProject(files: Record<string, string | Uint8Array> = {}): { root: string; standards: string; write(rel: string, content: string | Uint8Array): void; remove(rel: string): void; cleanup(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-test-'));
  const standards = path.join(root, '.agent-os', 'standards');
  fs.mkdirSync(standards, { recursive: true });
  const write = (rel: string, content: string | Uint8Array): void => {
    const abs = path.join(standards, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  return {
    root,
    standards,
    write,
    remove: (rel) => fs.rmSync(path.join(standards, rel), { force: true }),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Copy some (or all) of the shared corpus into a project's standards dir. */
export function copyCorpus(standards: string, filter: (rel: string) => boolean = () => true): number {
  let n = 0;
  for (const domain of fs.readdirSync(CORPUS_DIR)) {
    for (const file of fs.readdirSync(path.join(CORPUS_DIR, domain))) {
      const rel = `${domain}/${file}`;
      if (!filter(rel)) continue;
      fs.mkdirSync(path.join(standards, domain), { recursive: true });
      fs.copyFileSync(path.join(CORPUS_DIR, rel), path.join(standards, rel));
      n++;
    }
  }
  return n;
}
