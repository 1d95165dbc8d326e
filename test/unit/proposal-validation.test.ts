import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../fakes/errors.js';
import {
  checkTemplate,
  SECRETS_HINT,
  suggestSlug,
  validateProposal,
  validateSlug,
} from '../../src/domain/proposal-validation.js';
import { findOwnSecrets, isPlaceholder, isSecretLabel, looksLikeSecretValue, maskSecret, toFindings, type SecretFinding } from '../../src/domain/secrets.js';
import { SecretlintScanner, windows } from '../../src/infra/secretlint-scanner.js';
import { BASE64, base64Pem, base64PemWrapped, basicHeader, FAKE, pemBegin, pemEnd, randomString } from '../fixtures/fake-secrets.js';

// Credential-shaped values come from test/fixtures/fake-secrets.ts, built at run time, so that
// secret scanners do not flag this file.
const j = (...parts: string[]): string => parts.join('');
const scanner = new SecretlintScanner();
const scan = (text: string): Promise<SecretFinding[]> => scanner.scan(text);
const kinds = async (text: string): Promise<Array<[number, string]>> => (await scan(text)).map((f) => [f.line, f.kind]);

const GOOD = `# Auth patterns

## Context

Services authenticate users with short-lived tokens.

## Pattern

- Hash passwords with argon2id; read secrets from the environment.

## Examples

\`\`\`ts
const url = process.env.DATABASE_URL;
\`\`\`

## Anti-patterns

- Storing passwords in plain text.
`;

describe('validateSlug', () => {
  it('accepts and normalises safe slugs', () => {
    expect(validateSlug('domain', 'security')).toBe('security');
    expect(validateSlug('topic', ' Auth-Patterns2 ')).toBe('auth-patterns2');
    expect(validateSlug('topic', 'a'.repeat(64))).toBe('a'.repeat(64));
    expect(validateSlug('topic', 'index')).toBe('index');
  });

  it.each([
    ['domain', '', /must not be empty/],
    ['domain', '/etc', /must not be an absolute path/],
    ['topic', 'C:\\temp', /must not be an absolute path/],
    ['topic', '~/x', /must not be an absolute path/],
    ['topic', '../secrets', /must not contain "\.\."/],
    ['topic', 'a..b', /must not contain "\.\."/],
    ['topic', 'kafka/topics', /must not contain "\/"/],
    ['domain', '.cache', /must not start with a dot/],
    ['topic', 'a'.repeat(65), /at most 64 characters \(got 65\)/],
    ['topic', 'auth patterns', /only lowercase letters, digits and hyphens/],
    ['topic', 'auth_patterns', /only lowercase letters, digits and hyphens/],
    ['topic', '-auth', /must not start or end with a hyphen/],
    ['domain', 'con', /"con" is a reserved name/],
    ['topic', 'COM1', /"com1" is a reserved name/],
    ['topic', 'lpt9', /reserved name/],
    ['topic', 'nul', /reserved name/],
  ] as const)('refuses %s %j', (kind, value, rule) => {
    const e = errorOf(() => validateSlug(kind, value));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain(`Invalid ${kind}`);
    expect(e.message).toMatch(rule);
    expect(validateSlug(kind, suggestSlug(kind, value))).toBe(suggestSlug(kind, value));
  });

  it('hints with a valid slug derived from the input', () => {
    expect(errorOf(() => validateSlug('topic', 'Auth Patterns')).hint).toBe('Use a slug like "auth-patterns".');
    expect(suggestSlug('topic', '../Über Secrets!')).toBe('uber-secrets');
    expect(suggestSlug('domain', 'con')).toBe('con-domain');
    expect(suggestSlug('domain', '///')).toBe('security');
  });
});

describe('checkTemplate', () => {
  it('passes a complete standard, and this repository’s own standards', () => {
    expect(checkTemplate(GOOD)).toEqual({ ok: true, missing: [], empty: [], title: 'Auth patterns' });
    const dir = join(process.cwd(), '.agent-os/standards');
    for (const file of walk(dir)) expect(checkTemplate(readFileSync(file, 'utf8')), file).toMatchObject({ ok: true });
  });

  it('accepts heading variants at any level ≥ 2, and front matter', () => {
    const md = '---\ntags: [a]\n---\nTitle\n=====\n\n### context:\nx\n\n#### PATTERNS\ny\n\n## Example\nz\n\n## Anti patterns\nw\n';
    expect(checkTemplate(md)).toMatchObject({ ok: true, title: 'Title' });
    expect(checkTemplate(GOOD.replace('## Anti-patterns', '## Antipatterns')).ok).toBe(true);
  });

  it('ignores headings inside code fences', () => {
    const md = '# T\n\n## Context\nc\n\n## Pattern\np\n\n```md\n## Examples\n## Anti-patterns\n```\n';
    expect(checkTemplate(md)).toMatchObject({ ok: false, missing: ['Examples', 'Anti-patterns'], empty: [] });
  });

  it('reports empty sections; comments are not content, sub-sections are', () => {
    const md = '# T\n\n## Context\n<!-- fill in -->\n\n## Pattern\n\n### Detail\nreal text\n\n## Examples\n\n## Anti-patterns\n- x\n';
    expect(checkTemplate(md)).toEqual({ ok: false, missing: [], empty: ['Context', 'Examples'], title: 'T' });
  });

  it('requires a title as the first heading, and flags an empty body', () => {
    expect(checkTemplate(GOOD.replace('# Auth patterns', ''))).toMatchObject({ ok: false, missing: ['Title'] });
    expect(checkTemplate('')).toEqual({ ok: false, missing: ['Title', 'Context', 'Pattern', 'Examples', 'Anti-patterns'], empty: [], title: null });
  });
});

describe('secret scanning', () => {
  const S = FAKE;
  /** [kind, text, line]: each text holds one secret, refused on that line with that kind. */
  const REFUSED: Array<[string, string, number]> = [
    ['aws-access-key-id', `aws:\n  id: ${S.awsKeyId}`, 2],
    ['aws-secret-access-key', `[default]\naws_secret_access_key = ${S.awsSecret}`, 2],
    ['labelled-secret', `AWS_SECRET_ACCESS_KEY=${S.awsSecretPlus}`, 1],
    ['github-token', `export GH=${S.githubClassic}`, 1],
    ['github-token', `line\ntoken ${S.githubFineGrained}`, 2],
    ['private-key', `text\n\n${S.pem}`, 3],
    ['private-key', `\`\`\`\n${S.opensshPem}\`\`\``, 2],
    ['private-key', `{\n  "type": "service_account",\n  "private_key": ${JSON.stringify(S.pem)}\n}`, 3],
    ['slack-token', `a\nb\nSLACK=${S.slackBot}`, 3],
    ['stripe-key', `Stripe.api_key = ${S.stripeLive}`, 1],
    ['jwt', `x\n${S.jwt}`, 2],
    ['connection-string', `DATABASE_URL=postgres://app:${S.urlPassword}@db.internal:5432/app`, 1],
    ['connection-string', `uri: mongodb+srv://admin:${S.urlPassword}@cluster0.mongodb.net/test`, 1],
    ['connection-string', `cache:\n  url: redis://:${S.urlPassword}@cache:6379/0`, 2],
    ['connection-string', `amqp://app:${S.urlPassword}@mq:5672`, 1],
    ['npm-token', `//registry.npmjs.org/:_authToken=${S.npmToken}`, 1],
    ['npm-token', `env:\n  NODE_AUTH: ${S.npmToken}`, 2],
    ['anthropic-api-key', `Key: ${S.anthropic}`, 1],
    ['bearer-token', `curl -H "Authorization: Bearer ${S.token32}"`, 1],
    ['password-assignment', 'intro\npassword = "hunter2"', 2],
    ['password-assignment', 'PASSWORD: hunter22', 1],
    ['password-assignment', '{\n  "apiKey": "k3y-v4lue-9"\n}', 2],
    ['password-assignment', 'DB_PASSWORD=s3cr3t ./run.sh', 1],
    ['high-entropy-string', `text\n\nclient = Client(${JSON.stringify(S.token32)})`, 3],
    // Kinds that passed the hand-written scanner (they failed here before it was rebuilt).
    ['openai-api-key', `openai:\n  key: ${S.openAiProject}`, 2],
    ['openai-api-key', `OPENAI_KEY = "${S.openAiProject}"`, 1],
    ['google-api-key', `GOOGLE_MAPS_KEY: ${S.googleApiKey}`, 1],
    ['google-api-key', `See https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${S.googleApiKey}`, 1],
    ['base64-private-key', `apiVersion: v1\nkind: Secret\ndata:\n  tls.key: ${base64Pem()}`, 4],
    ['base64-private-key', `# key.pem, base64\n\n${base64PemWrapped()}\n`, 3],
    ['slack-webhook', `Alerts go to ${S.slackWebhook} from CI.`, 1],
    ['slack-webhook', `notify:\n  url: "${S.slackWebhook}"`, 2],
    ['basic-auth', `git clone https://${S.basicUser}:${S.basicPassword}@git.acme.io/team/repo.git`, 1],
    ['basic-auth', `Jenkins:\n\nhttp://admin:${S.basicPassword}@jenkins:8080/job/x`, 3],
    ['basic-auth', `curl -H "Authorization: ${basicHeader()}" https://api.acme.io`, 1],
    ['basic-auth', `GET / HTTP/1.1\nHost: api.acme.io\nauthorization: ${basicHeader()}`, 3],
    ['labelled-secret', `OPENAI_KEY: ${S.labelled}`, 1],
    ['labelled-secret', `export OPENAI_KEY="${S.labelled}"`, 1],
    ['labelled-secret', `signing_key = "${S.labelled}"`, 1],
    ['labelled-secret', `jwt:\n  signing_key: ${S.labelledBase64}`, 2],
    ['labelled-secret', `SIGNING_KEY="${S.labelledHex}"`, 1],
    ['labelled-secret', `{\n  "webhookSigningSecret": "${S.labelled}"\n}`, 2],
    ['labelled-secret', `curl -H 'X-Api-Key: ${S.labelled}' https://api.acme.io`, 1],
    ['labelled-secret', `GET https://api.acme.io/v1/export?format=csv&access_token=${S.labelled}`, 1],
    ['labelled-secret', `url: https://api.acme.io/v1/export?access_token=${S.labelled}&format=csv`, 1],
    ['labelled-secret', `const privateKeyB64 = '${S.labelledBase64}';`, 1],
  ];

  it.each(REFUSED)('refuses %s on the right line: %j', async (kind, text, line) => {
    expect(await kinds(text)).toEqual([[line, kind]]);
  });

  it('covers at least 14 kinds of secret', () => {
    expect(new Set(REFUSED.map(([kind]) => kind)).size).toBeGreaterThanOrEqual(14);
  });

  it('never shows more than 4 characters of a secret', async () => {
    const secrets = [...Object.values(S).flatMap((v) => v.split('\n')), base64Pem(), basicHeader().slice(6)].filter((v) => v.length >= 12);
    for (const [, text] of REFUSED) {
      for (const f of await scan(text)) {
        expect(f.excerpt, text).toContain('…');
        for (const secret of secrets) expect(f.excerpt, text).not.toContain(secret.slice(4, 12));
      }
    }
  });

  it('masks just the secret and keeps the rest of the line', async () => {
    expect((await scan(`key: ${S.awsKeyId}`))[0]?.excerpt).toBe('key: AKIA…');
    expect((await scan('password = "hunter2"'))[0]?.excerpt).toBe('password = "h…"');
    expect((await scan(`[default]\naws_secret_access_key = ${S.awsSecret}`))[0]?.excerpt).toBe(`aws_secret_access_key = ${S.awsSecret.slice(0, 4)}…`);
    expect((await scan(`DATABASE_URL=postgres://app:${S.urlPassword}@db/app`))[0]?.excerpt).toBe(`DATABASE_URL=postgres://app:${S.urlPassword.slice(0, 4)}…@db/app`);
    expect((await scan(`Alerts go to ${S.slackWebhook} from CI.`))[0]?.excerpt).toBe('Alerts go to http… from CI.');
    expect((await scan(`text\n\n${S.pem}`))[0]?.excerpt).toBe('----…');
  });

  it('counts lines from 1 (CRLF, a BOM) and reports several secrets on one line', async () => {
    expect(await kinds(`\r\n\r\nids: ${S.awsKeyId} ${S.githubClassic}`)).toEqual([[3, 'aws-access-key-id'], [3, 'github-token']]);
    expect(await kinds(`\uFEFF# T\r\n\r\n${S.pem.replace(/\n/g, '\r\n')}\r\ntoken ${S.githubClassic}\r\n`)).toEqual([[3, 'private-key'], [18, 'github-token']]);
    const [f] = await scan(`\uFEFFa\r\nkey: ${S.awsKeyId}\r\n`);
    expect(f).toEqual({ line: 2, kind: 'aws-access-key-id', excerpt: 'key: AKIA…' });
  });

  it('finds every secret in a long text exactly once, also across the windows secretlint sees', async () => {
    const lines: string[] = [];
    const expected: Array<[number, string]> = [];
    for (let i = 0; lines.length < 6000; i++) {
      if (i % 150 === 75) {
        expected.push([lines.length + 1, 'private-key']);
        lines.push(...FAKE.pem.trimEnd().split('\n'));
      } else if (i % 37 === 5) {
        expected.push([lines.length + 1, 'github-token']);
        lines.push(`token ${j('gh', 'p_', randomString(100 + i, 36))}`);
      } else if (i % 2 === 0) {
        // Matches with spaces in them: a window cut inside one would lose it without the overlap.
        expected.push([lines.length + 1, 'aws-secret-access-key']);
        lines.push(`aws_secret_access_key = ${randomString(100 + i, 39, BASE64)}Q`);
      } else lines.push('Lorem ipsum dolor sit amet, consectetur adipiscing elit.');
    }
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(300_000);
    expect(expected.length).toBeGreaterThan(2500);
    expect(await kinds(text)).toEqual(expected);
    expect(windows(text).length).toBeGreaterThan(10);
  });

  it('is not switched off by secretlint comments in the text', async () => {
    const text = `<!-- secretlint-disable -->\n${S.githubClassic}\n# secretlint-disable-next-line\nOPENAI_KEY: ${S.labelled}\n`;
    expect(await kinds(text)).toEqual([[2, 'github-token'], [4, 'labelled-secret']]);
  });

  it.each([
    ['the documented AWS key id', `aws_access_key_id = ${j('AKIA', 'IOSFODNN7EXAMPLE')}`],
    ['the documented AWS secret', `aws_secret_access_key = ${j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')}`],
    ['the documented AWS pair in prose', `Use ${j('AKIA', 'IOSFODNN7EXAMPLE')} and ${j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')} in docs.`],
    ['the documented AWS pair as env', `AWS_ACCESS_KEY_ID=${j('AKIA', 'IOSFODNN7EXAMPLE')}\nAWS_SECRET_ACCESS_KEY=${j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')}`],
    ['an env reference', 'OPENAI_KEY=$OPENAI_KEY'],
    ['a braced reference', 'signing_key: ${SIGNING_KEY}'],
    ['an angle placeholder', '"apiKey": "<your-token>"'],
    ['xxxx', 'OPENAI_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['changeme', 'SIGNING_KEY=changeme'],
    ['an ellipsis', 'api_key: ...'],
    ['a placeholder password in a URL', 'https://deploy:changeme@git.acme.io/repo.git'],
    ['references in a URL', 'https://${GIT_USER}:${GIT_PASSWORD}@git.acme.io/repo.git'],
    ['user:pass in a URL', 'https://user:pass@host'],
    ['$DATABASE_URL', 'Connect with `$DATABASE_URL`.'],
    ['a Basic placeholder', 'Authorization: Basic <base64-credentials>'],
    ['a Basic reference', 'Authorization: Basic $BASIC_AUTH'],
    ['the Slack webhook placeholder', j('https://hooks.', 'slack.com/services/T00000000/B00000000/', 'X'.repeat(24))],
    ['a token placeholder', `token: ${j('gh', 'p_', 'x'.repeat(36))}`],
    ['a private key placeholder', `${pemBegin('RSA PRIVATE')}\n...\n${pemEnd('RSA PRIVATE')}`],
    ['a low-entropy labelled value', 'SIGNING_KEY=development-only-signing-key'],
    ['an SSH public key', `public_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomString(30, 43)} ci@acme`],
    ['an SSH public key in authorized_keys', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomString(30, 43)} ci@acme`],
    ['a key id', `signing_key_id: ${S.labelled}`],
    ['a cache key', `cache_key: ${S.labelled}`],
    ['a token endpoint', 'token_url: https://auth.acme.io/oauth/token'],
    ['a plain URL with a random path', 'See [the guide](https://example.com/docs/AbCdEfGh12345678IjKlMnOp) for details.'],
    ['a plain URL with a hashed file name', 'https://cdn.acme.io/assets/app.Zq8Xv2Lm9Np4Kr7T.js'],
    ['a URL with a user and no password', 'ssh://git@github.com/org/repo.git'],
    ['a URL with a port and no user', 'http://localhost:8080/api?page=2&per_page=50'],
    // Placeholders the hand-written scanner allowed, kept.
    ['password = "$DATABASE_PASSWORD"', 'password = "$DATABASE_PASSWORD"'],
    ['api_key = "${API_KEY:-}"', 'api_key = "${API_KEY:-}"'],
    ['API_KEY=<your-key>', 'API_KEY=<your-key>'],
    ['token: "***"', 'token: "***"'],
    ['apiKey: process.env.API_KEY', 'apiKey: process.env.API_KEY'],
    ['password = os.environ["DB_PASSWORD"]', 'password = os.environ["DB_PASSWORD"]'],
    ['token = os.getenv("TOKEN")', 'token = os.getenv("TOKEN")'],
    ['password: string;', 'password: string;'],
    ['password: DB_PASSWORD', 'password: DB_PASSWORD'],
    ['token: ${{ secrets.GITHUB_TOKEN }}', 'token: ${{ secrets.GITHUB_TOKEN }}'],
    ['password = "your_password_here"', 'password = "your_password_here"'],
    ['const token = await getToken();', 'const token = await getToken();'],
    ['passwordMinLength: 12', 'passwordMinLength: 12'],
    ['tokenExpirySeconds = 3600', 'tokenExpirySeconds = 3600'],
    ['prose about passwords', 'The password: never store it in plain text.'],
    ['a URL password reference', 'DATABASE_URL=postgres://user:$DB_PASSWORD@db:5432/app'],
    ['a braced URL password', 'postgres://user:${PGPASSWORD}@localhost/app'],
    ['a template property in a URL', 'postgres://app:${config.dbPassword}@db/app'],
    ['a template property under a secret name', 'OPENAI_KEY = "${settings.openaiKey}"'],
    ['an angle URL password', 'mongodb+srv://user:<password>@cluster0.mongodb.net'],
    ['a masked URL password', 'redis://:***@cache:6379'],
    ['a bearer reference', 'curl -H "Authorization: Bearer $TOKEN"'],
    ['a bearer placeholder', 'Authorization: Bearer <access-token>'],
    ['a PEM header in prose', `Never commit a file containing \`${pemBegin('PRIVATE')}\`.`],
  ])('allows %s', async (_name, text) => {
    expect(await kinds(text)).toEqual([]);
  });

  it('does not flag prose, hashes, UUIDs, identifiers, links or encoded text', async () => {
    const text = [
      'See [the guide](https://example.com/docs/AbCdEfGh12345678IjKlMnOp) for details.',
      'Fixed in commit 3f786850e387550fdab836ed7e6dc881de23001b.',
      'digest: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'id: 123e4567-e89b-12d3-a456-426614174000',
      'func TestRegression682831(t *testing.T) {',
      'const base64EncodedSha256Digest = compute();',
      '"id": "AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAADxyz123"',
      'Encoded: SWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM=',
      'integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"',
      'src/domain/proposal-validation.ts and test/unit/proposal-validation.test.ts',
      'Internationalization and accessibility requirements matter.',
      'checksum_key: 3f786850e387550fdab836ed7e6dc881de23001b',
    ].join('\n');
    expect(await scan(text)).toEqual([]);
  });

  it('finds nothing in this repository’s standards', async () => {
    const dir = join(process.cwd(), '.agent-os/standards');
    for (const file of walk(dir)) expect(await scan(readFileSync(file, 'utf8')), file).toEqual([]);
  });

  const corpus = '/work/shared/corpus/standards';
  describe('shared standards corpus', () => {
    /** Findings the corpus really contains: credential-like examples in security cheat sheets. */
    const known: Record<string, Array<[number, string]>> = {
      'security/JSON_Web_Token_Cheat_Sheet.md': [[37, 'jwt'], [40, 'jwt'], [173, 'high-entropy-string']],
      'security/REST_Security_Cheat_Sheet.md': [[226, 'password-assignment']],
      // A 32-hex-digit `?token=` in example URLs: the labelled-value rule names them more precisely than before.
      'security/XS_Leaks_Cheat_Sheet.md': [[158, 'labelled-secret'], [290, 'labelled-secret']],
    };
    const files = walk(corpus).map((f) => relative(corpus, f)).sort();
    // A fixed sample of 20 plus every file with a known finding; the whole corpus is scanned below.
    const sample = [...new Set([...files.filter((_, i) => i % Math.max(1, Math.floor(files.length / 20)) === 0).slice(0, 20), ...Object.keys(known)])];

    it.each(sample)('%s', async (file) => {
      expect(await kinds(readFileSync(join(corpus, file), 'utf8'))).toEqual(known[file] ?? []);
    });

    it('has no other findings anywhere in the corpus', async () => {
      expect(files.length).toBeGreaterThan(150);
      const unexpected: string[] = [];
      for (const file of files) {
        for (const f of await scan(readFileSync(join(corpus, file), 'utf8'))) {
          if (!(known[file] ?? []).some(([line, kind]) => line === f.line && kind === f.kind)) unexpected.push(`${file}:${f.line} ${f.kind} ${f.excerpt}`);
        }
      }
      expect(unexpected).toEqual([]);
    });
  });
});

describe('secret rules (pure parts)', () => {
  it.each([
    ['OPENAI_KEY', true], ['signing_key', true], ['apiKey', true], ['X-Api-Key', true], ['_authToken', true],
    ['webhookSigningSecret', true], ['DB_PASS', true], ['privateKeyB64', true], ['client_secret', true], ['Authorization', true],
    ['public_key', false], ['cache_key', false], ['idempotencyKey', false], ['signing_key_id', false], ['token_url', false],
    ['apiKeyHeader', false], ['author', false], ['csrf_token', false], ['primary_key', false], ['monkey', false], ['next_page_token', false],
  ])('isSecretLabel(%j) is %s', (name, expected) => {
    expect(isSecretLabel(name)).toBe(expected);
  });

  it('looksLikeSecretValue wants long random literals', () => {
    expect(looksLikeSecretValue(FAKE.labelled)).toBe(true);
    expect(looksLikeSecretValue(FAKE.labelledHex)).toBe(true);
    expect(looksLikeSecretValue('123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(looksLikeSecretValue(FAKE.labelled.slice(0, 15))).toBe(false);
    expect(looksLikeSecretValue('CompanyWebhookSecret2024')).toBe(false);
    expect(looksLikeSecretValue('development-only-signing-key')).toBe(false);
    expect(looksLikeSecretValue('${SIGNING_KEY_FROM_VAULT}')).toBe(false);
    expect(looksLikeSecretValue('https://auth.acme.io/token')).toBe(false);
    expect(looksLikeSecretValue('a'.repeat(40))).toBe(false);
  });

  it('maskSecret shows at most 4 characters and at most a quarter', () => {
    expect(maskSecret(FAKE.labelled)).toBe(`${FAKE.labelled.slice(0, 4)}…`);
    expect(maskSecret('hunter2')).toBe('h…');
    expect(maskSecret('abc')).toBe('…');
  });

  it('toFindings keeps the most specific of overlapping spans and masks every span on the line', () => {
    const text = `a\nGH=${FAKE.githubClassic} pw=${FAKE.labelled}`;
    const gh = text.indexOf(FAKE.githubClassic);
    const pw = text.indexOf(FAKE.labelled);
    const found = toFindings(text, [
      { start: gh - 3, end: gh + 40, kind: 'high-entropy-string' },
      { start: gh, end: gh + 40, kind: 'github-token' },
      { start: pw, end: pw + 48, kind: 'labelled-secret' },
    ]);
    const excerpt = `GH=${FAKE.githubClassic.slice(0, 4)}… pw=${FAKE.labelled.slice(0, 4)}…`;
    expect(found).toEqual([
      { line: 2, kind: 'github-token', excerpt },
      { line: 2, kind: 'labelled-secret', excerpt },
    ]);
  });

  it('findOwnSecrets gives offsets into the text, across CRLF lines', () => {
    const text = `x\r\n\r\nsigning_key: ${FAKE.labelled}\r\n`;
    expect(findOwnSecrets(text)).toEqual([{ start: text.indexOf(FAKE.labelled), end: text.indexOf(FAKE.labelled) + 48, kind: 'labelled-secret' }]);
  });

  it('isPlaceholder tells references from literals', () => {
    expect(isPlaceholder('$API_KEY')).toBe(true);
    expect(isPlaceholder('{{ .Values.password }}')).toBe(true);
    expect(isPlaceholder('%DB_PASS%')).toBe(true);
    expect(isPlaceholder('hunter2')).toBe(false);
    expect(isPlaceholder('Sup3rS3cret')).toBe(false);
    expect(isPlaceholder('hashed_password_from_database')).toBe(true);
    expect(isPlaceholder('supersecret')).toBe(false);
    expect(isPlaceholder('mysecretpassword')).toBe(false);
  });
});

describe('validateProposal', () => {
  it('returns normalised slugs and the title for a good proposal', async () => {
    expect(await scan(GOOD)).toEqual([]);
    expect(validateProposal({ domain: 'Security', topic: 'auth-patterns', content: GOOD }, [])).toEqual({
      domain: 'security',
      topic: 'auth-patterns',
      content: GOOD,
      title: 'Auth patterns',
    });
  });

  it('lists every problem in one error, with the placeholder advice when secrets were found', async () => {
    const content = `# Db\n\n## Context\n\nx\n\n## Pattern\n\npassword = "hunter2"\n\nDATABASE_URL=postgres://app:Sup3rS3cret@db/app\n`;
    const e = errorOf(() => validateProposal({ domain: '../etc', topic: 'Db Access', content }, [
      { line: 9, kind: 'password-assignment', excerpt: 'password = "h…"' },
      { line: 11, kind: 'connection-string', excerpt: 'DATABASE_URL=postgres://app:Su…@db/app' },
    ]));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('Invalid domain "../etc": domain must not contain ".."');
    expect(e.message).toContain('Invalid topic "Db Access": topic may contain only lowercase letters, digits and hyphens');
    expect(e.message).toContain('Missing from the standard template: Examples, Anti-patterns.');
    expect(e.message).toContain('Possible secret (password-assignment) on line 9: password = "h…"');
    expect(e.message).toContain('Possible secret (connection-string) on line 11: DATABASE_URL=postgres://app:Su…@db/app');
    expect(e.message).not.toContain('hunter2');
    expect(e.message).not.toContain('Sup3rS3cret');
    expect(e.hint).toContain('For the domain: Use a slug like "etc".');
    expect(e.hint).toContain('For the topic: Use a slug like "db-access".');
    expect(e.hint).toContain(SECRETS_HINT);
    expect(SECRETS_HINT).toBe('Use placeholders like `$DATABASE_URL` or `${API_KEY}` and reference secure storage (e.g. "stored in AWS Secrets Manager")');
  });

  it('lists at most 20 secrets and counts the rest', () => {
    const findings = Array.from({ length: 25 }, (_, i) => ({ line: i + 1, kind: 'github-token', excerpt: 'ghp_…' }));
    const e = errorOf(() => validateProposal({ domain: 'security', topic: 'auth', content: GOOD }, findings));
    expect(e.message.split('\n').filter((l) => l.startsWith('- Possible secret'))).toHaveLength(20);
    expect(e.message).toContain('- Possible secret (github-token) on line 20: ghp_…\n- …and 5 more possible secrets.');
    expect(e.message).not.toContain('on line 21');
  });

  it('refuses an empty body and an incomplete template without the secrets advice', () => {
    const empty = errorOf(() => validateProposal({ domain: 'security', topic: 'auth', content: '  \n' }, []));
    expect(empty.message).toContain('The content is empty.');
    const partial = errorOf(() => validateProposal({ domain: 'security', topic: 'auth', content: GOOD.replace(/## Examples[\s\S]*?## Anti/, '## Examples\n\n## Anti') }, []));
    expect(partial.message).toBe('The proposed standard security/auth was refused:\n- Empty sections: Examples.');
    expect(partial.hint).not.toContain('placeholders');
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return name.endsWith('.md') ? [p] : [];
  });
}
