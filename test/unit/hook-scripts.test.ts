import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { renderConfigTemplate } from '../../src/domain/config-template.js';
import {
  AGENT_OS_HOOKS,
  chainBlock,
  findBlock,
  isManaged,
  parseCliFile,
  removeBlock,
  renderCliFile,
  shellQuote,
  upsertBlock,
  withChain,
} from '../../src/domain/hook-scripts.js';
import { ignoresCache, mcpEntry } from '../../src/services/init-project.js';

const TEMPLATES = path.resolve(__dirname, '../../hooks');

describe('hook templates', () => {
  it.each(AGENT_OS_HOOKS)('%s is a managed POSIX sh script with one agent-os block', (name) => {
    const text = fs.readFileSync(path.join(TEMPLATES, name), 'utf8');
    expect(text.startsWith('#!/usr/bin/env sh\n')).toBe(true);
    expect(isManaged(text)).toBe(true);
    expect(findBlock(text, name)).toContain('agent_os_reindex');
    expect(text.trimEnd().endsWith('exit "${agent_os_prev_status:-0}"')).toBe(true);
    expect(fs.statSync(path.join(TEMPLATES, name)).mode & 0o111).not.toBe(0);
  });

  it('the three hooks share the same re-index function', () => {
    const fn = (name: string) => /agent_os_reindex\(\) \{[\s\S]*?\n\}/.exec(fs.readFileSync(path.join(TEMPLATES, name), 'utf8'))?.[0];
    expect(fn('post-merge')).toBeTruthy();
    expect(fn('post-checkout')).toBe(fn('post-merge'));
    expect(fn('post-rewrite')).toBe(fn('post-merge'));
  });
});

describe('hook file edits', () => {
  const user = '#!/bin/sh\nnpx lint-staged\n';

  it('appends, replaces and removes a block, giving back the original text', () => {
    const block = '# >>> agent-os post-merge >>>\necho one\n# <<< agent-os post-merge <<<';
    const added = upsertBlock(user, 'post-merge', block);
    expect(added).toBe(`${user}\n${block}\n`);
    const replaced = upsertBlock(added, 'post-merge', block.replace('one', 'two'));
    expect(replaced).toContain('echo two');
    expect(replaced).not.toContain('echo one');
    expect(removeBlock(replaced, 'post-merge')).toBe(user);
    expect(removeBlock(user, 'post-merge')).toBe(user);
  });

  it('puts the chain block before agent-os\'s own, so the previous hook runs first', () => {
    const template = fs.readFileSync(path.join(TEMPLATES, 'post-merge'), 'utf8');
    const text = withChain(template, 'post-merge', chainBlock('post-merge', { kind: 'git-dir' }));
    expect(text.indexOf('>>> agent-os chain >>>')).toBeLessThan(text.indexOf('>>> agent-os post-merge >>>'));
    expect(findBlock(text, 'chain')).toContain('$(git rev-parse --git-common-dir)/hooks/post-merge');
    expect(chainBlock('pre-push', { kind: 'dir', dir: "my hooks/it's" }, 'exit')).toContain(`agent_os_prev='my hooks/it'\\''s/pre-push'`);
  });

  it('round-trips the machine-local CLI file', () => {
    const cli = { node: '/usr/bin/node', bin: '/x/dist/src/bin/agent-os.js', root: 'packages/app' };
    expect(parseCliFile(renderCliFile(cli))).toEqual(cli);
    expect(parseCliFile(renderCliFile({ command: '/usr/local/bin/agent-os', root: '.' }))).toEqual({ command: '/usr/local/bin/agent-os', root: '.' });
    expect(shellQuote('plain/path')).toBe('plain/path');
  });
});

describe('init helpers', () => {
  it('the scaffolded config, uncommented, is exactly the defaults', () => {
    const defaults = configSchema.parse({});
    const text = renderConfigTemplate(defaults);
    expect(YAML.parse(text)).toBeNull(); // all commented out: pins nothing
    const uncommented = text
      .split('\n')
      .map((l) => (/^# ( *)[A-Za-z]\w*:( |$)/.test(l) ? l.slice(2) : l))
      .join('\n');
    expect(configSchema.parse(YAML.parse(uncommented))).toEqual(defaults);
    expect(YAML.parse(uncommented)).toEqual(JSON.parse(JSON.stringify(defaults)));
  });

  it('recognises a .gitignore that already ignores the cache', () => {
    expect(ignoresCache('node_modules\n.agent-os/.cache/\n')).toBe(true);
    expect(ignoresCache('/.agent-os/.cache\r\n')).toBe(true);
    expect(ignoresCache('node_modules\n.agent-os/\n# .agent-os/.cache\n')).toBe(false);
  });

  it('points Cursor at the project-local install through ${workspaceFolder}, else npx --no-install', () => {
    const local = mcpEntry('/p', { kind: 'node', node: '/usr/bin/node', bin: '/p/node_modules/agent-os/dist/src/bin/agent-os.js' });
    expect(local.json.mcpServers['agent-os']).toEqual({
      command: 'node',
      args: ['${workspaceFolder}/node_modules/agent-os/dist/src/bin/agent-os.js', '--root', '${workspaceFolder}', 'serve'],
    });
    const global = mcpEntry('/p', { kind: 'node', node: '/usr/bin/node', bin: '/usr/lib/node_modules/agent-os/dist/src/bin/agent-os.js' });
    expect(global.json.mcpServers['agent-os']).toEqual({ command: 'npx', args: ['--no-install', 'agent-os', '--root', '${workspaceFolder}', 'serve'] });
    expect(mcpEntry('/p', null).json.mcpServers['agent-os']?.command).toBe('npx');
  });
});
