import { AgentOsError } from '../../domain/errors.js';
import { isProposalId } from '../../domain/proposal.js';
import { SECRETS_HINT, secretProblems } from '../../domain/proposal-validation.js';
import type { SecretFinding } from '../../domain/secrets.js';
import type { ProposalDeps } from './types.js';

const MAX_TEXT = 10_000;

export function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

export function checkId(id: string): string {
  const v = typeof id === 'string' ? id.trim() : '';
  if (!isProposalId(v)) {
    throw new AgentOsError('BAD_INPUT', `Invalid proposal id ${JSON.stringify(id)}: ids look like sp-20261130-a1b2c3.`, {
      hint: 'List proposals with list_standard_proposals (CLI: agent-os proposals list).',
    });
  }
  return v;
}

export function scanContent(deps: ProposalDeps, content: unknown): Promise<SecretFinding[]> {
  return typeof content === 'string' && content.trim() ? deps.secrets.scan(content) : Promise.resolve([]);
}

/** Free text (rationale, feedback, reason): bounded, and free of secrets since it lands in commits and PRs. */
export async function checkText(deps: ProposalDeps, what: string, value: string | null | undefined): Promise<string | null> {
  if (value === undefined || value === null) return null;
  const text = String(value).replace(/\r\n/g, '\n').trim();
  if (!text) return null;
  if (text.length > MAX_TEXT) throw new AgentOsError('BAD_INPUT', `The ${what} is too long (${text.length} characters; at most ${MAX_TEXT}).`);
  const secrets = await deps.secrets.scan(text);
  if (secrets.length) {
    throw new AgentOsError('BAD_INPUT', `The ${what} was refused:\n- ${secretProblems(secrets).join('\n- ')}`, {
      hint: SECRETS_HINT,
    });
  }
  return text;
}

export function checkName(what: string, value: string | null | undefined): string | null {
  if (value === undefined || value === null || !String(value).trim()) return null;
  const v = String(value).trim();
  if (v.length > 100 || /[\u0000-\u001f\u007f]/.test(v)) throw new AgentOsError('BAD_INPUT', `Invalid ${what} ${JSON.stringify(v.slice(0, 40))}: one line, at most 100 characters.`);
  return v;
}

export function checkList(what: string, value: string[] | null | undefined): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 50) throw new AgentOsError('BAD_INPUT', `${what} must be a list of at most 50 strings.`);
  return value.map((v) => {
    const s = String(v).trim();
    if (!s || s.length > 200 || /[\u0000-\u001f\u007f]/.test(s)) throw new AgentOsError('BAD_INPUT', `Invalid ${what} entry ${JSON.stringify(s.slice(0, 40))}.`);
    if (what === 'applies_to' && (s.startsWith('/') || s.split('/').includes('..'))) {
      throw new AgentOsError('BAD_INPUT', `Invalid applies_to glob ${JSON.stringify(s)}: use a project-relative glob such as "src/api/**/*.ts".`);
    }
    return s;
  });
}
