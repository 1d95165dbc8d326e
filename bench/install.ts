/**
 * The package as users get it: `npm pack`, then `npm install --save-dev <tarball>` into a fresh git
 * project with no npm flags, as a user runs it (the npm cache is warm after the first round, as on a
 * developer's machine). Reports install time, the size of the user's node_modules and its largest
 * packages, and checks that the optional transformers.js stack stayed out.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, REPO_ROOT } from './lib.js';

export interface InstallBenchOptions {
  quick: boolean;
  out: (line?: string) => void;
}

function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

export async function benchInstall(opts: InstallBenchOptions): Promise<void> {
  const { out } = opts;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-bench-install-'));
  // A clean environment: no project .npmrc reaches the user's install, as for a real user.
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' };
  for (const k of Object.keys(env)) if (/^npm_config_onnxruntime/i.test(k)) delete env[k];
  try {
    const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: REPO_ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const info = (JSON.parse(packed) as Array<{ filename: string; size: number; unpackedSize: number; entryCount: number }>)[0]!;
    const tarball = path.join(work, path.basename(info.filename));
    const rounds = opts.quick ? 1 : 3;
    const times: number[] = [];
    const sizes: number[] = [];
    let largest: Array<[string, number]> = [];
    let onnx = false;
    for (let i = 0; i < rounds; i++) {
      const dir = path.join(work, `project-${i}`);
      fs.mkdirSync(dir);
      execFileSync('git', ['init', '-q'], { cwd: dir });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `user-project-${i}`, version: '1.0.0', private: true }));
      const t0 = performance.now();
      execFileSync('npm', ['install', '--save-dev', tarball], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      times.push(performance.now() - t0);
      const nm = path.join(dir, 'node_modules');
      sizes.push(duBytes(nm));
      // npm leaves the scope folder of a skipped optional package behind, empty: look for the packages themselves.
      onnx ||= ['onnxruntime-node', 'onnxruntime-web', '@huggingface/transformers'].some((p) => fs.existsSync(path.join(nm, p, 'package.json')));
      const version = execFileSync(process.execPath, [path.join(nm, 'agent-os', 'dist', 'src', 'bin', 'agent-os.js'), '--version'], { encoding: 'utf8' }).trim();
      if (!version) throw new Error('the installed CLI printed no version');
      if (i === 0) {
        const entries: Array<[string, number]> = [];
        for (const name of fs.readdirSync(nm)) {
          if (name.startsWith('.')) continue;
          const p = path.join(nm, name);
          if (name.startsWith('@')) for (const sub of fs.readdirSync(p)) entries.push([`${name}/${sub}`, duBytes(path.join(p, sub))]);
          else entries.push([name, duBytes(p)]);
        }
        largest = entries.sort((a, b) => b[1] - a[1]).slice(0, 6);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const mb = (b: number): string => `${(b / 1e6).toFixed(0)} MB`;
    out('### Install (`npm pack`, then `npm install --save-dev agent-os-*.tgz` in a fresh git project, no npm flags)');
    out('');
    out('| measure | value |');
    out('|---|---|');
    out(`| tarball | ${mb(info.size)} packed, ${mb(info.unpackedSize)} unpacked, ${info.entryCount} files |`);
    out(`| install time, median of ${rounds} (warm npm cache after the first) | ${(median(times) / 1000).toFixed(1)} s (each: ${times.map((t) => (t / 1000).toFixed(1)).join(', ')} s) |`);
    out(`| user's node_modules | ${mb(median(sizes))} |`);
    out(`| onnxruntime / transformers.js installed | ${onnx ? 'yes' : 'no'} |`);
    out(`| largest packages | ${largest.map(([n, b]) => `${n} ${mb(b)}`).join(', ')} |`);
    out('');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
