import type { lintSource as LintSource } from '@secretlint/core';
import type { SecretLintCoreConfig, SecretLintCoreResultMessage } from '@secretlint/types';
import { AgentOsError, messageOf } from '../domain/errors.js';
import { findOwnSecrets, screenSpan, toFindings, type SecretFinding, type SecretSpan } from '../domain/secrets.js';
import type { SecretScanner } from '../ports/secret-scanner.js';

/*
 * secretlint's recommended rules (vendor token formats, private keys, database URLs) plus ours
 * (src/domain/secrets.ts), merged into one list of findings. Ours run beside secretlint, not as a
 * secretlint rule: its message post-processing is quadratic in the number of reports, and a hostile
 * text can make ours report thousands.
 *
 * The preset's comment filter is left out: it honours `secretlint-disable` comments in the scanned
 * text, so a proposal could switch the scan off for itself. (Marking it `disabled` inside the preset's
 * config has no effect in @secretlint/core 11.7, hence the rules are listed one by one.)
 */

const COMMENT_FILTER = '@secretlint/secretlint-rule-filter-comments';

/** Our kind for each message the recommended rules report; other messages take their rule's short name. */
const KIND_OF_MESSAGE: Record<string, string> = {
  AWSAccessKeyID: 'aws-access-key-id',
  AWSSecretAccessKey: 'aws-secret-access-key',
  AWSAccountID: 'aws-account-id',
  PrivateKey: 'private-key',
  PrivateKeyJSON: 'gcp-service-account-key',
  PrivateKeyP12: 'gcp-service-account-key',
  NPM_ACCESS_TOKEN: 'npm-token',
  Npmrc_authToken: 'npm-token',
  PackageJSON_xOauthToken: 'github-token',
  BasicAuth: 'basic-auth',
  SLACK_TOKEN: 'slack-token',
  IncomingWebhook: 'slack-webhook',
  SENDGRID_KEY: 'sendgrid-api-key',
  SHOPIFY_KEY: 'shopify-token',
  GITHUB_TOKEN: 'github-token',
  OPENAI_TOKEN: 'openai-api-key',
  ANTHROPIC_API_KEY: 'anthropic-api-key',
  LINEAR_API_TOKEN: 'linear-api-key',
  OPS_TOKEN: '1password-token',
  MongoDBConnection: 'connection-string',
  MySQLConnection: 'connection-string',
  PostgreSQLConnection: 'connection-string',
};

interface Engine {
  lintSource: typeof LintSource;
  config: SecretLintCoreConfig;
}

/** Loaded on the first scan: most commands never scan, and secretlint adds ~0.1 s to a start. */
async function loadEngine(): Promise<Engine> {
  const [{ lintSource }, { rules }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]);
  const recommended = rules
    .filter((rule) => rule.meta.id !== COMMENT_FILTER)
    .map((rule) =>
      rule.meta.id === '@secretlint/secretlint-rule-aws'
        ? // Key ids are scanned too (off by default); account ids are identifiers, not credentials.
          { id: rule.meta.id, rule, options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] }
        : { id: rule.meta.id, rule },
    );
  return { lintSource, config: { rules: recommended } };
}

/**
 * Where the secret a message reports is. Some rules report a range that starts at the match (the
 * label `aws_secret_access_key = `) but is as long as the secret: the secret text in the message's
 * data is searched from there so that the whole secret, and only it, is masked.
 */
function spanOf(content: string, message: SecretLintCoreResultMessage): SecretSpan | null {
  const [start, end] = message.range;
  const kind = KIND_OF_MESSAGE[message.messageId] ?? message.ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const reported = Object.values(message.data ?? {}).find((v): v is string => typeof v === 'string' && v.length > 0);
  let span: SecretSpan = { start, end, kind };
  if (reported && content.slice(start, start + reported.length) !== reported) {
    const at = content.indexOf(reported, start);
    if (at >= 0) span = { start: at, end: at + reported.length, kind };
  }
  return screenSpan(content, span);
}

/*
 * secretlint's message post-processing is quadratic in the number of reports, and a hostile text can
 * hold thousands of token-shaped strings: it sees the text in overlapping windows. A match shorter
 * than the overlap (tokens; private keys, which its rule bounds at 10,000 characters) lies whole in
 * some window; the same match found in two windows is one span, merged by toFindings.
 */
const WINDOW = 32_768;
const OVERLAP = 12_288;

/** [offset, end) windows, starting at a line (or at least a word) where one is near. */
export function windows(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (;;) {
    const end = Math.min(text.length, start + WINDOW);
    out.push([start, end]);
    if (end === text.length) return out;
    const target = end - OVERLAP;
    const line = text.lastIndexOf('\n', target);
    const space = text.slice(target - 256, target).search(/\s\S*$/);
    start = line > target - OVERLAP / 2 ? line + 1 : space >= 0 ? target - 256 + space + 1 : target;
  }
}

export class SecretlintScanner implements SecretScanner {
  private engine: Promise<Engine> | null = null;

  async scan(text: string): Promise<SecretFinding[]> {
    // secretlint drops a leading BOM, which would shift its offsets against ours: a space keeps them aligned.
    const content = text.replace(/^\uFEFF/, ' ');
    let messages: SecretLintCoreResultMessage[];
    try {
      this.engine ??= loadEngine();
      const { lintSource, config } = await this.engine.catch((e: unknown) => {
        this.engine = null;
        throw e;
      });
      messages = [];
      for (const [offset, end] of windows(content)) {
        const result = await lintSource({
          source: { content: content.slice(offset, end), filePath: 'proposal.md', contentType: 'text' },
          options: { config, locale: 'en', noPhysicFilePath: true },
        });
        for (const m of result.messages) messages.push({ ...m, range: [m.range[0] + offset, m.range[1] + offset] });
      }
    } catch (e) {
      // Fail closed: text that could not be scanned is not let through.
      throw new AgentOsError('INTERNAL', `The secret scan failed: ${messageOf(e)}.`, { cause: e });
    }
    return toFindings(content, [...messages.flatMap((m) => spanOf(content, m) ?? []), ...findOwnSecrets(content)]);
  }
}
