import type { Command } from 'commander';
import type { DoctorReport } from '../../services/doctor.js';
import type { Runner } from '../context.js';
import { EXIT_FAILURE, ExitError } from '../io.js';

const LABEL = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

function render(r: DoctorReport): string {
  const lines = [`agent-os doctor: ${r.root}`];
  for (const c of r.checks) {
    const [first = '', ...rest] = c.detail.split('\n');
    lines.push(`  ${LABEL[c.status]}  ${c.title.padEnd(20)} ${first}`);
    for (const l of rest) lines.push(`${' '.repeat(28)}${l}`);
    if (c.fix) lines.push(`${' '.repeat(28)}→ ${c.fix}`);
  }
  lines.push('', `${r.counts.ok} ok, ${r.counts.warn} warning(s), ${r.counts.fail} failure(s).`);
  return lines.join('\n');
}

export function registerDoctor(program: Command, run: Runner): void {
  program
    .command('doctor')
    .description('Check standards, index freshness, embedding model, hooks, config and LLM; says what to do about each (exit 1 on a failure)')
    .action(
      run(async (ctx) => {
        const report = await ctx.commands.doctor();
        ctx.out.result(report, () => render(report));
        if (!report.ok) throw new ExitError(EXIT_FAILURE);
      }),
    );
}
