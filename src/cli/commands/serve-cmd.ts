import os from 'node:os';
import type { Command } from 'commander';
import { AgentOsError } from '../../domain/errors.js';
import { serve } from '../../mcp/serve.js';
import type { Runner } from '../context.js';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new AgentOsError('BAD_INPUT', `--http needs a port number from 0 to 65535; got "${value}".`);
  }
  return n;
}

/** Keep stray console output of libraries off stdout, which carries the stdio protocol. */
function consoleToStderr(): void {
  const toStderr = (...args: unknown[]): void => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

export function registerServe(program: Command, run: Runner): void {
  program
    .command('serve')
    .description('Start the MCP server (stdio, or Streamable HTTP on 127.0.0.1 with --http) and index in the background')
    .option('--http <port>', 'serve Streamable HTTP on 127.0.0.1:<port> instead of stdio (0: any free port)')
    .action(
      run(async (ctx, opts) => {
        const httpPort = opts['http'] === undefined ? undefined : parsePort(String(opts['http']));
        if (httpPort === undefined) consoleToStderr();
        const quiet = Boolean(opts.quiet);
        const handle = await serve(ctx.app(), {
          ...(httpPort !== undefined ? { httpPort } : {}),
          note: (line) => (quiet ? ctx.logger.info(line) : ctx.out.note(line)),
        });
        let signals = 0;
        const onSignal = (signal: NodeJS.Signals): void => {
          signals++;
          // A second Ctrl-C means "now".
          if (signals > 1) process.exit(128 + (os.constants.signals[signal] ?? 0));
          void handle.close(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        try {
          await handle.closed;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          // The app closes next (the runner's clean-up); if a library still holds the event loop
          // open after that, do not hang the client that stopped us.
          setTimeout(() => process.exit(), 3000).unref();
        }
      }),
    );
}
