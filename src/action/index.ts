/** Entry point of the GitHub Action (bundled into action/dist/index.js). */
import { runAction } from './main.js';

process.exitCode = await runAction();
