/**
 * The GitHub Action as a runner runs it: `node action/dist/index.js` against a workspace repository
 * whose base commit holds the 183-file corpus, a loopback GitHub (test/fakes/fake-github.ts) and a loopback
 * model (test/fakes/fake-llm.ts, answering at once), so the figures are our own cost:
 *   - a cold runner: no converted GloVe cache (a fresh AGENT_OS_MODEL_CACHE), index built from scratch
 *   - a warm model cache: the GloVe conversion done, the index still built from scratch (RUNNER_TEMP is per run)
 *   - no model configured (checklist mode)
 *   - the index restored from the previous run (what the action's cache step gives)
 * Each with two personas, medians over runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeGitHub } from '../test/fakes/fake-github.js';
import { startFakeLlm } from '../test/fakes/fake-llm.js';
import { CORPUS, REPO_ROOT, median } from './lib.js';

export interface ActionBenchOptions {
  env: Record<string, string>;
  quick: boolean;
  out: (line?: string) => void;
}

const FINDINGS = JSON.stringify({
  summary: 'One finding.',
  findings: [{ path: 'src/app.ts', line: 2, severity: 'warning', title: 'Hard-coded password', body: 'Read it from the environment.', suggestion: null, standard: null }],
});

export async function benchAction(opts: ActionBenchOptions): Promise<void> {
  const { out } = opts;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-bench-action-'));
  const workspace = path.join(root, 'workspace');
  const gitEnv = { ...opts.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' };
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: workspace, encoding: 'utf8', env: gitEnv });
  const github = await FakeGitHub.start({ repos: ['octo-org/widgets'], login: 'github-actions[bot]' });
  const llm = await startFakeLlm((req) => ({ kind: 'answer', content: req.body['response_format'] ? FINDINGS : '## Summary\nOne finding.' }));
  try {
    fs.mkdirSync(workspace);
    git('init', '-q', '-b', 'main');
    fs.cpSync(CORPUS, path.join(workspace, '.agent-os', 'standards'), { recursive: true });
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'app.ts'), 'export const a = 1;\n');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD').trim();
    fs.writeFileSync(path.join(workspace, 'src', 'app.ts'), 'export const a = 1;\nexport const password = "hunter2";\n');
    git('commit', '-qam', 'head');
    const head = git('rev-parse', 'HEAD').trim();
    github.setBranch('main', base);
    github.setBranch('feature', head);
    const pr = github.openPull({ head: 'feature', base: 'main', title: 'Add a password', user: 'octocat' });
    github.setPullFiles(pr.number, [{ filename: 'src/app.ts', patch: '@@ -1 +1,2 @@\n export const a = 1;\n+export const password = "hunter2";' }]);
    const event = path.join(root, 'event.json');
    fs.writeFileSync(
      event,
      JSON.stringify({
        action: 'opened',
        number: pr.number,
        pull_request: { number: pr.number, draft: false, head: { sha: head, repo: { full_name: 'octo-org/widgets' } }, base: { sha: base, repo: { full_name: 'octo-org/widgets' } } },
      }),
    );

    /** One run; `runnerTemp` given: its agent-os-cache (the index) is kept, as the action's cache step restores it. */
    const run = async (label: string, extra: Record<string, string>, keep?: string): Promise<number> => {
      const runnerTemp = keep ?? fs.mkdtempSync(path.join(root, 'runner-'));
      // Each run is a first review: the sticky summary of the previous one would make it a no-op.
      github.issueComments.length = 0;
      const env: Record<string, string> = {
        ...opts.env,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'octo-org/widgets',
        GITHUB_API_URL: github.url,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: runnerTemp,
        'INPUT_GITHUB-TOKEN': github.token,
        INPUT_PERSONAS: 'engineer,security',
        ...extra,
      };
      const t0 = performance.now();
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, 'action', 'dist', 'index.js')], { env, cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.stderr.on('data', (d: Buffer) => (text += d.toString()));
        child.on('close', (c) => {
          if (c !== 0) console.error(`${label}: exit ${c}\n${text}`);
          resolve(c);
        });
      });
      const ms = performance.now() - t0;
      if (!keep) fs.rmSync(runnerTemp, { recursive: true, force: true });
      return code === 0 ? ms : NaN;
    };
    const model = { INPUT_MODEL: 'bench-model', 'INPUT_OPENAI-API-KEY': 'sk-bench', 'INPUT_OPENAI-BASE-URL': llm.baseUrl };
    const reps = opts.quick ? 1 : 3;
    const cold: number[] = [];
    const warm: number[] = [];
    const checklist: number[] = [];
    const restored: number[] = [];
    const warmCache = fs.mkdtempSync(path.join(root, 'model-cache-'));
    const kept = fs.mkdtempSync(path.join(root, 'runner-kept-'));
    await run('prime', { ...model, AGENT_OS_MODEL_CACHE: warmCache }, kept);
    for (let i = 0; i < reps; i++) {
      cold.push(await run('cold', { ...model, AGENT_OS_MODEL_CACHE: fs.mkdtempSync(path.join(root, 'cold-cache-')) }));
      warm.push(await run('warm', { ...model, AGENT_OS_MODEL_CACHE: warmCache }));
      checklist.push(await run('checklist', { AGENT_OS_MODEL_CACHE: warmCache }));
      restored.push(await run('restored', { ...model, AGENT_OS_MODEL_CACHE: warmCache }, kept));
    }
    const s = (xs: number[]): string => `${(median(xs) / 1000).toFixed(2)} s`;
    out('### GitHub Action (`node action/dist/index.js`, 183 standards on the base, 2 personas)');
    out();
    out('Loopback GitHub and model answering at once: the figures are agent-os\'s own cost per pull request.');
    out();
    out('| run | median wall time |');
    out('|---|---|');
    out(`| cold runner: GloVe converted, index built, review posted | ${s(cold)} (${cold.length} runs) |`);
    out(`| model cache warm: index built, review posted | ${s(warm)} (${warm.length} runs) |`);
    out(`| no model: checklist of the relevant standards | ${s(checklist)} (${checklist.length} runs) |`);
    out(`| index cache restored (the action's cache step): review posted | ${s(restored)} (${restored.length} runs) |`);
    out();
  } finally {
    await github.close();
    await llm.close();
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
}
