/**
 * Standard proposal benchmarks, on a git repository holding the 183-file corpus, through the built CLI
 * as a user runs it (each figure includes process start-up):
 *   - `agent-os propose`: commit a standard on its own branch with plumbing
 *   - `agent-os proposals list` with N proposals (state derived from git for each)
 *   - `agent-os proposals approve` (a --no-ff merge) → the post-merge hook re-indexes → `agent-os search` finds it
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CORPUS, median } from './lib.js';

export interface ProposalsBenchOptions {
  bin: string;
  env: Record<string, string>;
  quick: boolean;
  out: (line?: string) => void;
}

const standard = (n: number, token: string): string =>
  `# Bench rule ${n}\n\n## Context\nMeasured proposals.\n\n## Pattern\nUse the ${token} pattern for rule ${n}.\n\n## Examples\nSee rule ${n}.\n\n## Anti-patterns\nIgnoring rule ${n}.\n`;

export async function benchProposals(opts: ProposalsBenchOptions): Promise<void> {
  const { out } = opts;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-bench-proposals-'));
  const env = { ...opts.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', env });
  const cli = (...args: string[]): string => execFileSync(process.execPath, [opts.bin, '--root', root, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const timed = (fn: () => void): number => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  try {
    git('init', '-q', '-b', 'main');
    fs.cpSync(CORPUS, path.join(root, '.agent-os', 'standards'), { recursive: true });
    fs.writeFileSync(path.join(root, '.gitignore'), '.agent-os/.cache/\n');
    git('add', '-A');
    git('commit', '-qm', 'standards');
    cli('hooks', 'install', '--json');
    git('add', '-A');
    git('commit', '-qm', 'hooks');
    cli('index', '--json');

    // Baseline in the same run: the CLI starting up and listing no proposals.
    const emptyMs: number[] = [];
    for (let i = 0; i < 3; i++) emptyMs.push(timed(() => cli('proposals', 'list', '--json')));
    const count = opts.quick ? 5 : 20;
    const proposeMs: number[] = [];
    const ids: string[] = [];
    const file = path.join(os.tmpdir(), `agent-os-bench-standard-${process.pid}.md`);
    for (let i = 0; i < count; i++) {
      fs.writeFileSync(file, standard(i, `bq${i}x`));
      proposeMs.push(timed(() => ids.push((JSON.parse(cli('propose', '--json', '-d', 'bench', '-t', `rule-${i}`, '-f', file, '-r', `rule ${i}`)) as { proposal_id: string }).proposal_id)));
    }
    const listMs: number[] = [];
    for (let i = 0; i < 3; i++) listMs.push(timed(() => cli('proposals', 'list', '--json')));

    const approvals: number[] = [];
    for (let i = 0; i < (opts.quick ? 1 : 3); i++) {
      const t0 = performance.now();
      cli('proposals', 'approve', ids[i]!, '--json');
      let found = false;
      for (let tries = 0; tries < 300 && !found; tries++) {
        const res = JSON.parse(cli('search', '--json', `bq${i}x`)) as { results: Array<{ file: string }> };
        found = res.results.some((r) => r.file === `bench/rule-${i}.md`);
        if (!found) await sleep(50);
      }
      approvals.push(found ? performance.now() - t0 : NaN);
    }
    fs.rmSync(file, { force: true });

    out('### Standard proposals');
    out();
    out(`Git repository with the 183-file corpus; each figure is a built-CLI call (Node start-up included).`);
    out();
    out('| what | measured |');
    out('|---|---|');
    out(`| baseline: \`agent-os proposals list\` with none (CLI start-up) | median ${median(emptyMs).toFixed(0)} ms (3 runs) |`);
    out(`| \`agent-os propose\` (validate, commit on a new branch, record) | median ${median(proposeMs).toFixed(0)} ms (${count} proposals) |`);
    out(`| \`agent-os proposals list\` with ${count} proposals | median ${median(listMs).toFixed(0)} ms (3 runs) |`);
    out(`| \`agent-os proposals approve\` → hook re-index → found by \`agent-os search\` | median ${(median(approvals) / 1000).toFixed(2)} s (${approvals.length} approvals) |`);
    out();
  } finally {
    // A background hook run may still be writing the cache: let it finish.
    await sleep(2000);
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
