/*
 * Secret detection, the pure part: our own rules, the placeholder and documented-example allowances,
 * and turning matched ranges into findings with 1-based lines and masked excerpts. The vendor
 * formats (AWS, GitHub, Slack, OpenAI, npm, private keys, database URLs, …) come from secretlint's
 * recommended rules, run by the SecretScanner in src/infra; this module covers what they do not.
 *
 * Decisions (calibrated against .agent-os/standards and /work/shared/corpus/standards):
 * - Code blocks are scanned like prose (that is where secrets end up).
 * - Placeholders are allowed: `changeme`, `example`, `xxxx`, `***`, `...`, `<your-key>`, `$VAR`,
 *   `${VAR}`, `{{ var }}`, ALL_CAPS names and env look-ups. AWS's documented samples contain
 *   `EXAMPLE` and are allowed like any value that says it is an example.
 * - A value assigned to a secret-looking name (`OPENAI_KEY=…`, `signing_key: …`, `"apiKey": "…"`,
 *   `?access_token=…`) is a finding when it is long and random-looking, whatever the name's case or
 *   separators; names that describe a secret without holding one (`key_id`, `token_url`,
 *   `public_key`, `cache_key`) are not labels.
 * - URLs are scanned: credentials in them (`scheme://user:password@host`), secrets in their query
 *   and vendor tokens in them are findings; a URL alone is not.
 * - Hex-only strings (git SHAs, digests, UUIDs) are never flagged by the unlabelled entropy check:
 *   they are common in standards and rarely credentials; a labelled hex value is.
 * - A PEM header alone (without key material after it) is not a finding; base64 that decodes to a
 *   PEM private key is.
 * - Excerpts mask each secret: its first 4 characters (at most a quarter of it, so a short password is
 *   not revealed) then `…`.
 */

export interface SecretFinding {
  /** 1-based line in the text given. */
  line: number;
  kind: string;
  /** The line, trimmed and shortened, with each secret masked. */
  excerpt: string;
}

/** A secret's place in a text: [start, end) offsets. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: string;
}

/**
 * Which of two overlapping spans is reported: the lower rank. Vendor formats say the most; generic
 * rules only fill in where no format matched.
 */
const RANK: Record<string, number> = {
  'basic-auth': 1,
  'connection-string': 1,
  'labelled-secret': 2,
  'bearer-token': 3,
  'password-assignment': 4,
  'high-entropy-string': 5,
};
const rankOf = (kind: string): number => RANK[kind] ?? 0;

// ─── Placeholders and entropy ───────────────────────────────────────────────

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
  if (/^\$\{\{.*\}\}$|^\{\{.*\}\}$|^[$#]?\{[A-Za-z_][\w.]*\}$/.test(v)) return true; // ${{ secrets.X }}, {{ x }}, {x}, ${config.key}, #{x}
  if (/^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v)) return true; // %VAR%
  if (/^<[^<>]+>$|^\[[^\]]+\]$/.test(v)) return true; // <your-key>, [token]
  if (/^[A-Z][A-Z0-9_-]*$/.test(v)) return true; // an env-var name, RANDOM-TOKEN-VALUE
  if (/^@\w/.test(v)) return true; // a template expression (@Html.AntiForgeryToken)
  // Words describing the secret: your_password, hashed-password, api-key-here, hardcoded-secret.
  // Two or more words, one of them a secret word; a single word ("supersecret") may be a real password.
  if (/^[a-z]+(?:[-_ ][a-z]+)+$/.test(v) && /(?:^|[-_ ])(?:password|passwd|secret|token|key|credentials?)(?:$|[-_ ])/.test(v)) return true;
  if (/^(.)\1+$/.test(v) || /^[x*•.…_-]+$/i.test(v)) return true; // xxx, ***, ...
  if (isMaskedOrExample(v)) return true;
  if (/^(?:your|my|the|some|insert|put|enter)[-_ ]/i.test(v)) return true;
  if (/process\.env|import\.meta\.env|os\.environ|getenv|\benv\(|ENV\[|System\.getenv|secrets\.|vault:|ssm:|arn:aws:secretsmanager/i.test(v)) return true;
  return false;
}

/**
 * True for a value that says it is not real: masked (`xxxx`, `***`, `...`), a documented example
 * (AWS's `…EXAMPLE` keys), or marked as a placeholder. Unlike `isPlaceholder`, it does not treat
 * ALL-CAPS values as names, so it is safe on vendor tokens (`AKIA…`).
 */
export function isMaskedOrExample(value: string): boolean {
  return /\.\.\.|…|\*\*\*|xxxx|changeme|placeholder|redacted|example|dummy|not-a-real|fake[-_]?(?:key|token|secret|password)/i.test(value);
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

/** `atob` that tolerates base64url, missing padding and a partial last quantum; null when it is not base64. */
function decodeBase64(token: string, skip = 0): string | null {
  const b64 = token.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(b64)) return null;
  const part = b64.slice(skip, b64.length - ((b64.length - skip) % 4));
  try {
    return atob(part);
  } catch {
    return null;
  }
}

/** Base64 that decodes to readable text is encoded prose or JSON (a JWT segment, an encoded payload), not a key. */
function decodesToText(token: string): boolean {
  // A piece of a longer base64 text (wrapped across spaces) may start mid-quantum: try each alignment.
  for (let skip = 0; skip < 4; skip++) {
    const decoded = decodeBase64(token, skip);
    if (decoded === null || decoded.length < 12) continue;
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

/**
 * True for a value that, under a secret-looking name, is a secret: long, random-looking and not a
 * placeholder. Looser than `looksHighEntropy` because the name already says what it is: hex keys
 * count, two character classes suffice, and base64 of text is still a key.
 */
export function looksLikeSecretValue(value: string): boolean {
  if (value.length < 16 || value.length > 300) return false;
  if (/\s/.test(value) || value.includes('://') || isPlaceholder(value)) return false;
  if (/^[0-9a-f]{32,}$/i.test(value) || /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value)) {
    return /[0-9]/.test(value) && /[a-f]/i.test(value);
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
  if (classes < 2 || looksLikeIdentifier(value)) return false;
  return shannonEntropy(value) >= entropyThreshold(value.length);
}

/** The words of an identifier in any style: `webhookSigningSecret`, `OPENAI_KEY`, `X-Api-Key`. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const LABEL_WORDS = new Set([
  'key', 'keys', 'token', 'tokens', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'pass', 'pwd', 'passphrase',
  'credential', 'credentials', 'creds', 'signing', 'private', 'auth', 'authorization', 'apikey', 'authtoken',
  'accesstoken', 'refreshtoken', 'secretkey', 'privatekey', 'accesskey', 'signingkey', 'clientsecret',
]);
/** Words that make a `…key`/`…token` name mean something other than a credential. */
const NOT_A_SECRET = new Set([
  'public', 'pub', 'cache', 'idempotency', 'partition', 'primary', 'foreign', 'sort', 'range', 'hash', 'routing',
  'dedup', 'dedupe', 'deduplication', 'lookup', 'composite', 'unique', 'index', 'row', 'map', 'shard', 'object',
  'bucket', 'group', 'message', 'event', 'translation', 'i18n', 'csrf', 'xsrf', 'verification', 'antiforgery',
  'next', 'page', 'pagination', 'continuation', 'cursor', 'sync', 'license', 'keyboard', 'hotkey', 'author',
  'checksum', 'sha', 'commit', 'digest', 'etag', 'integrity',
]);
/** Last words that name something about a secret (its id, where it is, how long it lives). */
const ABOUT_A_SECRET = new Set([
  'id', 'ids', 'name', 'names', 'type', 'types', 'url', 'uri', 'urls', 'endpoint', 'path', 'file', 'filename', 'dir',
  'length', 'len', 'size', 'count', 'hash', 'hashed', 'digest', 'fingerprint', 'checksum', 'version', 'prefix', 'suffix',
  'header', 'format', 'algorithm', 'alg', 'kid', 'expiry', 'expires', 'expiration', 'ttl', 'timeout', 'lifetime',
  'field', 'env', 'var', 'ref', 'arn', 'label', 'location', 'store', 'provider', 'policy', 'rotation', 'scope',
  'scopes', 'mode', 'source', 'issuer', 'audience', 'hint', 'pattern', 'regex', 'column', 'table', 'required',
  'enabled', 'min', 'max', 'usage', 'flow', 'method', 'methods', 'service', 'server', 'client',
]);

/** True when a name labels a secret value: `OPENAI_KEY`, `signing_key`, `apiKey`, `X-Api-Key`, `_authToken`. */
export function isSecretLabel(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || words.some((w) => NOT_A_SECRET.has(w))) return false;
  if (ABOUT_A_SECRET.has(words[words.length - 1]!)) return false;
  return words.some((w) => LABEL_WORDS.has(w));
}

// ─── Our rules ──────────────────────────────────────────────────────────────

type LineRule = (line: string, lines: string[], index: number) => SecretSpan[];

function regexRule(kind: string, re: RegExp, group = 0, accept: (m: RegExpExecArray) => boolean = () => true): LineRule {
  return (line) => {
    const spans: SecretSpan[] = [];
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

const notExample = (m: RegExpExecArray): boolean => !isMaskedOrExample(m[0]);

const PEM_HEADER = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----/;
const PEM_LINE = /^[\s"'>]*(?:[A-Za-z0-9+/=]+|[A-Za-z-]+: .*)[\s"',]*$/;

/** A PEM private key with key material after its header; the span runs to its END line so the material is one finding. */
const privateKey: LineRule = (line, lines, index) => {
  const m = PEM_HEADER.exec(line);
  if (!m) return [];
  const after = line.slice(m.index + m[0].length);
  const sameLine = /^(?:\\n|\s)*([A-Za-z0-9+/=]|\\n){32,}/.exec(after);
  const following = lines.slice(index + 1, index + 4).some((l) => /^[\s"']*[A-Za-z0-9+/=]{32,}/.test(l) || /^[A-Za-z-]+: /.test(l));
  if (!sameLine && !following) return [];
  let end = m.index + m[0].length + (sameLine ? sameLine[0].length : 0);
  if (!sameLine) {
    // Offsets past this line count '\n' separators; findOwnSecrets maps them onto the text.
    let offset = line.length + 1;
    for (let i = index + 1; i < lines.length && i < index + 200; i++) {
      const l = lines[i]!;
      if (/-----END [A-Z0-9 ]*PRIVATE KEY/.test(l)) {
        end = offset + l.length;
        break;
      }
      if (l.trim() && !PEM_LINE.test(l)) break;
      if (l.trim()) end = offset + l.length;
      offset += l.length + 1;
    }
  }
  return [{ start: m.index, end, kind: 'private-key' }];
};

const PEM_IN_TEXT = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----(?:\\r|\\n|\s)*[A-Za-z0-9+/=]{40,}/;

/** Base64 (one line, or wrapped as `base64` prints it) that decodes to a PEM private key with its material. */
const base64PrivateKey: LineRule = (line, lines, index) => {
  const spans: SecretSpan[] = [];
  const re = /[A-Za-z0-9+/_-]{64,}={0,2}/g;
  // A line that continues the previous line's blob was decoded with it.
  if (index > 0 && /^[A-Za-z0-9+/_-]{64}$/.test(lines[index - 1]!.trimEnd().slice(-64)) && /^[A-Za-z0-9+/_-]+={0,2}$/.test(line.trim())) return spans;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    let blob = m[0];
    let end = m.index + blob.length;
    if (end === line.trimEnd().length) {
      // Wrapped: following lines made only of base64 continue the blob.
      let offset = line.length + 1;
      for (let i = index + 1; i < lines.length && blob.length < 65_536; i++) {
        const next = lines[i]!.trim();
        if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(next)) break;
        blob += next;
        end = offset + lines[i]!.length;
        offset += lines[i]!.length + 1;
      }
    }
    const decoded = decodeBase64(blob.slice(0, 65_536));
    if (decoded !== null && PEM_IN_TEXT.test(decoded)) spans.push({ start: m.index, end, kind: 'base64-private-key' });
  }
  return spans;
};

/** `scheme://user:password@host`: `basic-auth` for web URLs, `connection-string` for the rest. */
const urlCredentials: LineRule = (line) => {
  const spans: SecretSpan[] = [];
  // Bounded scheme: an unbounded one rescans a long hyphenated word from every word boundary.
  const re = /\b([a-z][a-z0-9+.-]{0,31}):\/\/([^\s:@/]{0,256}):([^\s@/]{1,256})@[^\s@/]+/gi;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const [whole, scheme = '', user = '', password = ''] = m;
    if (isPlaceholder(password) || (user && password.toLowerCase() === user.toLowerCase() && password.length < 4)) continue;
    const start = m.index + whole.indexOf(`:${password}@`, scheme.length + 3) + 1;
    spans.push({ start, end: start + password.length, kind: webScheme(scheme) ? 'basic-auth' : 'connection-string' });
  }
  return spans;
};

const webScheme = (scheme: string): boolean => /^(?:https?|ftps?|wss?|git\+https?|svn\+https?)$/i.test(scheme);

/** `Authorization: Basic <base64 of user:password>` (HTTP headers, curl, JSON). */
const basicAuthHeader: LineRule = (line) => {
  const spans: SecretSpan[] = [];
  const re = /\bauthorization["']?\s*[:=]\s*["']?Basic\s+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/gi;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const value = m[1] ?? '';
    const decoded = decodeBase64(value);
    if (decoded === null || !/^[\x20-\x7e]+$/.test(decoded)) continue;
    const colon = decoded.indexOf(':');
    if (colon < 0 || isPlaceholder(decoded.slice(colon + 1)) || isMaskedOrExample(decoded)) continue;
    const start = m.index + m[0].length - value.length;
    spans.push({ start, end: start + value.length, kind: 'basic-auth' });
  }
  return spans;
};

const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'credential', 'credentials', 'apikey', 'authtoken',
  'accesstoken', 'secretkey', 'privatekey', 'accesskey',
]);

/** The name ends in a secret word as a whole word (db_password, apiKey, AUTH_TOKEN; not skiptoken, csrf_token). */
function isSecretName(name: string): boolean {
  if (/csrf|xsrf|verification|antiforgery/i.test(name)) return false; // anti-forgery tokens are per-session, not credentials
  const words = nameWords(name);
  const last = words[words.length - 1] ?? '';
  const lastTwo = words.slice(-2).join('');
  return SECRET_WORDS.has(last) || SECRET_WORDS.has(lastTwo);
}

const SECRET_NAME =
  '[A-Za-z0-9_.-]{0,100}?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?)';
const ASSIGN_RE = new RegExp(
  `(?<![A-Za-z0-9_])(${SECRET_NAME})(["']?)(\\s*)(:=|=>|=|:)(?![=>:])(\\s*)(?:"([^"\\n]*)"|'([^'\\n]*)'|\`([^\`\\n]*)\`|([^\\s,;'"\`)}\\]]+))`,
  'gi',
);

/** Any literal assigned to a password-like name, however short (`password = "hunter2"`). */
const passwordAssignment: LineRule = (line) => {
  const spans: SecretSpan[] = [];
  ASSIGN_RE.lastIndex = 0;
  for (let m = ASSIGN_RE.exec(line); m; m = ASSIGN_RE.exec(line)) {
    const [whole, name = '', keyQuote = '', spaceBefore = '', op = '', spaceAfter = ''] = m;
    const quoted = m[6] ?? m[7] ?? m[8];
    const value = quoted ?? m[9] ?? '';
    if (!isSecretName(name)) continue;
    const valueStart = m.index + whole.length - value.length - (quoted !== undefined ? 1 : 0);
    if (quoted === undefined) {
      // A bare value is a literal only in config style: KEY=value, or `key: value` filling the line.
      let rest = m.index + whole.length;
      while (rest < line.length && /\s/.test(line[rest]!)) rest++;
      const fillsLine = rest === line.length || line[rest] === '#';
      const tight = op === '=' && !spaceBefore && !spaceAfter;
      if (keyQuote || (!tight && !fillsLine)) continue;
      if (/[.([{]/.test(value) || value.toLowerCase() === name.toLowerCase()) continue; // code reference
      if (/^\d+$/.test(value)) continue; // lengths, TTLs
    }
    if (value.length < 4 || /^\s*[+.]/.test(value) || isPlaceholder(value)) continue;
    spans.push({ start: valueStart, end: valueStart + value.length, kind: 'password-assignment' });
  }
  return spans;
};

/*
 * name, optional closing quote, operator, value. Bounded repetitions keep a hostile line linear; the
 * scan restarts after each name so that `url: https://host/?access_token=…` finds the inner pair.
 */
const LABEL_RE =
  /(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_.-]{0,99})(["']?)\s{0,20}(:=|=>|=|:)(?![=>:])\s{0,20}(?:"([^"\n]{0,300})"|'([^'\n]{0,300})'|`([^`\n]{0,300})`|([^\s,;'"`)}\]&<>]{1,300}))/g;

/** A long random value under a secret-looking name, in any style: env, YAML, JSON, headers, query strings. */
const labelledSecret: LineRule = (line) => {
  const spans: SecretSpan[] = [];
  LABEL_RE.lastIndex = 0;
  for (let m = LABEL_RE.exec(line); m; m = LABEL_RE.exec(line)) {
    const [whole, name = ''] = m;
    LABEL_RE.lastIndex = m.index + Math.max(1, name.length);
    const quoted = m[4] ?? m[5] ?? m[6];
    const value = quoted ?? m[7] ?? '';
    if (!isSecretLabel(name)) continue;
    if (quoted === undefined && /[([{]/.test(value)) continue; // a call or an index: code, not a literal
    if (!looksLikeSecretValue(value)) continue;
    const start = m.index + whole.length - value.length - (quoted !== undefined ? 1 : 0);
    spans.push({ start, end: start + value.length, kind: 'labelled-secret' });
  }
  return spans;
};

/** Random-looking tokens with no label; URLs, paths, digests and data URIs are not tokens. */
const highEntropy: LineRule = (line) => {
  const spans: SecretSpan[] = [];
  const wordRe = /\S+/g;
  for (let w = wordRe.exec(line); w; w = wordRe.exec(line)) {
    const word = w[0];
    // URLs are left to the URL-aware rules (credentials, labelled query values, vendor tokens).
    if (/:\/\/|^(?:\[.*\]\(|\(?https?:|www\.)|\]\(/i.test(word)) continue;
    if (/(?:sha(?:1|256|384|512)|md5)[-:]|base64,/i.test(word)) continue; // integrity strings, digests, data: URIs
    const tokRe = /[A-Za-z0-9+/=_-]{20,}/g;
    for (let t = tokRe.exec(word); t; t = tokRe.exec(word)) {
      const token = t[0];
      const segments = token.split('/');
      if (segments.length > 2 && segments.every((s) => s.length < 20)) continue; // a path
      if (!looksHighEntropy(token) || isMaskedOrExample(token)) continue;
      const start = w.index + t.index;
      // A bounded look back: the label or key type sits right before the token, and a long line stays linear.
      const before = line.slice(Math.max(0, start - 200), start);
      // The value of a named, non-secret key ("id": …, "etag": …, x: …) is data; secret names are the labelled rule's.
      if (/[A-Za-z_@$][\w@.$-]*["']?\s*(?::|=>|=)\s*(?:b|W\/|\\|["'`])*$/.test(before)) continue;
      if (/\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)\s+$/.test(before)) continue; // a public key
      spans.push({ start, end: start + token.length, kind: 'high-entropy-string' });
    }
  }
  return spans;
};

/** Our rules, most specific first (overlaps are settled by rank, then by this order). */
const RULES: LineRule[] = [
  privateKey,
  base64PrivateKey,
  regexRule('google-api-key', /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/, 0, notExample),
  regexRule('stripe-key', /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}\b/, 0, notExample),
  regexRule('jwt', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/),
  urlCredentials,
  basicAuthHeader,
  labelledSecret,
  regexRule('bearer-token', /\bBearer\s+([A-Za-z0-9\-._~+/]{20,}=*)/, 1, (m) => !isPlaceholder(m[1] ?? '') && /\d/.test(m[1] ?? '')),
  passwordAssignment,
  highEntropy,
];

/** Offsets where each line starts; lines end at `\n` (a `\r` before it stays with the line). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** What our own rules find in `text`, as offsets into it. */
export function findOwnSecrets(text: string): SecretSpan[] {
  const starts = lineStarts(text);
  const raw = text.split('\n');
  const lines = raw.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const spans: SecretSpan[] = [];
  lines.forEach((line, index) => {
    for (const rule of RULES) {
      // Multi-line spans are measured with '\n' separators; a CRLF text has one more character per line.
      for (const s of rule(line, lines, index)) spans.push(toTextOffsets(s, index, starts, lines, raw));
    }
  });
  return spans;
}

function toTextOffsets(s: SecretSpan, index: number, starts: number[], lines: string[], raw: string[]): SecretSpan {
  const start = starts[index]! + s.start;
  if (s.end <= lines[index]!.length) return { ...s, start, end: starts[index]! + s.end };
  // The span ends on a later line: walk the lines, counting as the rule did ('\n' only).
  let rest = s.end - lines[index]!.length - 1;
  let i = index + 1;
  while (i < lines.length - 1 && rest > lines[i]!.length) {
    rest -= lines[i]!.length + 1;
    i++;
  }
  const endLine = Math.min(i, lines.length - 1);
  return { ...s, start, end: starts[endLine]! + Math.min(rest, raw[endLine]!.length) };
}

// ─── Findings ───────────────────────────────────────────────────────────────

/** The secret's first characters (at most 4, at most a quarter of it) and `…`. */
export function maskSecret(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…`;
}

/** The part of a `scheme://user:password@host` match that is the password, or null when there is none. */
function urlPassword(text: string, span: SecretSpan): SecretSpan | null {
  const matched = text.slice(span.start, span.end);
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@/i.exec(matched.replace(/^jdbc:/i, '').trimStart());
  if (!m) return null;
  const at = matched.indexOf(`:${m[1]}@`);
  if (at < 0) return null;
  return { start: span.start + at + 1, end: span.start + at + 1 + m[1]!.length, kind: span.kind };
}

/**
 * A third-party rule's match, screened like our own: credentials in URLs narrow to the password and
 * are dropped when it is a placeholder; any match that says it is an example or is masked is dropped.
 */
export function screenSpan(text: string, span: SecretSpan): SecretSpan | null {
  const matched = text.slice(span.start, span.end);
  if (span.kind === 'basic-auth' || span.kind === 'connection-string') {
    const password = urlPassword(text, span);
    if (!password) return /:\/\//.test(matched) ? null : span;
    return isPlaceholder(text.slice(password.start, password.end)) ? null : password;
  }
  if (span.kind === 'private-key') return span; // validated key material; base64 may contain any letters
  return isMaskedOrExample(matched) ? null : span;
}

/**
 * Findings from spans: overlaps settled (the lower rank wins, then the longer span), each reported on
 * the line where it starts, with an excerpt of that line where every secret on it is masked.
 */
export function toFindings(text: string, spans: readonly SecretSpan[]): SecretFinding[] {
  const ordered = spans
    .map((s, order) => ({ s, order }))
    .filter(({ s }) => s.end > s.start)
    .sort((a, b) => rankOf(a.s.kind) - rankOf(b.s.kind) || b.s.end - b.s.start - (a.s.end - a.s.start) || a.order - b.order);
  // Kept spans never overlap, so sorted by start they are also sorted by end: a binary search finds the neighbours.
  const kept: SecretSpan[] = [];
  for (const { s } of ordered) {
    const at = firstIndex(kept, (k) => k.end > s.start);
    if (at < kept.length && kept[at]!.start < s.end) continue;
    kept.splice(at, 0, s);
  }
  const starts = lineStarts(text);
  const excerpts = new Map<number, string>();
  return kept.map((s) => {
    const index = firstIndex(starts, (start) => start > s.start) - 1;
    let excerpt = excerpts.get(index);
    if (excerpt === undefined) {
      excerpt = excerptOf(text, starts, index, kept);
      excerpts.set(index, excerpt);
    }
    return { line: index + 1, kind: s.kind, excerpt };
  });
}

/** The first index whose item satisfies `after` (items are sorted so that `after` turns true once and stays). */
function firstIndex<T>(items: readonly T[], after: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function excerptOf(text: string, starts: number[], index: number, spans: readonly SecretSpan[]): string {
  const lineStart = starts[index]!;
  const lineEnd = index + 1 < starts.length ? starts[index + 1]! - 1 : text.length;
  let out = '';
  let at = lineStart;
  for (let i = firstIndex(spans, (s) => s.end > lineStart); i < spans.length && spans[i]!.start < lineEnd; i++) {
    const s = spans[i]!;
    const from = Math.max(s.start, lineStart);
    const to = Math.min(s.end, lineEnd);
    // Mask the whole secret's prefix, not the prefix of its piece on this line.
    out += text.slice(at, from) + (from === s.start ? maskSecret(text.slice(s.start, s.end)) : '…');
    at = to;
  }
  out = (out + text.slice(at, lineEnd)).replace(/\r$/, '').trim();
  return out.length > 120 ? `${out.slice(0, 119)}…` : out;
}
