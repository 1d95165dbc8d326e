import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AgentOsError } from '../domain/errors.js';
import type { CliInvocation, HookAssets } from '../ports/hooks.js';
import { packageRoot } from './package-info.js';

/** HookAssets read from this installed package (its `hooks/` folder and its husky dependency). */
export class PackageHookAssets implements HookAssets {
  constructor(
    private readonly root = packageRoot(),
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly node = process.execPath,
  ) {}

  async template(name: string): Promise<string> {
    const file = path.join(this.root, 'hooks', name);
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new AgentOsError('INTERNAL', `The hook template ${file} is missing from the agent-os package.`, { cause: e });
    }
  }

  /** husky's own hook runner, read from the installed husky package (a dependency of agent-os). */
  async huskyRunner(): Promise<string> {
    try {
      const huskyMain = createRequire(path.join(this.root, 'package.json')).resolve('husky');
      return fs.readFileSync(path.join(path.dirname(huskyMain), 'husky'), 'utf8');
    } catch (e) {
      throw new AgentOsError('INTERNAL', 'The husky package, which agent-os installs its hooks with, cannot be found.', {
        cause: e,
        hint: 'Reinstall agent-os (`npm install`), which brings husky with it.',
      });
    }
  }

  async cli(): Promise<CliInvocation | null> {
    const bin = path.join(this.root, 'dist', 'src', 'bin', 'agent-os.js');
    if (fs.existsSync(bin)) return { kind: 'node', node: this.node, bin };
    try {
      const found = execFileSync('sh', ['-c', 'command -v agent-os'], { env: this.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (found) return { kind: 'path', command: found };
    } catch {
      // Not on PATH either.
    }
    return null;
  }
}
