import { createApp, type App } from '../app.js';
import { projectCommands, type ProjectCommands } from '../app-deps.js';
import { stderrLogger } from '../infra/stderr-logger.js';
import { requireProject, resolveProjectRoot } from '../infra/project-root.js';
import type { Logger } from '../ports/logger.js';
import { makeOutput, type Output } from './io.js';

/** Global options every command accepts. */
export interface GlobalOptions {
  root?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** What a command gets: the project root, output helpers, and the app built on first use. */
export interface CliContext {
  root: string;
  out: Output;
  logger: Logger;
  /** The app, built on first use; only in a project (a git work tree, or a directory holding .agent-os/). */
  app(): App;
  /** Commands that need no index (init, hooks, doctor, import, export) and report, composed on call. */
  commands: ProjectCommands;
  close(): Promise<void>;
}

export function makeContext(opts: GlobalOptions): CliContext {
  const root = resolveProjectRoot(opts.root);
  const logger = stderrLogger(opts.verbose ? 'debug' : opts.quiet || opts.json ? 'error' : 'warn');
  let app: App | null = null;
  const ctx: CliContext = {
    root,
    out: makeOutput(Boolean(opts.json)),
    logger,
    app() {
      if (!app) requireProject(root);
      app ??= createApp({ root, logger });
      return app;
    },
    commands: projectCommands(root, logger, () => ctx.app()),
    async close() {
      await app?.close();
    },
  };
  return ctx;
}

/** A command body: gets the context, merged options (globals included) and positional args. */
export type Handler = (ctx: CliContext, opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<void>;

/** Wraps a handler into a commander action with context set-up, error reporting and clean-up. */
export type Runner = (fn: Handler) => (...actionArgs: unknown[]) => Promise<void>;
