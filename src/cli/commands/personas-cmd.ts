import type { Command } from 'commander';
import type { LoadedPersonas } from '../../services/personas.js';
import type { Runner } from '../context.js';

function render(loaded: LoadedPersonas): string {
  const lines: string[] = [];
  if (loaded.personas.length === 0) lines.push('No personas.');
  else {
    const rows = loaded.personas.map((p) => [p.identifier, p.name, p.mcp_tool_name, p.origin, p.standard_directory, p.overrides ? `overrides ${p.overrides}` : '']);
    const head = ['ID', 'NAME', 'TOOL', 'ORIGIN', 'STANDARDS', ''];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    lines.push(line(head), ...rows.map(line));
  }
  if (loaded.errors.length) {
    lines.push('', `${loaded.errors.length} persona file(s) skipped:`);
    for (const e of loaded.errors) lines.push(`  ${e.file} (${e.field}): ${e.message}`);
  }
  return lines.join('\n');
}

export function registerPersonas(program: Command, run: Runner): void {
  program
    .command('personas')
    .description('List the personas (core and the project\'s .agent-os/personas/) and files that failed to load')
    .action(
      run(async (ctx) => {
        const loaded = await ctx.app().personas();
        const data = {
          personas: loaded.personas.map((p) => ({
            identifier: p.identifier,
            name: p.name,
            mcp_tool_name: p.mcp_tool_name,
            origin: p.origin,
            standard_directory: p.standard_directory,
            priority: p.priority,
            file: p.file,
            ...(p.overrides ? { overrides: p.overrides } : {}),
          })),
          errors: loaded.errors,
        };
        ctx.out.result(data, () => render(loaded));
      }),
    );
}
