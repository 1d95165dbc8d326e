#!/usr/bin/env node
// LanceDB's native logger reads this once at load; keep its warnings off the user's terminal.
process.env['LANCEDB_LOG'] ??= 'error';

const { runCli } = await import('../cli/main.js');
const code = await runCli(process.argv.slice(2));
process.exitCode = code;
