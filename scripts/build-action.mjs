// Bundles src/action into action/dist/: index.js, the GitHub Action's entry point, and build-glove.js,
// its install step's model build. Our own code is
// bundled; packages stay external (native modules such as better-sqlite3 and LanceDB are installed
// by the action's setup step for the runner's Node). `--check` fails when the committed file is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
// The review (index.js) and the install step's model build (build-glove.js).
const entries = [
  ['src/action/index.ts', 'index.js'],
  ['src/action/build-glove.ts', 'build-glove.js'],
];

let stale = false;
for (const [entry, name] of entries) {
  const outfile = path.join(root, 'action', 'dist', name);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
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
  const rel = path.relative(root, outfile);
  if (check) {
    const committed = fs.existsSync(outfile) ? fs.readFileSync(outfile, 'utf8') : '';
    if (committed !== code) {
      console.error(`${rel} is stale: run \`npm run build:action\` and commit the result.`);
      stale = true;
    } else console.log(`${rel} is up to date.`);
  } else {
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    fs.writeFileSync(outfile, code);
    console.log(`wrote ${rel} (${(code.length / 1024).toFixed(0)} KiB)`);
  }
}
if (stale) process.exit(1);
