import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { ChokidarWatcher, unwatchedDirs } from '../../src/infra/chokidar-watcher.js';
import { silentLogger } from '../../src/ports/logger.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { makeProject } from '../fakes/project.js';

const BASE = '# Logging\n\nLog with structured fields; never log secrets.\n';

/** Poll `fn` until `ok(value)`; a bounded loop, so a broken watcher fails instead of hanging. */
async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 150; i++) {
    try {
      last = await fn();
      if (ok(last)) return last;
    } catch {
      // Not indexed yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

/** Files whose indexed text contains `word` (vector search returns every file, so look at content). */
const filesWith = async (app: App, word: string): Promise<string[]> =>
  (await app.search({ query: word, limit: 10 })).results.filter((r) => r.content.toLowerCase().includes(word)).map((r) => r.file);

describe('watcher keeps the index fresh (real chokidar, LanceDB, SQLite)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('reflects create, edit, rename and delete of a standard in search', async () => {
    const project = makeProject({ 'development/logging.md': BASE });
    cleanups.push(() => project.cleanup());
    const app = createApp({ root: project.root, logger: silentLogger, embedder: new HashEmbedder() });
    cleanups.push(() => app.close());
    const reports: Array<{ added: string[]; removed: string[] }> = [];
    const watching = await app.watch({ onIndexed: (r) => reports.push(r) });
    await watching.idle(); // the catch-up run built the index
    expect(reports[0]?.added).toEqual(['development/logging.md']);

    project.write('security/secrets.md', '# Secrets\n\nRotate zebrafish credentials every ninety days.\n');
    await eventually(() => filesWith(app, 'zebrafish'), (f) => f.includes('security/secrets.md'), 'new file searchable');

    project.write('security/secrets.md', '# Secrets\n\nStore quokka tokens in the vault, never in the repository.\n');
    await eventually(() => filesWith(app, 'quokka'), (f) => f.includes('security/secrets.md'), 'edit searchable');
    expect(await filesWith(app, 'zebrafish')).toEqual([]);

    fs.renameSync(path.join(project.standards, 'security/secrets.md'), path.join(project.standards, 'security/vault.md'));
    const renamed = await eventually(() => filesWith(app, 'quokka'), (f) => f.includes('security/vault.md') && !f.includes('security/secrets.md'), 'rename reflected');
    expect(renamed).toContain('security/vault.md');
    await watching.idle(); // the run that committed the rename has reported it
    expect(reports.some((r) => r.added.includes('security/vault.md'))).toBe(true);
    expect(reports.some((r) => r.removed.includes('security/secrets.md'))).toBe(true);

    project.remove('security/vault.md');
    await eventually(() => filesWith(app, 'quokka'), (f) => f.length === 0, 'deletion reflected');
    expect(await filesWith(app, 'structured')).toEqual(['development/logging.md']);

    // Non-Markdown files and hidden folders are ignored; the watcher and indexer settle.
    project.write('notes.txt', 'quokka');
    fs.mkdirSync(path.join(project.standards, '.drafts'), { recursive: true });
    fs.writeFileSync(path.join(project.standards, '.drafts', 'x.md'), '# Draft\n\nquokka\n');
    await watching.idle();
    expect(await filesWith(app, 'quokka')).toEqual([]);
    await watching.close();
  });

  it('picks up a standards directory created after the watch started', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-watch-'));
    cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
    const app = createApp({ root, logger: silentLogger, embedder: new HashEmbedder() });
    cleanups.push(() => app.close());
    const watching = await app.watch();
    await watching.idle();

    const standards = path.join(root, '.agent-os', 'standards', 'data');
    fs.mkdirSync(standards, { recursive: true });
    fs.writeFileSync(path.join(standards, 'kafka.md'), '# Kafka\n\nKey partitions by narwhal id.\n');
    await eventually(() => filesWith(app, 'narwhal'), (f) => f.includes('data/kafka.md'), 'late directory indexed');

    // Deleted and re-created: still watched.
    fs.rmSync(path.join(root, '.agent-os', 'standards'), { recursive: true });
    await new Promise((r) => setTimeout(r, 300));
    fs.mkdirSync(standards, { recursive: true });
    fs.writeFileSync(path.join(standards, 'airflow.md'), '# Airflow\n\nName DAGs after the pangolin team.\n');
    await eventually(() => filesWith(app, 'pangolin'), (f) => f.includes('data/airflow.md'), 're-created directory indexed');
  });

  it('does not index a half-written file before the write finishes', async () => {
    const project = makeProject({ 'development/logging.md': BASE });
    cleanups.push(() => project.cleanup());
    const runs: Array<Record<string, unknown>> = [];
    const logger = { ...silentLogger, info: (msg: string, data?: Record<string, unknown>) => void (msg === 're-indexed after changes' && data && runs.push(data)) };
    const app = createApp({ root: project.root, logger, embedder: new HashEmbedder() });
    cleanups.push(() => app.close());
    const watching = await app.watch();
    await watching.idle();

    // Write in pieces; the watcher waits for the size to settle, so the final content is indexed.
    const file = path.join(project.standards, 'testing', 'big.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '# Testing\n\n');
    for (let i = 0; i < 5; i++) {
      fs.writeSync(fd, `Paragraph ${i} about fixtures.\n\n`);
      await new Promise((r) => setTimeout(r, 30));
    }
    fs.writeSync(fd, 'Finally mention the axolotl harness.\n');
    fs.closeSync(fd);
    await eventually(() => filesWith(app, 'axolotl'), (f) => f.includes('testing/big.md'), 'complete file indexed');
    await watching.idle();
    const plan = await app.plan();
    expect(plan.added.length + plan.changed.length + plan.removed.length).toBe(0);
    // One run saw the file, as added and complete; none saw a partial version to change later.
    expect(runs.filter((r) => (r['added'] as string[]).includes('testing/big.md'))).toHaveLength(1);
    expect(runs.some((r) => (r['changed'] as string[]).includes('testing/big.md'))).toBe(false);
  });
});

describe('ChokidarWatcher start-up race', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('finds directories that chokidar is not watching', () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-unwatched-')));
    dirs.push(root);
    fs.mkdirSync(path.join(root, 'security', 'web'), { recursive: true });
    fs.mkdirSync(path.join(root, 'operations'));
    fs.mkdirSync(path.join(root, '.cache'));
    const watched = { [root]: ['security', 'operations'], [path.join(root, 'security')]: ['web'] };
    const hidden = (p: string): boolean => path.basename(p).startsWith('.');
    expect(unwatchedDirs(root, watched, hidden).sort()).toEqual([path.join(root, 'operations'), path.join(root, 'security', 'web')]);
  });

  it('reports edits in a directory created while the watch was starting', async () => {
    // chokidar misses a directory created at one moment of its start-up scan; which moment depends
    // on the machine, so try a spread of them at once.
    const delays = [0, 4, 8, 12, 14, 16, 18, 20, 25, 30, 40, 60];
    const runs = delays.map(async (delay) => {
      const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-race-')));
      dirs.push(root);
      fs.mkdirSync(path.join(root, 'security'));
      fs.writeFileSync(path.join(root, 'security', 'a.md'), '# A\n');
      const events: string[] = [];
      const started = new ChokidarWatcher({ stabilityMs: 40, healMs: 200 }).watch(root, (e) => events.push(`${e.kind} ${e.file}`), () => undefined);
      setTimeout(() => {
        fs.mkdirSync(path.join(root, 'operations'));
        fs.writeFileSync(path.join(root, 'operations', 'canary.md'), '# Canary\n');
      }, delay);
      const handle = await started;
      try {
        await new Promise((r) => setTimeout(r, delay + 400));
        fs.writeFileSync(path.join(root, 'operations', 'canary.md'), '# Canary, edited\n');
        for (let i = 0; i < 100 && !events.includes('change operations/canary.md'); i++) await new Promise((r) => setTimeout(r, 50));
        return { delay, events };
      } finally {
        await handle.close();
      }
    });
    for (const { delay, events } of await Promise.all(runs)) expect(events, `created ${delay} ms after the start`).toContain('change operations/canary.md');
  });
});
