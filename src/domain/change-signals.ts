/**
 * The salient tokens of a changed file, as search queries for the standards that govern it: the words
 * of its path and language, the APIs its added lines call, their identifiers, configuration keys, and
 * what their string literals look like (SQL, HTML, URLs, hosts, file paths). A small lexicon adds the
 * words standards use for well-known code constructs (`innerHTML` → "HTML output encoding"), since
 * standards are prose and code is not. Each token keeps the lines it came from, to show a reader why a
 * standard was chosen. Pure.
 */
import type { ChangedFile } from './change.js';
import { tokenizeText } from './tokenize.js';

export interface Signal {
  /** One or more words, lower case. */
  term: string;
  /** Where it came from: the lexicon, an API call, an identifier, a literal, a configuration key, the path. */
  kind: 'concept' | 'api' | 'identifier' | 'literal' | 'key' | 'path';
  /** Lines (new-file numbers; removed lines as negative old-file numbers) it was found on. */
  lines: number[];
  /** How telling it is (concepts: the rule's weight). */
  weight: number;
  /** A concept that only means something in its language (search it with the language's name). */
  languageBound?: boolean;
}

export interface Query {
  text: string;
  /** Share of this query's ranking in the file's. */
  weight: number;
}

export interface FileSignals {
  path: string;
  language: string | null;
  signals: Signal[];
  /** Search queries, most telling first: each concept, the code's own words, the path. */
  queries: Query[];
}

interface Rule {
  re: RegExp;
  terms: string;
  /** How telling the construct is: 1 for specific ones, less for what most code does (log, answer JSON). */
  weight?: number;
  /** Also required on the same line. */
  and?: RegExp;
  /** Only for these languages (null: any). */
  langs?: readonly string[];
}

/** Untrusted input reaching the line: request fields, CGI globals, framework binding. */
const INPUT = /\b(req|request|ctx|context)\.(query|body|params|cookies|headers|files|args|form|data|values|GET|POST|json|FILES|COOKIES)\b|\$_(GET|POST|REQUEST|COOKIE|FILES)|getParameter\(|\bparams\[|@(RequestParam|PathVariable|RequestBody)|\[From(Query|Body|Form)\]|\buser_?input\b/;
/** A value spliced into a string: concatenation, template or format interpolation. */
const SPLICE = /["'`]\s*\+\s*[\w$(]|[\w$)\]]\s*\+\s*["'`]|\$\{[^}]+\}|\bf["'][^"']*\{|%s|%\(|\.format\(|\bsprintf\(|String\.format\(|#\{/;

/** A string literal (opening quote and text up to the next quote) that reads as SQL; linear in the line. */
const SQL_LITERAL = /["'`][^"'`]*?\b(select\b[^"'`]*?\bfrom|insert\s+into|update\s+\w+\s+set|delete\s+from|union\s+select|where\s+\w+\s*(=|like\b|in\b))\b/i;

const RULES: readonly Rule[] = [
  // Injection and data handling
  { re: SQL_LITERAL, terms: 'sql query database' },
  { re: SQL_LITERAL, and: SPLICE, terms: 'sql injection query string concatenation parameterized' },
  { re: /\.(innerHTML|outerHTML)\s*\+?=|insertAdjacentHTML|document\.write(ln)?\(|dangerouslySetInnerHTML|v-html|\|\s*safe\b|mark_safe|html_safe|\.html\(\s*[\w$]|bypassSecurityTrust/, terms: 'html dom xss output encoding' },
  { re: /["'`][^"'`]*<\/?[a-z][a-z0-9]*[\s>/]/i, and: SPLICE, terms: 'html output encoding xss' },
  { re: /\b(child_process|execSync|execFile|spawnSync|os\.system|subprocess|popen|Popen|shell_exec|passthru|proc_open|Runtime\.getRuntime|ProcessBuilder|exec\.Command)\b|\bexec\(\s*[`'"]|\bsystem\(/, terms: 'os command shell process' },
  { re: /\b(exec|execSync|system|popen|shell_exec|spawn)\s*\(|os\.system|subprocess\.\w+\(.*shell\s*=\s*True/, and: SPLICE, terms: 'command injection shell' },
  { re: /\bldap|DirContext|DirectorySearcher|\(\s*&?\s*\(\s*(uid|cn|sAMAccountName|mail|objectClass)\s*=/i, terms: 'ldap directory filter injection' },
  { re: /\$where|\$ne\b|\$gt\b|\$regex|\bfindOne\(|\.find\(\s*\{|\bmongo(ose|db)?\b|\.aggregate\(\s*\[|\bcollection\(/, terms: 'nosql mongodb query injection' },
  { re: /\b(pickle|cPickle|shelve|jsonpickle|marshal)\.(loads?|Unpickler)|yaml\.(load|unsafe_load)\(|ObjectInputStream|readObject\(|\bunserialize\(|Marshal\.load|BinaryFormatter|XMLDecoder|node-serialize|ObjectMapper\(\)\.enableDefaultTyping/, terms: 'deserialization untrusted serialized objects' },
  { re: /DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|XmlReader|XmlDocument|\blxml\b|\betree\b|xml2js|libxml|<!DOCTYPE|<!ENTITY|ExpandEntityReferences|resolve_entities|XMLReader/, terms: 'xml parser external entity dtd' },
  { re: /\beval\(|new Function\(|\bexecScript\(|setTimeout\(\s*["'`]|\bexec\(\s*compile\(/, terms: 'eval code injection' },
  { re: INPUT, terms: 'user input validation', weight: 0.4 },
  // Authentication, sessions, crypto, secrets
  { re: /\b(md5|sha1|sha-1)\b|createHash\(|hashlib\.|MessageDigest|DigestUtils|crypto\.subtle\.digest/i, terms: 'hash algorithm' },
  { re: /\b(md5|sha1|sha256|sha512|hash|digest)\b/i, and: /passw|pwd|credential/i, terms: 'password hashing storage' },
  { re: /\b(bcrypt|argon2|scrypt|pbkdf2)\b/i, terms: 'password hashing' },
  { re: /createCipher(iv)?|createDecipher(iv)?|Cipher\.getInstance|\b(aes|des|3des|rc4|ecb|cbc|gcm)\b|Fernet|crypto\.subtle\.(en|de)crypt|\b(en|de)crypt\w*\(/i, terms: 'encryption cipher key cryptographic storage' },
  { re: /\becb\b/i, terms: 'ecb block cipher mode' },
  { re: /Math\.random|\brandom\.(random|randint|choice)\b|\brand\(|\bnew Random\(|\bmt_rand\(|\brand\.Int/, terms: 'random number generator' },
  { re: /Math\.random|\brandom\.(random|randint|choice)\b|\brand\(|\bnew Random\(|\bmt_rand\(|\brand\.Int/, and: /token|secret|passw|reset|session|nonce|otp|\bkey\b|salt/i, terms: 'secure random token generation' },
  { re: /\bjwt\b|jsonwebtoken|\bjose\b|JwtParser|JwtDecoder|\bid_token\b|\bBearer\b/i, terms: 'json web token jwt signature verification' },
  { re: /\bsession\b|\bcookies?\b|httpOnly|sameSite|Set-Cookie|express-session/i, terms: 'session cookie', weight: 0.6 },
  { re: /\bcsrf|\bxsrf|csrf_exempt|csrf_token|@csrf/i, terms: 'csrf cross site request forgery token' },
  { re: /\bredirect\(|sendRedirect|HttpResponseRedirect|redirect_to\b|\.location\s*=|location\.href\s*=|\bLocation:\s/, terms: 'redirect url' },
  { re: /\bupload|\bmulter\b|formidable|request\.files|\bFileStorage\b|MultipartFile|move_uploaded_file|\.save\([^)]*filename/i, terms: 'file upload filename' },
  { re: /\b(secret|token|passw(or)?d|pwd|api_?key|apikey|private_?key|access_?key|client_?secret|credentials?)\w*["']?\s*[:=]\s*["'`][^"'`\s]{4,}/i, terms: 'hard coded secret credentials' },
  { re: /\bsk_live_|\bAKIA[0-9A-Z]{12,}|\bghp_\w{20,}|\bxox[abp]-|-----BEGIN [A-Z ]*PRIVATE KEY/, terms: 'hard coded secret api key credentials' },
  { re: /^\s*(ENV|ARG)\s+\w*(PASS|SECRET|TOKEN|KEY)\w*[= ]/i, terms: 'secret docker image environment' },
  { re: /verify\s*=\s*False|rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|InsecureSkipVerify|CERT_NONE|disable_warnings\(|check_hostname\s*=\s*False|TrustAll|ALLOW_ALL_HOSTNAME|ServerCertificateValidationCallback/, terms: 'tls certificate verification' },
  { re: /__proto__|constructor\.prototype|\bdeep_?[mM]erge\b|\bmerge\(|\bextend\(|for\s*\(\s*(const|let|var)\s+\w+\s+in\s/, terms: 'object merge prototype' },
  { re: /permit!|\.(update|create|build|new)\(\s*(req\.body|params\b|request\.(data|json|form|POST))|new\s+\w+\(\s*req\.body|Object\.assign\(\s*\w+\s*,\s*req\.body|\*\*request\.(data|json|POST|form)|@ModelAttribute|fields\s*=\s*["']__all__/, terms: 'mass assignment model binding' },
  { re: /\b(findById|findByPk|findOne|get_object_or_404|objects\.get|getById|find)\(\s*(req\.params|request\.args|params\[|\w*[iI]d\b)/, terms: 'object identifier access authorization' },
  { re: /\.stack\b|printStackTrace|\btraceback\b|exc_info|format_exc|getStackTrace|\bDEBUG\s*=\s*True/, terms: 'stack trace error details' },
  { re: /\bfetch\(|\baxios\b|\bgot\(|\bhttps?\.(get|request)\(|\brequests\.(get|post|put|head)\(|\burlopen\(|urllib|HttpClient|WebClient|RestTemplate|curl_exec|file_get_contents\(\s*\$/, terms: 'http request url', weight: 0.5 },
  // An outbound request to a URL that is not a literal: where it goes is decided at run time.
  { re: /\b(fetch|axios(\.(get|post|put|request))?|got|requests\.(get|post|put|head)|urlopen|http\.Get|https?\.(get|request)|curl_init|file_get_contents)\(\s*(?!["'`)])/, terms: 'server side request url' },
  { re: /\$\{\{\s*github\.event\.|\$\{\{\s*github\.head_ref|pull_request_target/, terms: 'github actions workflow untrusted input script injection' },
  // Logging and errors
  { re: /\b(logger|log|logging|console|winston|pino|bunyan)\.(debug|info|warn|warning|error|log|trace|fatal)\(|System\.out\.print|\bfmt\.Print|\blog\.Print/, terms: 'logging', weight: 0.4 },
  { re: /\b(logger|log|logging|console)\.\w+\(|\bprint\(/, and: /passw|\btoken\b|secret|\bssn\b|credit|card|cvv|api_?key/i, terms: 'logging sensitive data' },
  { re: /["'`][^"'`]*\.log["'`]|FileHandler|RotatingFileHandler|TimedRotating|\blog_?file\b|appendFile|createWriteStream|destination\(|\breopen\(|logrotate/i, and: /log/i, terms: 'log file stream stdout' },
  { re: /\b(res|response)\.(status|sendStatus)\(\s*5\d\d|\bstatus\s*\(\s*5\d\d|HttpResponseServerError|InternalServerError/, terms: 'error handling', weight: 0.5 },
  // Configuration and processes
  { re: /["'`](?:[\w-]+\.)+(internal|local|lan|corp|com|net|io|org|cloud|amazonaws\.com)(:\d+)?["'`/]|["'`](\d{1,3}\.){3}\d{1,3}(:\d+)?["'`]|\blocalhost:\d+/, terms: 'hostname configuration environment' },
  { re: /\b(host|hostname|port|user|username|password|database|dsn|connection_?string|endpoint|bucket|region)["']?\s*[:=]\s*["'`\d]/i, terms: 'configuration config backing service', weight: 0.7 },
  { re: /\b(NODE_ENV|RAILS_ENV|APP_ENV|FLASK_ENV|DJANGO_SETTINGS_MODULE|ENVIRONMENT|STAGE)\b|["'`](prod|production|staging|development|dev)["'`-]|startswith\(\s*["'](prod|staging)/i, terms: 'environment development staging production deploys' },
  { re: /process\.env\.|os\.environ|os\.getenv|System\.getenv|\bENV\[|getenv\(/, terms: 'environment variables config', weight: 0.4 },
  { re: /\.listen\(\s*\d{2,5}\b|\bport\s*[:=]\s*\d{2,5}\b|^\s*EXPOSE\s+\d+|\bPORT\s*=\s*\d+/i, terms: 'port binding' },
  { re: /\bnew (Map|Set)\(|\bglobal\s+\w+|\bstatic\s+\w+\s*=\s*new\b|\b\w*(cache|sessions?|store|carts?)\s*=\s*(new\s+\w+|\{\s*\}|\[\s*\]|dict\(\))/i, terms: 'memory state process stateless' },
  { re: /\bSIG(TERM|INT|KILL|HUP)\b|signal\.Notify|signal\.signal|process\.on\(\s*["'](exit|SIG)|\bgraceful|\bshutdown|\batexit\b|addShutdownHook/i, terms: 'shutdown signal graceful disposability' },
  { re: /\bmigrat|\balembic\b|\bflyway\b|liquibase|manage\.py|\brake\s|\bbackfill|one-?off/i, terms: 'migration admin one-off process' },
  { re: /\/usr\/(local\/)?bin\/|\bapt-get\b|\byum install\b|\bbrew install\b|\bimagemagick\b|\bffmpeg\b|\bwhich\s+\w/i, terms: 'system tool dependency' },
  { re: /\b(sqlite3?|postgres(ql)?|mysql|mariadb|redis|memcached?|rabbitmq|kafka|dynamodb|mongodb)\b/i, terms: 'database backing service', weight: 0.5 },
  { re: /\b(queue|worker|reserve|ackMany|ack|batch|job)s?\b/i, terms: 'worker queue jobs', weight: 0.4 },
  // APIs
  { re: /\b(res|response)\.(json|send)\(|\bJsonResponse\b|\bjsonify\(|\bResponseEntity\b|@ResponseBody|\bserialize\w*\(/, terms: 'api response json', weight: 0.4 },
  { re: /\b(res|response)\.status\(\s*[45]\d\d|\bstatus(_code)?\s*[:=]\s*[45]\d\d|HttpStatus\.\w+|\bsendStatus\(\s*[45]/, terms: 'http status code error response' },
  { re: /\bstatus\(\s*200\s*\)|\bstatus(_code)?\s*[:=]\s*200\b/, and: /success\s*:\s*false|\berror|\bfail|\breason\b/i, terms: 'http status code error response' },
  { re: /\{\s*["']?(msg|message|error|err|errors|errorMessage|reason)["']?\s*:/, and: /\b(res|response)\b|json|return/i, terms: 'error response body code message' },
  { re: /\.(all|findAll|list)\(\s*\)|\bfind\(\s*\)|\bselect\s+\*\s+from\s+\w+\s*["'`;]/i, terms: 'collection list', weight: 0.7 },
  { re: /\d+\s*\*\s*60_?000|\bsetTimeout\(\s*\d{6,}|\b\d+\s*(-\s*\d+\s*)?(minutes|hours)\b|\bexport\b.*\b(csv|report)|\blong[- ]running/i, terms: 'long running operation' },
  { re: /\benum\b|\bEnum\(|\boneOf\b/, terms: 'enum values' },
  { re: /\/v\d+\/|\bapi-?version\b|\bV\d+\b/i, terms: 'api version', weight: 0.7 },
  { re: /^\s*["']?[a-z]+(_[a-z0-9]+)+["']?\s*:\s*[^:]/, and: /[\w)]\s*[,}]?\s*$/, terms: 'property names naming casing' },
  { re: /\.(get|post|put|patch|delete)\(\s*["'`]\/[^"'`]*\b(get|create|update|delete|do|make|fetch)[A-Z]/, terms: 'url resource naming' },
  // Language style
  { re: /\bdef \w+\([^)]*=\s*(\[\]|\{\}|set\(\)|list\(\)|dict\(\))/, terms: 'mutable default argument', langs: ['python'] },
  { re: /^\s*except\s*:|except\s+(Exception|BaseException)\s*:\s*pass\b/, terms: 'exceptions except', langs: ['python'] },
  { re: /^\s*from\s+\S+\s+import\s+\*/, terms: 'imports wildcard import', langs: ['python'] },
  { re: /^\s*global\s+\w+/, terms: 'global variables mutable state', langs: ['python'] },
  { re: /\b(errors\.New|fmt\.Errorf)\(\s*"([A-Z]|[^"]*[.!:]")/, terms: 'error strings', langs: ['go'] },
  { re: /\bpanic\(/, terms: 'panic errors', langs: ['go'] },
  { re: /^\s*\w+\s+context\.Context\s*$/, terms: 'context struct field', langs: ['go'] },
  { re: /\b_\s*(,\s*_\s*)?=\s*\w[\w.]*\(/, terms: 'ignored errors', langs: ['go'] },
  { re: /`[^`]+`/, terms: 'command substitution', langs: ['shell'] },
  { re: /(^|[\s=(])\$\{?\w+\}?(?=[\s;)]|$)/, terms: 'quoting variables', langs: ['shell'] },
  { re: /\beval\b/, terms: 'eval', langs: ['shell'] },
  { re: /\$\(\s*ls\b|`\s*ls\b|\bls\b[^|]*\|/, terms: 'ls output', langs: ['shell'] },
];

/** Rules read on removed lines: what a change takes away. */
const REMOVED_RULES: readonly Rule[] = [{ re: /^\s*["']?\w+["']?\??\s*:\s*[\w"'[{]/, terms: 'removed property breaking change deprecation' }];
/** Files that define an interface others depend on: a removed property there breaks callers. */
const CONTRACT_PATH = /(^|\/)(api|apis|schema|schemas|dto|dtos|contracts?|models?|serializers?|openapi|proto)(\/|\.|$)|\/v\d+\//i;

const LANGUAGE_WORDS: Readonly<Record<string, string>> = {
  typescript: 'typescript javascript node',
  javascript: 'javascript node',
  python: 'python',
  go: 'go golang',
  shell: 'shell bash script',
  java: 'java',
  kotlin: 'kotlin',
  ruby: 'ruby rails',
  php: 'php',
  csharp: 'c# .net',
  c: 'c',
  rust: 'rust',
  sql: 'sql',
  html: 'html template',
  yaml: 'yaml',
  dockerfile: 'docker container image',
  terraform: 'terraform infrastructure as code',
};

/** Words of code too common to tell standards apart. */
const STOP = new Set(
  (
    'a an the and or not of to in on at by for with from as is are be it its this that these those if else elif then fi do done ' +
    'const let var function func def class return returns import export default require module exports new await async yield ' +
    'public private protected static final void int string str bool boolean number float double char byte long short any unknown object ' +
    'true false null nil none undefined self this super type interface struct package extends implements ' +
    'try catch except finally throw throws raise err error e ex res req request response next ctx ' +
    'get set value values data result results item items list dict map key keys val args kwargs param params opts options ' +
    'src lib app main index internal pkg cmd test tests spec util utils common core ts js py go rb java sh md json yml yaml ' +
    'echo print println printf log'
  ).split(' '),
);

function words(text: string): string[] {
  return tokenizeText(text).filter((w) => w.length >= 2 && !STOP.has(w) && !/^\d+$/.test(w));
}

/** Path words that say what the file is (`src/routes/users.ts` → routes users). */
function pathWords(path: string): string[] {
  if (!path) return [];
  const parts = path.replace(/\.[A-Za-z0-9]+$/, '').split(/[\\/]/);
  return [...new Set(parts.flatMap((p) => words(p.replace(/^\./, ''))))];
}

/** Concepts searched one by one per file; the rest only show as evidence. */
const MAX_CONCEPT_QUERIES = 6;
/** Longer added lines are minified or generated code: skipped, which also bounds the cost of the patterns. */
const MAX_LINE_CHARS = 1000;
const CALL_RE = /([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\(/g;
const LITERAL_RE = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\\n]|\\.)*`/g;
const KEY_RE = /^\s*["']?([A-Za-z_][\w.-]*)["']?\s*[:=](?!=)/;
const CONTROL = new Set(['if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'typeof', 'sizeof', 'elif', 'with', 'super', 'require', 'import']);

class Collector {
  private readonly map = new Map<string, Signal>();
  add(term: string, kind: Signal['kind'], line: number, weight = 1, languageBound = false): void {
    const t = term.trim().toLowerCase();
    if (!t) return;
    const s = this.map.get(t);
    if (!s) this.map.set(t, { term: t, kind, lines: [line], weight, ...(languageBound ? { languageBound } : {}) });
    else if (!s.lines.includes(line)) s.lines.push(line);
  }
  list(): Signal[] {
    return [...this.map.values()];
  }
}

/** Literal kinds worth a word of their own: SQL, HTML, URLs, file paths. */
function literalKinds(literal: string): string[] {
  const body = literal.slice(1, -1);
  const out: string[] = [];
  if (/\b(select|insert|update|delete)\b[\s\S]*\b(from|into|set|where)\b/i.test(body)) out.push('sql');
  if (/<\/?[a-z][a-z0-9]*[\s>/]/i.test(body)) out.push('html');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(body)) out.push('url');
  if (/^(\/|\.\.?\/)[\w.-]+\/[\w./-]*$/.test(body)) out.push('file path');
  return out;
}

function cut(terms: readonly string[], max: number): string {
  let out = '';
  for (const t of terms) {
    if (out.length + t.length + 1 > max) break;
    out = out ? `${out} ${t}` : t;
  }
  return out;
}

/** The signals of one changed file and its search queries. */
export function fileSignals(file: ChangedFile): FileSignals {
  const concepts = new Collector();
  const code = new Collector();
  const language = file.language;
  const applies = (r: Rule): boolean => !r.langs || (language !== null && r.langs.includes(language));
  for (const { line, text } of file.added) {
    if (text.length > MAX_LINE_CHARS) continue; // minified or generated
    for (const rule of RULES) {
      if (applies(rule) && rule.re.test(text) && (!rule.and || rule.and.test(text))) concepts.add(rule.terms, 'concept', line, rule.weight ?? 1, Boolean(rule.langs));
    }
    for (const m of text.matchAll(CALL_RE)) {
      const name = m[1]!;
      const last = name.split('.').at(-1)!;
      if (CONTROL.has(last) || name.length < 3) continue;
      code.add(name.replace(/\./g, ' '), 'api', line);
      if (name.includes('.')) code.add(last, 'api', line);
    }
    for (const lit of text.match(LITERAL_RE) ?? []) {
      for (const kind of literalKinds(lit)) code.add(kind, 'literal', line, 0.5);
    }
    const key = KEY_RE.exec(text)?.[1];
    if (key && key.length >= 3) code.add(key, 'key', line, 0.5);
    const bare = text.replace(LITERAL_RE, ' ');
    for (const id of bare.match(/[A-Za-z_$][\w$]{2,}/g) ?? []) {
      const lower = id.toLowerCase();
      if (!STOP.has(lower) && /[a-z]/i.test(id)) code.add(lower.replace(/^\$+/, ''), 'identifier', line, 0.3);
      for (const w of words(id)) if (w !== lower) code.add(w, 'identifier', line, 0.3);
    }
  }
  if (CONTRACT_PATH.test(file.path)) {
    for (const { line, text } of file.removed) {
      for (const rule of REMOVED_RULES) if (rule.re.test(text)) concepts.add(rule.terms, 'concept', -line, 1, false);
    }
  }
  const path = pathWords(file.path);
  const lang = language ? (LANGUAGE_WORDS[language] ?? language) : '';

  // The most telling concepts first (then those on more lines); code tokens by kind, then by lines.
  const conceptList = concepts.list().sort((a, b) => b.weight - a.weight || b.lines.length - a.lines.length);
  const rank: Record<Signal['kind'], number> = { api: 0, literal: 1, key: 2, identifier: 3, concept: 4, path: 5 };
  const codeList = code
    .list()
    .filter((s) => s.term.length >= 3 || s.kind === 'literal')
    .sort((a, b) => rank[a.kind] - rank[b.kind] || b.lines.length - a.lines.length);
  const queries: Query[] = conceptList.slice(0, MAX_CONCEPT_QUERIES).map((c) => ({ text: c.languageBound && lang ? `${lang} ${c.term}` : c.term, weight: c.weight }));
  const codeQuery = cut(codeList.map((s) => s.term), 300);
  if (codeQuery) queries.push({ text: codeQuery, weight: 0.5 });
  const where = [lang, ...path].filter(Boolean).join(' ');
  if (where) queries.push({ text: where, weight: conceptList.length ? 0.3 : 0.6 });
  const signals = [...conceptList, ...codeList, ...path.map((w): Signal => ({ term: w, kind: 'path', lines: [], weight: 0.3 }))];
  return { path: file.path, language, signals, queries };
}
