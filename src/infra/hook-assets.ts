import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentOsError } from '../domain/errors.js';
import type { CliInvocation, HookAssets } from '../ports/hooks.js';

/** husky 9.1's runner, used when the husky package cannot be resolved (identical behaviour). */
const HUSKY_RUNNER = `#!/usr/bin/env sh
[ "$HUSKY" = "2" ] && set -x
n=$(basename "$0")
s=$(dirname "$(dirname "$0")")/$n

[ ! -f "$s" ] && exit 0

if [ -f "$HOME/.huskyrc" ]; then
	echo "husky - '~/.huskyrc' is DEPRECATED, please move your code to ~/.config/husky/init.sh"
fi
i="\${XDG_CONFIG_HOME:-$HOME/.config}/husky/init.sh"
[ -f "$i" ] && . "$i"

[ "\${HUSKY-}" = "0" ] && exit 0

export PATH="node_modules/.bin:$PATH"
sh -e "$s" "$@"
c=$?

[ $c != 0 ] && echo "husky - $n script failed (code $c)"
[ $c = 127 ] && echo "husky - command not found in PATH=$PATH"
exit $c
`;

/** The root of the installed agent-os package: the nearest package.json named agent-os above this file. */
export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    try {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === 'agent-os') return dir;
    } catch {
      // No manifest here: keep walking up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new AgentOsError('INTERNAL', `The agent-os package root was not found above ${from}.`);
    dir = parent;
  }
}

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

  async huskyRunner(): Promise<string> {
    try {
      const huskyMain = createRequire(path.join(this.root, 'package.json')).resolve('husky');
      return fs.readFileSync(path.join(path.dirname(huskyMain), 'husky'), 'utf8');
    } catch {
      return HUSKY_RUNNER;
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
