import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { IndexProgress, IndexReport } from '../../services/index-standards.js';
import type { Runner } from '../context.js';

function summary(r: IndexReport): string {
  const lines = [
    `Indexed ${r.files} standard file(s) in ${(r.durationMs / 1000).toFixed(2)} s (${r.mode}${r.embedder ? `, ${r.embedder}` : ''}${r.fullRebuild ? ', full rebuild' : ''}).`,
    `  added ${r.added.length}, changed ${r.changed.length}, removed ${r.removed.length}, unchanged ${r.unchanged}; ${r.chunksWritten} chunk(s) written, ${r.embedded} embedded, ${r.cacheHits} from cache.`,
  ];
  for (const s of r.skipped) lines.push(`  skipped ${s.file}: ${s.reason}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

/** A progress bar on a TTY (stderr); nothing otherwise. */
export function progressBar(enabled: boolean): { update(p: IndexProgress): void; stop(): void } {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new SingleBar({ format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr, clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
  let phase = '';
  let started = false;
  return {
    update(p) {
      if (p.phase !== phase) {
        if (started) bar.stop();
        bar.start(Math.max(1, p.total), p.done, { phase: p.phase.padEnd(9) });
        started = true;
        phase = p.phase;
      } else bar.update(p.done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function registerIndex(program: Command, run: Runner): void {
  program
    .command('index')
    .description('Index the standards (incremental by content hash; --full rebuilds)')
    .option('--full', 'rebuild the whole index')
    .action(
      run(async (ctx, opts) => {
        const bar = progressBar(!opts.json && !opts.quiet && Boolean(process.stderr.isTTY));
        try {
          const report = await ctx.app().index({ full: Boolean(opts['full']), onProgress: (p) => bar.update(p) });
          bar.stop();
          ctx.out.result(report, () => summary(report));
        } finally {
          bar.stop();
        }
      }),
    );
}
