import { Command, CommanderError } from 'commander';
import { registerIndex } from './commands/index-cmd.js';
import { registerSearch } from './commands/search-cmd.js';
import { registerServe } from './commands/serve-cmd.js';
import { agentOsVersion } from '../infra/package-info.js';
import { registerInit } from './commands/init-cmd.js';
import { registerHooks } from './commands/hooks-cmd.js';
import { registerDoctor } from './commands/doctor-cmd.js';
import { registerStandards } from './commands/standards-cmd.js';
import { registerJobs } from './commands/jobs-cmd.js';
import { registerReview } from './commands/review-cmd.js';
import { registerPersonas } from './commands/personas-cmd.js';
import { registerProposals } from './commands/proposals-cmd.js';
import { registerTrust } from './commands/trust-cmd.js';
import { registerImport } from './commands/import-cmd.js';
import { registerExport } from './commands/export-cmd.js';
import { registerReport } from './commands/report-cmd.js';
import { makeContext, type CliContext, type GlobalOptions, type Runner } from './context.js';
import { EXIT_OK, EXIT_USAGE, reportError } from './io.js';

/** Build the CLI. Commands register themselves; errors are turned into exit codes in `runCli` alone. */
export function buildProgram(state: { exitCode: number }): Command {
  const program = new Command();
  program
    .name('agent-os')
    .description('Searchable engineering standards and expert persona reviews for AI coding assistants')
    .option('--root <dir>', 'project root (default: the enclosing git work tree)')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('-v, --verbose', 'log debug detail to stderr')
    .option('-q, --quiet', 'log errors only')
    .version(agentOsVersion(), '-V, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();

  const run: Runner =
    (fn) =>
    async (...actionArgs: unknown[]): Promise<void> => {
      const cmd = actionArgs[actionArgs.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
      const positional = actionArgs.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : a === undefined ? [] : [String(a)]));
      let ctx: CliContext | null = null;
      try {
        ctx = makeContext(opts);
        await fn(ctx, opts, positional);
      } catch (e) {
        state.exitCode = reportError(e, Boolean(opts.json));
      } finally {
        await ctx?.close();
      }
    };

  registerIndex(program, run);
  registerSearch(program, run);
  registerServe(program, run);
  registerInit(program, run);
  registerHooks(program, run);
  registerDoctor(program, run);
  registerStandards(program, run);
  registerJobs(program, run);
  registerReview(program, run);
  registerPersonas(program, run);
  registerProposals(program, run);
  registerTrust(program, run);
  registerImport(program, run);
  registerExport(program, run);
  registerReport(program, run);
  return program;
}

/** Run the CLI with argv (without node and script); resolves to the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const state = { exitCode: EXIT_OK };
  const program = buildProgram(state);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    return reportError(e, argv.includes('--json'));
  }
  return state.exitCode;
}
