import type { Command } from 'commander';
import { trustProjectConfig, type TrustReport } from '../../config/load.js';
import type { Runner } from '../context.js';
import { parseChoice } from '../io.js';

const ACTIONS = ['trust', 'status', 'revoke'] as const;

function render(r: TrustReport): string {
  if (r.action === 'no-config') return 'This project has no .agent-os/config.yaml: there is nothing to trust.';
  const lines: string[] = [];
  const short = r.sha256?.slice(0, 12) ?? '';
  if (r.action === 'trusted') lines.push(`Trusted ${r.file} (sha256 ${short}…). A change to the file needs trusting again.`);
  else if (r.action === 'already-trusted') lines.push(`${r.file} is already trusted (sha256 ${short}…).`);
  else if (r.action === 'revoked') lines.push(`No longer trusted: ${r.file}. Its endpoints and secret variable names are ignored from now on.`);
  else if (r.action === 'not-trusted') lines.push(`${r.file} was not trusted; nothing to revoke.`);
  else {
    const state = { trusted: 'trusted', changed: 'changed since you trusted it', untrusted: 'not trusted', 'not-needed': 'needs no trust', none: 'absent' }[r.state];
    lines.push(`${r.file}: ${state} (sha256 ${short}…).`);
  }
  if (r.settings.length) {
    const verb = r.action === 'trusted' || r.action === 'already-trusted' || r.state === 'trusted' ? 'It decides' : 'Trusting it would let it decide';
    lines.push(`${verb} where credentials go:`);
    for (const s of r.settings) lines.push(`  ${s.setting.padEnd(27)} ${JSON.stringify(s.value)}`);
  } else {
    lines.push('It sets no endpoints or secret variable names, so it applies in full without trust.');
  }
  if (r.action === 'status' && (r.state === 'untrusted' || r.state === 'changed')) lines.push('Review the file, then run `agent-os trust`.');
  return lines.join('\n');
}

export function registerTrust(program: Command, run: Runner): void {
  program
    .command('trust')
    .argument('[action]', 'trust (default), status or revoke')
    .description("Trust this project's .agent-os/config.yaml (its exact content) to choose endpoints and secret variable names; until then those settings are ignored")
    .action(
      run(async (ctx, _opts, args) => {
        const action = parseChoice(args[0] ?? 'trust', ACTIONS, 'trust action') ?? 'trust';
        const report = trustProjectConfig(ctx.root, action);
        ctx.out.result(report, () => render(report));
      }),
    );
}
