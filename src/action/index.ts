/** Entry point of the GitHub Action (bundled into action/dist/index.js). */
// LanceDB's native logger reads this once at load; keep its warnings out of the workflow log.
process.env['LANCEDB_LOG'] ??= 'error';

const { runAction } = await import('./main.js');
process.exitCode = await runAction();
