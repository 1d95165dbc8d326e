import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentOsError } from '../domain/errors.js';

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

/** agent-os's own version, from the package.json of the installed package. */
export function agentOsVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
