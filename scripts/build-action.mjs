// Bundles src/action into action/dist/index.js, the GitHub Action's entry point. Our own code is
// bundled; packages stay external (native modules such as better-sqlite3 and LanceDB are installed
// by the action's setup step for the runner's Node). `--check` fails when the committed file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outfile = path.join(root, 'action', 'dist', 'index.js');
const check = process.argv.includes('--check');

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/action/index.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  outfile,
  write: false,
  legalComments: 'none',
  charset: 'utf8',
  banner: { js: '// Built from src/action by `npm run build:action`; do not edit (CI checks it is up to date).' },
  logLevel: 'warning',
});
const code = result.outputFiles[0].text;
if (check) {
  const committed = fs.existsSync(outfile) ? fs.readFileSync(outfile, 'utf8') : '';
  if (committed !== code) {
    console.error('action/dist/index.js is stale: run `npm run build:action` and commit the result.');
    process.exit(1);
  }
  console.log('action/dist/index.js is up to date.');
} else {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  fs.writeFileSync(outfile, code);
  console.log(`wrote ${path.relative(root, outfile)} (${(code.length / 1024).toFixed(0)} KiB)`);
}
