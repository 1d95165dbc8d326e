import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { configSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/ports/logger.js';
import { makeProject } from '../fakes/project.js';

/** Standards on vehicles and on fruit, two sections each, in varied words (24 chunks). */
function standards(): Record<string, string> {
  const vehicles = ['car engine wheels brakes', 'automobile engine wheels brakes', 'car engine fuel gearbox', 'automobile fuel gearbox wheels', 'vehicle brakes tyres engine', 'truck engine fuel wheels'];
  const fruit = ['apple banana fruit orchard', 'banana fruit smoothie orchard', 'apple fruit juice orchard', 'orchard harvest apple pears', 'pears banana fruit market', 'fruit market apple juice'];
  const files: Record<string, string> = {};
  vehicles.forEach((t, i) => (files[`vehicles/v${i}.md`] = `# Vehicle note ${i}\n\n## Parts\n\nThe ${t}.\n\n## Care\n\nCheck the ${t} often.\n`));
  fruit.forEach((t, i) => (files[`food/f${i}.md`] = `# Food note ${i}\n\n## Kinds\n\nThe ${t}.\n\n## Storage\n\nKeep the ${t} cool.\n`));
  return files;
}

describe('topic index beside a keyword-only index', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const open = (root: string, minChunks = 20): App => {
    const config = configSchema.parse({ search: { cacheTtlSeconds: 0, lsa: { dims: 2, minChunks } } });
    const app = createApp({ root, logger: silentLogger, config, embedder: null, env: {} });
    cleanups.push(() => app.close());
    return app;
  };

  it('is fitted, searched, folded into on an edit, rebuilt when damaged, and removed below its minimum', async () => {
    const project = makeProject(standards());
    cleanups.push(() => project.cleanup());
    const app = open(project.root);
    const file = path.join(app.paths.indexUri, 'chunks__keyword.topics-model.bin');
    const chunkFiles = (): string[] => fs.readdirSync(app.paths.indexUri).filter((n) => n.startsWith('chunks__keyword.topics-chunks-'));

    expect((await app.index()).topics).toBe('fitted');
    expect(fs.existsSync(file)).toBe(true);
    expect(chunkFiles()).toHaveLength(1);
    // "automobile" is in two vehicle notes; the topic ranking also finds vehicle notes without the word,
    // which keyword search alone never returns, and no fruit note comes before them.
    const found = (await app.search({ query: 'automobile', limit: 10 })).results.map((r) => r.file);
    expect(found.filter((f) => f.startsWith('vehicles/')).length).toBeGreaterThan(2);
    expect(found.slice(0, 3).every((f) => f.startsWith('vehicles/'))).toBe(true);

    project.write('vehicles/v6.md', '# Vehicle note 6\n\n## Parts\n\nThe car gearbox fuel.\n');
    const fitted = fs.readFileSync(path.join(app.paths.indexUri, chunkFiles()[0]!));
    expect((await app.index()).topics).toBe('folded');
    // The edit went to the delta; the fitted chunks were not rewritten.
    expect(fs.existsSync(path.join(app.paths.indexUri, 'chunks__keyword.topics-delta.bin'))).toBe(true);
    expect(fs.readFileSync(path.join(app.paths.indexUri, chunkFiles()[0]!)).equals(fitted)).toBe(true);
    expect((await app.search({ query: 'automobile', limit: 12 })).results.map((r) => r.file)).toContain('vehicles/v6.md');
    project.remove('vehicles/v6.md');
    expect((await app.index()).topics).toBe('folded');
    expect((await app.search({ query: 'automobile', limit: 12 })).results.map((r) => r.file)).not.toContain('vehicles/v6.md');

    // A damaged topic file: search answers from the keyword ranking, and the next run rebuilds it.
    fs.writeFileSync(file, 'garbage');
    expect((await app.search({ query: 'automobile' })).results.map((r) => r.file)).toContain('vehicles/v1.md');
    const rerun = await app.index();
    expect(rerun.changed).toEqual([]);
    expect(rerun.topics).toBe('fitted');
    expect(fs.readFileSync(file).subarray(0, 8).toString('latin1')).toBe('AOSTOPIC');
    expect(chunkFiles()).toHaveLength(1);
    expect(fs.existsSync(path.join(app.paths.indexUri, 'chunks__keyword.topics-delta.bin'))).toBe(false);

    for (const f of Object.keys(standards()).slice(0, 10)) project.remove(f);
    expect((await app.index()).topics).toBe('removed');
    expect(fs.existsSync(file)).toBe(false);
    expect(chunkFiles()).toEqual([]);
  });

  it('is built for an index that has none without waiting for an edit, and not kept when turned off', async () => {
    const project = makeProject(standards());
    cleanups.push(() => project.cleanup());
    const off = createApp({ root: project.root, logger: silentLogger, config: configSchema.parse({ search: { lsa: { weight: 0 } } }), embedder: null, env: {} });
    cleanups.push(() => off.close());
    expect((await off.index()).topics).toBe('none');
    const file = path.join(off.paths.indexUri, 'chunks__keyword.topics-model.bin');
    expect(fs.existsSync(file)).toBe(false);
    const report = await open(project.root).index();
    expect(report.added).toEqual([]);
    expect(report.topics).toBe('fitted');
    expect(fs.existsSync(file)).toBe(true);
  });
});
