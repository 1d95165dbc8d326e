import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Heading, Nodes, RootContent } from 'mdast';
import { AgentOsError } from './errors.js';
import { readFrontMatter, stripFrontMatter } from './front-matter.js';

/*
 * Validation of a proposed standard (issue 4; spec "Secrets Management"): safe slugs for the
 * domain and topic, the standard template, and no secrets in the content. Pure: no I/O.
 *
 * Decisions (calibrated against .agent-os/standards and /work/shared/corpus/standards):
 * - Slugs are trimmed and lower-cased (that is the normalisation); anything else that breaks a rule is
 *   refused with an example slug derived from the input. Reserved: Windows device names (`con`,
 *   `prn`, `aux`, `nul`, `com0`–`com9`, `lpt0`–`lpt9`), because `<topic>.md` or a `<domain>/` folder
 *   with such a name cannot be checked out on Windows. `index` is NOT reserved: it has no special
 *   meaning in the standards tree. Dot-names (`.cache`, `.git`) are refused by the leading-dot rule.
 * - Template: a title (the first heading, depth 1) and root-level headings (depth ≥ 2) named Context,
 *   Pattern(s), Example(s), Anti-patterns (also "Antipatterns", "Anti patterns"). Headings in code
 *   fences, lists or quotes do not count; front matter is skipped. A section whose only content is an
 *   HTML comment counts as empty; content in its sub-sections counts.
 * - Secrets: code blocks are scanned like prose (that is where secrets end up). Hex-only strings
 *   (git SHAs, sha256 digests, UUIDs) are never flagged by the entropy check: they are common in
 *   standards and rarely credentials; a hex secret is still caught when assigned to a secret-like name.
 *   `changeme`, `example`, `xxx`, `***`, `...`, `<your-key>`, `$VAR`, `${VAR}`, `{{ var }}`, ALL_CAPS
 *   names and env look-ups are placeholders. AWS keys containing `EXAMPLE` (AWS's documented samples)
 *   are placeholders. A PEM header alone (without key material after it) is not a finding.
 * - Excerpts mask each secret: its first 4 characters (at most a quarter of it, so a short password is
 *   not revealed) then `…`.
 */

// ─── Slugs ──────────────────────────────────────────────────────────────────

export type SlugKind = 'domain' | 'topic';

export const SLUG_MAX_LENGTH = 64;

/** Names a file or folder cannot have on Windows, with or without an extension. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'con', 'prn', 'aux', 'nul',
  ...Array.from({ length: 10 }, (_, i) => `com${i}`),
  ...Array.from({ length: 10 }, (_, i) => `lpt${i}`),
]);

/** A slug close to `value` that satisfies every rule ("Auth Patterns" → "auth-patterns"). */
export function suggestSlug(kind: SlugKind, value: string): string {
  let slug = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/-+$/g, '');
  if (!slug) slug = kind === 'domain' ? 'security' : 'auth-patterns';
  if (RESERVED_SLUGS.has(slug)) slug = `${slug}-${kind}`;
  return slug;
}

function slugProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (/^(?:[/\\~]|[a-z]:[/\\])/i.test(value)) return 'must not be an absolute path';
  if (value.includes('..')) return 'must not contain ".."';
  if (/[/\\]/.test(value)) return 'must not contain "/" or "\\" (one path segment only)';
  if (value.startsWith('.')) return 'must not start with a dot';
  if (value.length > SLUG_MAX_LENGTH) return `must be at most ${SLUG_MAX_LENGTH} characters (got ${value.length})`;
  if (!/^[a-z0-9-]+$/.test(value)) return 'may contain only lowercase letters, digits and hyphens';
  if (value.startsWith('-') || value.endsWith('-')) return 'must not start or end with a hyphen';
  if (RESERVED_SLUGS.has(value)) return `"${value}" is a reserved name`;
  return null;
}

function slugError(kind: SlugKind, raw: string, problem: string): AgentOsError {
  return new AgentOsError('BAD_INPUT', `Invalid ${kind} ${JSON.stringify(raw)}: ${kind} ${problem}.`, {
    hint: `Use a slug like "${suggestSlug(kind, raw)}".`,
  });
}

/** The normalised (trimmed, lower-cased) slug, or AgentOsError('BAD_INPUT') naming the field and rule. */
export function validateSlug(kind: SlugKind, value: string): string {
  const slug = String(value).normalize('NFC').trim().toLowerCase();
  const problem = slugProblem(slug);
  if (problem) throw slugError(kind, String(value), problem);
  return slug;
}

// ─── Template ───────────────────────────────────────────────────────────────

export const REQUIRED_SECTIONS = ['Context', 'Pattern', 'Examples', 'Anti-patterns'] as const;

const SECTION_PATTERNS: Record<(typeof REQUIRED_SECTIONS)[number], RegExp> = {
  Context: /^context$/,
  Pattern: /^patterns?$/,
  Examples: /^examples?$/,
  'Anti-patterns': /^anti[- ]?patterns?$/,
};

export interface TemplateCheck {
  ok: boolean;
  /** Required parts absent: "Title" and/or section names. */
  missing: string[];
  /** Sections present with nothing under them. */
  empty: string[];
  /** The first depth-1 heading's text, when it is the first heading. */
  title: string | null;
}

function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

function normaliseHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/^\s*(?:\d+[.)]\s*)?/, '')
    .replace(/[\s:.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}


function isContent(node: RootContent): boolean {
  if (node.type === 'html') return !/^\s*(?:<!--[\s\S]*?-->\s*)*$/.test(node.value);
  if (node.type === 'definition') return false;
  return true;
}

/** Check the standard template: a `# Title` and non-empty Context, Pattern, Examples, Anti-patterns. */
export function checkTemplate(markdown: string): TemplateCheck {
  const body = stripFrontMatter(markdown);
  const nodes = fromMarkdown(body).children;
  const firstHeading = nodes.find((n): n is Heading => n.type === 'heading');
  const title = firstHeading && firstHeading.depth === 1 ? plainText(firstHeading).trim() || null : null;
  const found = new Map<string, boolean>();
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.type !== 'heading' || node.depth < 2) continue;
    const name = normaliseHeading(plainText(node));
    const section = REQUIRED_SECTIONS.find((s) => SECTION_PATTERNS[s].test(name));
    if (!section) continue;
    let hasContent = false;
    for (let j = i + 1; j < nodes.length; j++) {
      const next = nodes[j]!;
      if (next.type === 'heading') {
        if (next.depth <= node.depth) break;
        continue;
      }
      if (isContent(next)) {
        hasContent = true;
        break;
      }
    }
    found.set(section, (found.get(section) ?? false) || hasContent);
  }
  const missing: string[] = [];
  if (!title) missing.push('Title');
  for (const s of REQUIRED_SECTIONS) if (!found.has(s)) missing.push(s);
  const empty = REQUIRED_SECTIONS.filter((s) => found.get(s) === false);
  return { ok: missing.length === 0 && empty.length === 0, missing, empty, title };
}

// ─── Secrets ────────────────────────────────────────────────────────────────

export interface SecretFinding {
  /** 1-based line in the text given. */
  line: number;
  kind: string;
  /** The line, trimmed and shortened, with each secret masked. */
  excerpt: string;
}

interface Span {
  start: number;
  end: number;
  kind: string;
}

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change-me', 'change_me', 'placeholder', 'example', 'redacted', 'secret', 'password', 'passwd',
  'pass', 'pwd', 'token', 'apikey', 'api_key', 'api-key', 'key', 'none', 'null', 'nil', 'undefined', 'todo',
  'tbd', 'dummy', 'sample', 'foo', 'bar', 'baz', 'user', 'username', 'string', 'number', 'boolean', 'str',
  'bytes', 'any', 'unknown', 'true', 'false', 'required', 'optional', 'text', 'varchar', 'env', 'secretstr',
]);

/** True when a value only names or points at a secret instead of holding one. */
export function isPlaceholder(raw: string): boolean {
  const v = raw.trim().replace(/^["'`]|["'`]$/g, '').trim();
  if (v.length === 0) return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-=?+])[^}]*)?\}?$/.test(v)) return true; // $VAR, ${VAR}, ${VAR:-x}
  if (/^\$\{\{.*\}\}$|^\{\{.*\}\}$|^\{[A-Za-z_][\w.]*\}$/.test(v)) return true; // ${{ secrets.X }}, {{ x }}, {x}
  if (/^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v)) return true; // %VAR%
  if (/^<[^<>]+>$|^\[[^\]]+\]$/.test(v)) return true; // <your-key>, [token]
  if (/^[A-Z][A-Z0-9_-]*$/.test(v)) return true; // an env-var name, RANDOM-TOKEN-VALUE
  if (/^@\w/.test(v)) return true; // a template expression (@Html.AntiForgeryToken)
  // Words describing the secret: your_password, hashed-password, api-key-here, hardcoded-secret.
  // Two or more words, one of them a secret word; a single word ("supersecret") may be a real password.
  if (/^[a-z]+(?:[-_ ][a-z]+)+$/.test(v) && /(?:^|[-_ ])(?:password|passwd|secret|token|key|credentials?)(?:$|[-_ ])/.test(v)) return true;
  if (/^(.)\1+$/.test(v) || /^[x*•.…_-]+$/i.test(v)) return true; // xxx, ***, ...
  if (/\.\.\.|…|\*\*\*|xxxx/i.test(v)) return true;
  if (/^(?:your|my|the|some|insert|put|enter)[-_ ]/i.test(v)) return true;
  if (/changeme|placeholder|redacted|example|dummy|not-a-real|fake[-_]?(?:key|token|secret|password)/i.test(v)) return true;
  if (/process\.env|import\.meta\.env|os\.environ|getenv|\benv\(|ENV\[|System\.getenv|secrets\.|vault:|ssm:|arn:aws:secretsmanager/i.test(v)) return true;
  return false;
}

function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Entropy a random base64 string of this length reaches comfortably; calibrated on the corpus. */
function entropyThreshold(length: number): number {
  return 0.85 * Math.log2(Math.min(length, 64));
}

/** Identifiers split into word-sized pieces (TestRegression682831); random strings into 1–2 characters. */
function looksLikeIdentifier(token: string): boolean {
  const pieces = token.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
  if (pieces.length === 0) return false;
  const letters = pieces.filter((p) => !/^\d+$/.test(p));
  return letters.every((p) => p.length >= 3) && letters.reduce((n, p) => n + p.length, 0) / letters.length >= 4;
}

/** Base64 that decodes to readable text is encoded prose or JSON (a JWT segment, an encoded payload), not a key. */
function decodesToText(token: string): boolean {
  const b64 = token.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]+$/.test(b64)) return false;
  // A piece of a longer base64 text (wrapped across spaces) may start mid-quantum: try each alignment.
  for (let skip = 0; skip < 4; skip++) {
    const part = b64.slice(skip, b64.length - ((b64.length - skip) % 4));
    if (part.length < 16) continue;
    let decoded: string;
    try {
      decoded = atob(part);
    } catch {
      continue;
    }
    let printable = 0;
    for (let i = 0; i < decoded.length; i++) {
      const c = decoded.charCodeAt(i);
      if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
    }
    if (printable / decoded.length >= 0.95) return true;
  }
  return false;
}

/** True for a token that looks like random key material; calibrated on the standards corpus. */
export function looksHighEntropy(token: string): boolean {
  if (token.length < 20) return false;
  if (/^[0-9a-f-]+$/i.test(token)) return false; // hex: hashes, SHAs, UUIDs (see decisions above)
  if (!/[0-9]/.test(token) || !/[a-z]/.test(token) || !/[A-Z]/.test(token)) return false;
  if (looksLikeIdentifier(token) || decodesToText(token)) return false;
  return shannonEntropy(token) >= entropyThreshold(token.length);
}

type LineDetector = (line: string, lines: string[], index: number) => Span[];

function regexDetector(kind: string, re: RegExp, group = 0, accept: (m: RegExpExecArray) => boolean = () => true): LineDetector {
  return (line) => {
    const spans: Span[] = [];
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    for (let m = g.exec(line); m; m = g.exec(line)) {
      const text = m[group];
      if (text && accept(m)) {
        const start = m.index + m[0].indexOf(text);
        spans.push({ start, end: start + text.length, kind });
      }
      if (m[0].length === 0) g.lastIndex++;
    }
    return spans;
  };
}

const SECRET_NAME =
  '[A-Za-z0-9_.-]*?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?)';
const ASSIGN_RE = new RegExp(
  `(?<![A-Za-z0-9_])(${SECRET_NAME})(["']?)(\\s*)(:=|=>|=|:)(?![=>:])(\\s*)(?:"([^"\\n]*)"|'([^'\\n]*)'|\`([^\`\\n]*)\`|([^\\s,;'"\`)}\\]]+))`,
  'gi',
);

const privateKey: LineDetector = (line, lines, index) => {
  const m = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----/.exec(line);
  if (!m) return [];
  const after = line.slice(m.index + m[0].length);
  const sameLine = /^(?:\\n|\s)*([A-Za-z0-9+/=]|\\n){32,}/.exec(after);
  const following = lines.slice(index + 1, index + 4).some((l) => /^[\s"']*[A-Za-z0-9+/=]{32,}/.test(l) || /^[A-Za-z-]+: /.test(l));
  if (!sameLine && !following) return [];
  const kind = /"private_key"\s*:/.test(line) ? 'gcp-service-account-key' : 'private-key';
  return [{ start: m.index, end: m.index + m[0].length + (sameLine ? sameLine[0].length : 0), kind }];
};

const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'apikey', 'authtoken',
  'accesstoken', 'secretkey', 'privatekey', 'accesskey',
]);

/** The name ends in a secret word as a whole word (db_password, apiKey, AUTH_TOKEN; not skiptoken, csrf_token). */
function isSecretName(name: string): boolean {
  if (/csrf|xsrf|verification|antiforgery/i.test(name)) return false; // anti-forgery tokens are per-session, not credentials
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const last = words[words.length - 1] ?? '';
  const lastTwo = words.slice(-2).join('');
  return SECRET_WORDS.has(last) || SECRET_WORDS.has(lastTwo);
}

const assignment: LineDetector = (line) => {
  const spans: Span[] = [];
  ASSIGN_RE.lastIndex = 0;
  for (let m = ASSIGN_RE.exec(line); m; m = ASSIGN_RE.exec(line)) {
    const [whole, name = '', keyQuote = '', spaceBefore = '', op = '', spaceAfter = ''] = m;
    const quoted = m[6] ?? m[7] ?? m[8];
    const value = quoted ?? m[9] ?? '';
    if (!isSecretName(name)) continue;
    const valueStart = m.index + whole.length - value.length - (quoted !== undefined ? 1 : 0);
    if (quoted === undefined) {
      // A bare value is a literal only in config style: KEY=value, or `key: value` filling the line.
      const rest = line.slice(m.index + whole.length);
      const tight = op === '=' && !spaceBefore && !spaceAfter;
      if (keyQuote || (!tight && !/^\s*(?:#.*)?$/.test(rest))) continue;
      if (/[.([{]/.test(value) || value.toLowerCase() === name.toLowerCase()) continue; // code reference
      if (/^\d+$/.test(value)) continue; // lengths, TTLs
    }
    if (value.length < 4 || /^\s*[+.]/.test(value) || isPlaceholder(value)) continue;
    const kind = /aws_?secret/i.test(name) ? 'aws-secret-access-key' : 'password-assignment';
    spans.push({ start: valueStart, end: valueStart + value.length, kind });
  }
  return spans;
};

const connectionString: LineDetector = (line) => {
  const spans: Span[] = [];
  const re = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:@/]*):([^\s@/]+)@[^\s@/]+/gi;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const password = m[3] ?? '';
    if (isPlaceholder(password) || (m[2] && password.toLowerCase() === m[2].toLowerCase() && password.length < 4)) continue;
    const start = m.index + m[0].indexOf(`:${password}@`, (m[1]?.length ?? 0) + 3) + 1;
    spans.push({ start, end: start + password.length, kind: 'connection-string' });
  }
  return spans;
};

const highEntropy: LineDetector = (line) => {
  const spans: Span[] = [];
  const wordRe = /\S+/g;
  for (let w = wordRe.exec(line); w; w = wordRe.exec(line)) {
    const word = w[0];
    if (/:\/\/|^(?:\[.*\]\(|\(?https?:|www\.)|\]\(/i.test(word)) continue; // URLs and Markdown links
    if (/(?:sha(?:1|256|384|512)|md5)[-:]|base64,/i.test(word)) continue; // integrity strings, digests, data: URIs
    const tokRe = /[A-Za-z0-9+/=_-]{20,}/g;
    for (let t = tokRe.exec(word); t; t = tokRe.exec(word)) {
      const token = t[0];
      const segments = token.split('/');
      if (segments.length > 2 && segments.every((s) => s.length < 20)) continue; // a path
      if (!looksHighEntropy(token)) continue;
      const start = w.index + t.index;
      // The value of a named, non-secret key ("id": …, "etag": …, x: …) is data; secret names are the assignment detector's.
      if (/[A-Za-z_@$][\w@.$-]*["']?\s*(?::|=>|=)\s*(?:b|W\/|\\|["'`])*$/.test(line.slice(0, start))) continue;
      spans.push({ start, end: start + token.length, kind: 'high-entropy-string' });
    }
  }
  return spans;
};

const notAwsExample = (m: RegExpExecArray): boolean => !/EXAMPLE/.test(m[0]);

/** Most specific first: a later detector does not report a span an earlier one covers. */
const DETECTORS: LineDetector[] = [
  privateKey,
  regexDetector('aws-access-key-id', /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/, 0, notAwsExample),
  regexDetector('aws-secret-access-key', /aws_?secret_?(?:access_?)?key["']?\s*(?:[:=]|=>)\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i, 1, notAwsExample),
  regexDetector('github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/),
  regexDetector('slack-token', /\bxox[abprs]-\d{4,}-[A-Za-z0-9-]{6,}/),
  regexDetector('stripe-key', /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/),
  regexDetector('jwt', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/),
  connectionString,
  regexDetector('bearer-token', /\bBearer\s+([A-Za-z0-9\-._~+/]{20,}=*)/, 1, (m) => !isPlaceholder(m[1] ?? '') && /\d/.test(m[1] ?? '')),
  assignment,
  highEntropy,
];

function mask(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…`;
}

function excerptOf(line: string, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += line.slice(at, s.start) + mask(line.slice(s.start, s.end));
    at = s.end;
  }
  out = (out + line.slice(at)).trim();
  return out.length > 120 ? `${out.slice(0, 119)}…` : out;
}

/** Credential-like content, one finding per secret, with 1-based line numbers and masked excerpts. */
export function scanSecrets(text: string): SecretFinding[] {
  const lines = text.split(/\r?\n/);
  const findings: SecretFinding[] = [];
  lines.forEach((line, index) => {
    const spans: Span[] = [];
    for (const detect of DETECTORS) {
      for (const span of detect(line, lines, index)) {
        if (spans.some((s) => span.start < s.end && s.start < span.end)) continue;
        spans.push(span);
      }
    }
    if (spans.length === 0) return;
    const excerpt = excerptOf(line, spans);
    for (const s of spans.sort((a, b) => a.start - b.start)) findings.push({ line: index + 1, kind: s.kind, excerpt });
  });
  return findings;
}

// ─── Whole proposal ─────────────────────────────────────────────────────────

export const SECRETS_HINT =
  'Use placeholders like `$DATABASE_URL` or `${API_KEY}` and reference secure storage (e.g. "stored in AWS Secrets Manager")';

export const TEMPLATE_HINT =
  'A standard starts with a `# Title`, then `## Context`, `## Pattern`, `## Examples` and `## Anti-patterns`, each with content.';

export interface ProposalInput {
  domain: string;
  topic: string;
  content: string;
}

export interface ValidProposal {
  domain: string;
  topic: string;
  content: string;
  title: string;
}

/** All checks at once: normalised slugs and content, or one BAD_INPUT error listing every problem. */
export function validateProposal(input: ProposalInput): ValidProposal {
  const problems: string[] = [];
  const hints: string[] = [];
  const slugs: Partial<Record<SlugKind, string>> = {};
  for (const kind of ['domain', 'topic'] as const) {
    try {
      slugs[kind] = validateSlug(kind, input[kind]);
    } catch (e) {
      if (!(e instanceof AgentOsError)) throw e;
      problems.push(e.message);
      if (e.hint) hints.push(`For the ${kind}: ${e.hint}`);
    }
  }
  const content = typeof input.content === 'string' ? input.content : '';
  if (!content.trim()) {
    problems.push('The content is empty.');
    hints.push(TEMPLATE_HINT);
  } else {
    const fm = readFrontMatter(content);
    if (fm.problem) {
      problems.push(`The content's ${fm.problem}.`);
      hints.push('Front matter is optional; when given it is a YAML block between "---" lines (tags, applies_to). agent-os writes domain, topic, created_by and the proposal id itself.');
    }
    const template = checkTemplate(content);
    if (template.missing.length) problems.push(`Missing from the standard template: ${template.missing.join(', ')}.`);
    if (template.empty.length) problems.push(`Empty sections: ${template.empty.join(', ')}.`);
    if (!template.ok) hints.push(TEMPLATE_HINT);
    const secrets = scanSecrets(content);
    for (const s of secrets) problems.push(`Possible secret (${s.kind}) on line ${s.line}: ${s.excerpt}`);
    if (secrets.length) hints.push(SECRETS_HINT);
    if (problems.length === 0) return { domain: slugs.domain!, topic: slugs.topic!, content, title: template.title ?? '' };
  }
  const where = `${slugs.domain ?? input.domain}/${slugs.topic ?? input.topic}`;
  throw new AgentOsError('BAD_INPUT', `The proposed standard ${where} was refused:\n- ${problems.join('\n- ')}`, {
    hint: hints.join('\n'),
  });
}
