import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../fakes/errors.js';
import {
  checkTemplate,
  isPlaceholder,
  scanSecrets,
  SECRETS_HINT,
  suggestSlug,
  validateProposal,
  validateSlug,
} from '../../src/domain/proposal-validation.js';

// Credential-shaped test values are assembled at run time so secret scanners do not flag this file.
const j = (...parts: string[]): string => parts.join('');
const AWS_KEY_ID = j('AKIA', 'Z7Q3N5R2P8K4M6W9');
const AWS_SECRET = j('q8Fz2LmN4pR7tV1x', 'B3dG6hJ9kM2nP5sU', '8wY0aC3e');
const GITHUB_TOKEN = j('ghp_', 'R4nd0mT0k3nV4lu3Xq9Zk2Lm8Np3Qr7St1Uv5W');
const GITHUB_PAT = j('github_pat_', '11ABCDEFG0abcdefghijkl_mnopQRSTuvwx1234567890');
const SLACK_TOKEN = j('xoxb-', '123456789012-1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx');
const STRIPE_KEY = j('sk_live_', '51HqLyjWDarjtT1zdp7dcAbCd');
const JWT = j('eyJhbGciOiJIUzI1NiJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U');
const RANDOM_KEY = j('Zq8Xv2Lm9Np4Kr7', 'Tw1Bc6Hd3Fg5Js0Ya');


function kinds(text: string): Array<[number, string]> {
  return scanSecrets(text).map((f) => [f.line, f.kind]);
}

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

describe('scanSecrets', () => {
  it.each([
    ['aws-access-key-id', `aws:\n  id: ${AWS_KEY_ID}`, 2],
    ['aws-secret-access-key', `[default]\naws_secret_access_key = ${AWS_SECRET}`, 2],
    ['private-key', `text\n\n-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEA7x'.repeat(4)}\n-----END RSA PRIVATE KEY-----`, 3],
    ['gcp-service-account-key', `{\n  "type": "service_account",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'.repeat(2)}\\n-----END PRIVATE KEY-----\\n"\n}`, 3],
    ['github-token', `export GH=${GITHUB_TOKEN}`, 1],
    ['github-token', `line\ntoken ${GITHUB_PAT}`, 2],
    ['slack-token', `a\nb\nSLACK=${SLACK_TOKEN}`, 3],
    ['stripe-key', `Stripe.api_key = ${STRIPE_KEY}`, 1],
    ['jwt', `x\n${JWT}`, 2],
    ['bearer-token', `curl -H "Authorization: Bearer ${RANDOM_KEY}"`, 1],
    ['password-assignment', 'intro\npassword = "hunter2"', 2],
    ['password-assignment', 'PASSWORD: hunter22', 1],
    ['password-assignment', '{\n  "apiKey": "k3y-v4lue-9"\n}', 2],
    ['password-assignment', 'DB_PASSWORD=s3cr3t ./run.sh', 1],
    ['connection-string', 'DATABASE_URL=postgres://app:Sup3rS3cret@db.internal:5432/app', 1],
    ['connection-string', 'uri: mongodb+srv://admin:pa55w0rd@cluster0.mongodb.net/test', 1],
    ['connection-string', 'redis://:r3d1spass@cache:6379/0', 1],
    ['connection-string', 'amqp://guest:rabbitpw@mq:5672', 1],
    ['high-entropy-string', `text\n\nclient = Client(${JSON.stringify(RANDOM_KEY)})`, 3],
  ])('detects %s on the right line', (kind, text, line) => {
    const found = scanSecrets(text);
    expect(found.map((f) => [f.line, f.kind])).toEqual([[line, kind]]);
  });

  it('masks the secret in the excerpt', () => {
    const [f] = scanSecrets(`key: ${AWS_KEY_ID}`);
    expect(f?.excerpt).toBe('key: AKIA…');
    expect(scanSecrets(`password = "hunter2"`)[0]?.excerpt).toBe('password = "h…"');
    for (const secret of [AWS_SECRET, GITHUB_TOKEN, SLACK_TOKEN, STRIPE_KEY, JWT, RANDOM_KEY]) {
      const all = scanSecrets(`value ${JSON.stringify(secret)} and Bearer ${secret}\napi_key = "${secret}"`);
      expect(all.length).toBeGreaterThan(0);
      for (const x of all) expect(x.excerpt).not.toContain(secret.slice(0, 8));
    }
  });

  it('counts lines from 1 and reports several secrets on one line', () => {
    const found = scanSecrets(`\r\n\r\nids: ${AWS_KEY_ID} ${GITHUB_TOKEN}`);
    expect(found.map((f) => [f.line, f.kind])).toEqual([[3, 'aws-access-key-id'], [3, 'github-token']]);
  });

  it.each([
    'password = "$DATABASE_PASSWORD"',
    'password: ${DB_PASSWORD}',
    'api_key = "${API_KEY:-}"',
    'API_KEY=<your-key>',
    'password: changeme',
    'secret = "xxx"',
    'token: "***"',
    'password = "..."',
    'apiKey: process.env.API_KEY',
    'password = os.environ["DB_PASSWORD"]',
    'token = os.getenv("TOKEN")',
    'password: string;',
    'password: DB_PASSWORD',
    'token: ${{ secrets.GITHUB_TOKEN }}',
    'password = "your_password_here"',
    'const token = await getToken();',
    'passwordMinLength: 12',
    'tokenExpirySeconds = 3600',
    'The password: never store it in plain text.',
    'DATABASE_URL=postgres://user:$DB_PASSWORD@db:5432/app',
    'postgres://user:${PGPASSWORD}@localhost/app',
    'mongodb+srv://user:<password>@cluster0.mongodb.net',
    'redis://:***@cache:6379',
    'curl -H "Authorization: Bearer $TOKEN"',
    'Authorization: Bearer <access-token>',
    `aws_access_key_id = ${j('AKIA', 'IOSFODNN7EXAMPLE')}`,
    '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
    'Never commit a file containing `-----BEGIN PRIVATE KEY-----`.',
  ])('does not flag the placeholder %j', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  it('does not flag prose, hashes, UUIDs, identifiers, links or encoded text', () => {
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
    ].join('\n');
    expect(scanSecrets(text)).toEqual([]);
  });

  it('finds nothing in this repository’s standards', () => {
    const dir = join(process.cwd(), '.agent-os/standards');
    for (const file of walk(dir)) expect(scanSecrets(readFileSync(file, 'utf8')), file).toEqual([]);
  });

  const corpus = '/work/shared/corpus/standards';
  describe('shared standards corpus', () => {
    /** Findings the corpus really contains: credential-like examples in security cheat sheets. */
    const known: Record<string, Array<[number, string]>> = {
      'security/JSON_Web_Token_Cheat_Sheet.md': [[37, 'jwt'], [40, 'jwt'], [173, 'high-entropy-string']],
      'security/REST_Security_Cheat_Sheet.md': [[226, 'password-assignment']],
      'security/XS_Leaks_Cheat_Sheet.md': [[158, 'password-assignment'], [290, 'password-assignment']],
    };
    const files = walk(corpus).map((f) => relative(corpus, f)).sort();
    // A fixed sample of 20 plus every file with a known finding; the whole corpus is scanned below.
    const sample = [...new Set([...files.filter((_, i) => i % Math.max(1, Math.floor(files.length / 20)) === 0).slice(0, 20), ...Object.keys(known)])];

    it.each(sample)('%s', (file) => {
      const found = scanSecrets(readFileSync(join(corpus, file), 'utf8')).map((f) => [f.line, f.kind]);
      expect(found).toEqual(known[file] ?? []);
    });

    it('has no other findings anywhere in the corpus', () => {
      const unexpected = files.flatMap((file) =>
        scanSecrets(readFileSync(join(corpus, file), 'utf8'))
          .filter((f) => !(known[file] ?? []).some(([line, kind]) => line === f.line && kind === f.kind))
          .map((f) => `${file}:${f.line} ${f.kind} ${f.excerpt}`),
      );
      expect(unexpected).toEqual([]);
    });
  });
});

describe('validateProposal', () => {
  it('returns normalised slugs and the title for a good proposal', () => {
    expect(validateProposal({ domain: 'Security', topic: 'auth-patterns', content: GOOD })).toEqual({
      domain: 'security',
      topic: 'auth-patterns',
      content: GOOD,
      title: 'Auth patterns',
    });
  });

  it('lists every problem in one error, with the placeholder advice when secrets were found', () => {
    const content = `# Db\n\n## Context\n\nx\n\n## Pattern\n\npassword = "hunter2"\n\nDATABASE_URL=postgres://app:Sup3rS3cret@db/app\n`;
    const e = errorOf(() => validateProposal({ domain: '../etc', topic: 'Db Access', content }));
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

  it('refuses an empty body and an incomplete template without the secrets advice', () => {
    const empty = errorOf(() => validateProposal({ domain: 'security', topic: 'auth', content: '  \n' }));
    expect(empty.message).toContain('The content is empty.');
    const partial = errorOf(() => validateProposal({ domain: 'security', topic: 'auth', content: GOOD.replace(/## Examples[\s\S]*?## Anti/, '## Examples\n\n## Anti') }));
    expect(partial.message).toBe('The proposed standard security/auth was refused:\n- Empty sections: Examples.');
    expect(partial.hint).not.toContain('placeholders');
  });
});

describe('isPlaceholder', () => {
  it('tells references from literals', () => {
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

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return walk(p);
    return name.endsWith('.md') ? [p] : [];
  });
}
