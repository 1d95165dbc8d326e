import { stringify } from 'yaml';
import { AgentOsError } from './errors.js';
import { readFrontMatter } from './front-matter.js';
import { floorHeadings, hasContent, sliceLines, splitAtDepth, templateSectionOf, topHeadings, trimBlankLines } from './markdown-sections.js';
import { suggestSlug, validateProposal, validateSlug, SLUG_MAX_LENGTH } from './proposal-validation.js';
import type { SecretFinding } from './secrets.js';
import {
  POINTER_PREFIX,
  SOURCE_ORDER,
  TRUNCATION_NOTE,
  blankSection,
  classifyRuleSource,
  isGeneratedFile,
  type RuleSource,
  type RuleSourceKind,
} from './rule-sources.js';

/*
 * `agent-os import`, the pure part: rule files in, standards out (issue 10).
 *
 * Decisions:
 * - Documents meant for the whole project (AGENTS.md, CLAUDE.md, GEMINI.md, .cursorrules,
 *   .windsurfrules, copilot-instructions.md) are split into one rule per heading of their shallowest
 *   level below a single `# Title`; text before the first such heading is a rule of its own. Cursor
 *   rules and Copilot instruction files are one scoped rule each.
 * - A rule whose sub-headings name template sections (Context, Pattern, Examples, Anti-patterns) keeps
 *   them; any other rule's text becomes its Pattern, and the missing sections are filled so the template
 *   check passes (Context says where it came from).
 * - Identical rules (same text once case, whitespace and Markdown marks are ignored) found in several
 *   files become one standard that lists every source; its scope is the union of theirs, and a rule
 *   that applies everywhere in one file applies everywhere.
 * - Domain: keywords of the six domains in the title (counted three times) and the text; development
 *   when none wins.
 * - Rules holding a possible secret are left out and reported; they never reach a commit.
 */

export const IMPORT_DOMAINS = ['architecture', 'data', 'development', 'testing', 'security', 'operations'] as const;
export type ImportDomain = (typeof IMPORT_DOMAINS)[number];

export interface SourceFile {
  /** Project-relative POSIX path. */
  path: string;
  text: string;
}

export interface ImportOptions {
  /** What the secret scanner found in each source file (by path; 1-based lines of the file's text). */
  secrets?: ReadonlyMap<string, readonly SecretFinding[]>;
  /** Also read files and sections agent-os export generated (their provenance marks are dropped). */
  includeGenerated?: boolean;
  /** ISO time written as `created_at`. */
  createdAt: string;
  /** Written as `created_by` (default `agent-os import`). */
  createdBy?: string | null;
}

export interface RuleOrigin {
  file: string;
  /** 1-based line of the rule's heading (or first line) in the file. */
  line: number;
}

export interface PlannedStandard {
  domain: string;
  topic: string;
  title: string;
  /** Relative to the standards directory: `<domain>/<topic>.md`. */
  file: string;
  content: string;
  sources: RuleOrigin[];
  appliesTo: string[];
}

export interface SkippedRule {
  /** `file:line`, or the file when the whole file was left out. */
  source: string;
  title: string | null;
  reason: string;
  /** The rule held a possible secret. */
  secret: boolean;
}

export interface ScannedFile {
  file: string;
  kind: RuleSourceKind;
  /** Rules read from it (before identical ones were merged). */
  rules: number;
}

export interface ImportPlan {
  standards: PlannedStandard[];
  skipped: SkippedRule[];
  files: ScannedFile[];
}

interface Parts {
  context: string;
  pattern: string;
  examples: string;
  antiPatterns: string;
  extra: Array<{ heading: string; text: string }>;
}

interface Rule {
  title: string;
  fallbackTitle: string;
  sources: RuleOrigin[];
  appliesTo: string[];
  description: string | null;
  parts: Parts;
  key: string;
}

const KIND_TITLES: Record<RuleSourceKind, string> = {
  agents: 'Agent guidelines',
  claude: 'Claude guidelines',
  gemini: 'Gemini guidelines',
  copilot: 'Copilot instructions',
  windsurf: 'Windsurf rules',
  cursorrules: 'Cursor rules',
  'cursor-rule': 'Cursor rule',
  'copilot-instructions': 'Copilot instructions',
};

/** Turns the rule files of a project into standards; files that are no rule source are ignored. */
export function planImport(files: readonly SourceFile[], opts: ImportOptions): ImportPlan {
  const found: Array<{ file: SourceFile; src: RuleSource }> = [];
  for (const file of files) {
    const src = classifyRuleSource(file.path);
    if (src) found.push({ file, src });
  }
  found.sort((a, b) => SOURCE_ORDER.indexOf(a.src.kind) - SOURCE_ORDER.indexOf(b.src.kind) || depthOf(a.file.path) - depthOf(b.file.path) || a.file.path.localeCompare(b.file.path));
  const skipped: SkippedRule[] = [];
  const scanned: ScannedFile[] = [];
  const merged = new Map<string, Rule>();
  for (const { file, src } of found) {
    if (src.ownRule) {
      skipped.push({ source: file.path, title: null, reason: 'written by `agent-os init` (it points Cursor at the standards)', secret: false });
      continue;
    }
    const read = rulesOf(file, src, opts);
    skipped.push(...read.skipped);
    if (read.generated) continue;
    scanned.push({ file: file.path, kind: src.kind, rules: read.rules.length });
    for (const rule of read.rules) {
      const same = merged.get(rule.key);
      if (!same) merged.set(rule.key, rule);
      else {
        same.sources.push(...rule.sources);
        same.appliesTo = same.appliesTo.length === 0 || rule.appliesTo.length === 0 ? [] : [...new Set([...same.appliesTo, ...rule.appliesTo])];
        same.description ??= rule.description;
      }
    }
  }
  const used = new Set<string>();
  const standards: PlannedStandard[] = [];
  for (const rule of merged.values()) {
    const domain = domainOf(rule.title, Object.values(rule.parts).join('\n'));
    const topic = uniqueTopic(domain, rule, used);
    const content = renderImported(rule, domain, topic, opts);
    try {
      validateProposal({ domain, topic, content }, []);
    } catch (e) {
      used.delete(`${domain}/${topic}`);
      const reason = e instanceof AgentOsError ? e.message.replace(/^[^\n]*refused:\n- /, '').replace(/\n- /g, '; ') : String(e);
      skipped.push({ source: originLabel(rule.sources), title: rule.title, reason, secret: /Possible secret/.test(reason) });
      continue;
    }
    standards.push({ domain, topic, title: rule.title, file: `${domain}/${topic}.md`, content, sources: rule.sources, appliesTo: rule.appliesTo });
  }
  standards.sort((a, b) => a.file.localeCompare(b.file));
  return { standards, skipped, files: scanned };
}

function depthOf(file: string): number {
  return file.split('/').length;
}

function originLabel(sources: readonly RuleOrigin[]): string {
  return sources.map((s) => `${s.file}:${s.line}`).join(', ');
}

// ─── Reading one file ───────────────────────────────────────────────────────

function rulesOf(file: SourceFile, src: RuleSource, opts: ImportOptions): { rules: Rule[]; skipped: SkippedRule[]; generated: boolean } {
  let text = file.text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const skipped: SkippedRule[] = [];
  if (!opts.includeGenerated) {
    if (isGeneratedFile(text)) {
      skipped.push({ source: file.path, title: null, reason: 'generated by `agent-os export` (import --include-generated reads it)', secret: false });
      return { rules: [], skipped, generated: true };
    }
    text = blankSection(text);
  }
  const prepared = src.single ? quoteGlobs(text) : text;
  const fm = readFrontMatter(prepared);
  const offset = (prepared.slice(0, prepared.length - fm.body.length).match(/\n/g) ?? []).length;
  if (fm.problem) skipped.push({ source: `${file.path}:1`, title: null, reason: `front matter ignored: ${fm.problem}`, secret: false });
  const fileFindings = opts.secrets?.get(file.path) ?? [];
  const inFrontMatter = fileFindings.filter((f) => f.line <= offset);
  if (inFrontMatter.length) {
    const where = inFrontMatter.map((f) => `possible secret (${f.kind}) on line ${f.line}`);
    skipped.push({ source: `${file.path}:1`, title: null, reason: `${[...new Set(where)].join('; ')} in the front matter; the file was left out`, secret: true });
    return { rules: [], skipped, generated: false };
  }
  const { appliesTo, dropped } = scopeOf(src, fm.data);
  for (const glob of dropped) skipped.push({ source: `${file.path}:1`, title: null, reason: `glob ${JSON.stringify(glob)} ignored: it points outside the project`, secret: false });
  const description = typeof fm.data['description'] === 'string' && fm.data['description'].trim() ? oneLine(fm.data['description']).slice(0, 300) : null;
  const fallbackTitle = src.single ? humanise(file.path.slice(file.path.lastIndexOf('/') + 1).replace(/(?:\.instructions)?\.mdc?$/i, '')) : `${src.dir ? `${src.dir} ` : ''}${KIND_TITLES[src.kind]}`;
  const rules: Rule[] = [];
  for (const unit of unitsOf(fm.body, src.single, fallbackTitle, file.path)) {
    const line = offset + unit.line;
    const first = offset + unit.rawStart;
    const last = first + unit.raw.split('\n').length - 1;
    const findings = fileFindings.filter((f) => f.line >= first && f.line <= last);
    if (findings.length) {
      const where = findings.map((f) => `possible secret (${f.kind}) on line ${f.line}`);
      skipped.push({ source: `${file.path}:${line}`, title: unit.title, reason: `${[...new Set(where)].join('; ')}; the rule was left out`, secret: true });
      continue;
    }
    const cleaned = cleanGenerated(unit.text);
    if (!hasContent(cleaned.text)) continue;
    const parts = partsOf(cleaned.text);
    const scope = cleaned.appliesTo ?? appliesTo;
    rules.push({ title: unit.title, fallbackTitle, sources: [{ file: file.path, line }], appliesTo: scope, description, parts, key: keyOf(parts) });
  }
  return { rules, skipped, generated: false };
}

/**
 * Cursor writes globs unquoted (`globs: **\/*.ts`), which YAML reads as an alias: the values of `globs`
 * and `applyTo` that are not quoted or a list are quoted before the front matter is read.
 */
function quoteGlobs(text: string): string {
  if (!text.startsWith('---')) return text;
  const close = text.indexOf('\n---', 3);
  if (close < 0) return text;
  const head = text.slice(0, close).replace(/^(globs|applyTo)([ \t]*:[ \t]*)([^\s"'[\n][^\n]*)$/gm, (_m, key: string, sep: string, value: string) => `${key}${sep}'${value.trim().replace(/'/g, "''")}'`);
  return head + text.slice(close);
}

function globList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
  return raw.map((g) => g.trim()).filter(Boolean);
}

const EVERYWHERE = new Set(['**', '**/*', './**', '/**']);

function scopeOf(src: RuleSource, data: Record<string, unknown>): { appliesTo: string[]; dropped: string[] } {
  let globs: string[] = [];
  if (src.kind === 'cursor-rule') globs = data['alwaysApply'] === true ? [] : globList(data['globs']);
  else if (src.kind === 'copilot-instructions') globs = globList(data['applyTo']);
  const unsafe = (g: string): boolean => /[\u0000-\u001f\u007f]/.test(g) || g.split('/').includes('..') || /^[A-Za-z]:/.test(g) || g.length > 200;
  const dropped = globs.filter(unsafe);
  const good = globs.filter((g) => !unsafe(g));
  const whole = src.dir ? [`${src.dir}/**`] : [];
  if (good.some((g) => EVERYWHERE.has(g))) return { appliesTo: whole, dropped };
  const kept = good.map((g) => (src.dir ? `${src.dir}/${g.replace(/^\.?\/+/, '')}` : g.replace(/^\.?\/+/, '')));
  return { appliesTo: kept.length ? kept : whole, dropped };
}

interface Unit {
  title: string;
  /** 1-based line of the unit's heading (or first content line) in the body. */
  line: number;
  /** The unit below its heading. */
  text: string;
  /** The unit with its heading, as scanned for secrets, and its first line in the body. */
  raw: string;
  rawStart: number;
}

/** The rules of a body: split at its shallowest heading level below a lone `# Title` (or whole, for single-rule files). */
function unitsOf(body: string, single: boolean, fallbackTitle: string, path: string): Unit[] {
  const lines = body.split('\n');
  const headings = topHeadings(body);
  const h1 = headings.filter((h) => h.depth === 1);
  const titleHeading = headings[0]?.depth === 1 && h1.length === 1 ? headings[0] : null;
  const docTitle = titleHeading && !isFileName(titleHeading.text, path) ? titleHeading.text : fallbackTitle;
  const afterTitle = titleHeading ? titleHeading.endLine + 1 : 1;
  const rest = headings.filter((h) => h !== titleHeading);
  const whole = (): Unit[] => {
    const text = trimBlankLines(sliceLines(lines, afterTitle, lines.length));
    const start = titleHeading?.startLine ?? firstContentLine(lines, 1);
    return [{ title: docTitle, line: start, text, raw: sliceLines(lines, start, lines.length), rawStart: start }];
  };
  if (single || rest.length === 0) return whole();
  const depth = Math.min(...rest.map((h) => h.depth));
  const top = rest.filter((h) => h.depth === depth);
  // A standard-shaped document (an exported rule, a standard pasted in) is one rule.
  const named = top.filter((h) => templateSectionOf(h.text)).length;
  if (named >= 2 || named === top.length) return whole();
  const units: Unit[] = [];
  const preamble = sliceLines(lines, afterTitle, top[0]!.startLine - 1);
  if (hasContent(cleanGenerated(preamble).text)) {
    const start = titleHeading?.startLine ?? firstContentLine(lines, 1);
    units.push({ title: docTitle, line: start, text: trimBlankLines(preamble), raw: sliceLines(lines, start, top[0]!.startLine - 1), rawStart: start });
  }
  top.forEach((h, i) => {
    const end = (top[i + 1]?.startLine ?? lines.length + 1) - 1;
    units.push({ title: h.text || docTitle, line: h.startLine, text: trimBlankLines(sliceLines(lines, h.endLine + 1, end)), raw: sliceLines(lines, h.startLine, end), rawStart: h.startLine });
  });
  return units;
}

function firstContentLine(lines: readonly string[], from: number): number {
  for (let i = from - 1; i < lines.length; i++) if (lines[i]!.trim()) return i + 1;
  return from;
}

/** "# AGENTS.md" or "# Claude" names the file, not the rule. */
function isFileName(title: string, path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const t = title.toLowerCase().trim();
  return t === name || `${t}.md` === name || t === name.replace(/\.[a-z]+$/, '');
}

/** The unit's template sections when its sub-headings name any; else its whole text is the Pattern. */
function partsOf(text: string): Parts {
  const plain: Parts = { context: '', pattern: text, examples: '', antiPatterns: '', extra: [] };
  const headings = topHeadings(text);
  if (headings.length === 0) return plain;
  const depth = Math.min(...headings.map((h) => h.depth));
  const { before, sections } = splitAtDepth(text, depth);
  if (!sections.some((s) => templateSectionOf(s.heading.text))) return plain;
  const get = (name: string): string =>
    sections
      .filter((s) => templateSectionOf(s.heading.text) === name)
      .map((s) => s.text)
      .filter(hasContent)
      .join('\n\n');
  const others = sections.filter((s) => !templateSectionOf(s.heading.text) && hasContent(s.text));
  const join = (...xs: string[]): string => xs.filter(hasContent).join('\n\n');
  const pattern = get('Pattern');
  if (pattern) {
    return { context: join(before, get('Context')), pattern, examples: get('Examples'), antiPatterns: get('Anti-patterns'), extra: others.map((s) => ({ heading: s.heading.text, text: s.text })) };
  }
  const folded = others.map((s) => `${'#'.repeat(Math.max(3, s.heading.depth))} ${s.heading.text}\n\n${s.text}`);
  return { context: get('Context'), pattern: join(before, ...folded), examples: get('Examples'), antiPatterns: get('Anti-patterns'), extra: [] };
}

/** Drops the marks agent-os export writes (provenance, pointer, shortening note) and import lines, reading back an exported scope line. */
function cleanGenerated(text: string): { text: string; appliesTo: string[] | null } {
  let appliesTo: string[] | null = null;
  const kept = text.split('\n').filter((line) => {
    const t = line.trim();
    if (/^<!-- agent-os:(?:begin|end|generated|source)\b.*-->$/.test(t)) return false;
    if (t.startsWith(POINTER_PREFIX.trim()) || t === TRUNCATION_NOTE) return false;
    // A Claude Code import line (`@AGENTS.md`) points at another file; it is no rule.
    if (/^@[\w./-]*[./][\w./-]*$/.test(t)) return false;
    const scope = /^_Applies to: ((?:`[^`]+`(?:, )?)+)\._$/.exec(t);
    if (scope) {
      appliesTo = [...scope[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
      return false;
    }
    return true;
  });
  return { text: trimBlankLines(kept.join('\n')), appliesTo };
}

/** Identity of a rule's text: case, whitespace, heading depth and Markdown marks do not count. */
function keyOf(parts: Parts): string {
  const all = [parts.context, parts.pattern, parts.examples, parts.antiPatterns, ...parts.extra.map((e) => `${e.heading} ${e.text}`)].join(' ');
  return all
    .toLowerCase()
    .replace(/[#*_`>|~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// ─── Naming ─────────────────────────────────────────────────────────────────

const DOMAIN_WORDS: Record<ImportDomain, string[]> = {
  architecture: ['architecture', 'architectural', 'layer', 'layers', 'layering', 'module', 'modules', 'boundary', 'boundaries', 'dependency injection', 'design', 'structure', 'layout', 'monorepo', 'microservice', 'microservices', 'adapter', 'adapters', 'ports', 'domain-driven', 'coupling'],
  data: ['database', 'databases', 'sql', 'schema', 'schemas', 'migration', 'migrations', 'query', 'queries', 'orm', 'postgres', 'postgresql', 'mysql', 'sqlite', 'mongodb', 'redis', 'kafka', 'etl', 'data model', 'table', 'tables', 'transaction', 'transactions', 'prisma'],
  development: ['style', 'naming', 'format', 'formatting', 'lint', 'linting', 'typescript', 'javascript', 'python', 'code review', 'commit', 'commits', 'git', 'error handling', 'errors', 'comments', 'conventions', 'refactor', 'imports', 'functions', 'types', 'setup', 'install', 'build', 'npm', 'dependencies', 'tooling', 'commands', 'scripts', 'pull request', 'pull requests', 'react', 'hooks'],
  testing: ['test', 'tests', 'testing', 'vitest', 'jest', 'pytest', 'mocha', 'coverage', 'mock', 'mocks', 'fixture', 'fixtures', 'e2e', 'unit test', 'integration test', 'tdd', 'assertion', 'assertions', 'playwright', 'cypress'],
  security: ['security', 'secure', 'secret', 'secrets', 'auth', 'authentication', 'authorization', 'password', 'passwords', 'credential', 'credentials', 'xss', 'csrf', 'injection', 'sanitize', 'sanitise', 'encrypt', 'encryption', 'vulnerability', 'vulnerabilities', 'permission', 'permissions', 'cors', 'owasp', 'oauth', 'jwt'],
  operations: ['deploy', 'deployment', 'deployments', 'ci', 'pipeline', 'pipelines', 'docker', 'kubernetes', 'k8s', 'helm', 'monitoring', 'observability', 'logging', 'logs', 'metrics', 'alert', 'alerts', 'alerting', 'incident', 'incidents', 'infrastructure', 'terraform', 'release', 'releases', 'on-call', 'sre', 'rollback', 'uptime'],
};

const DOMAIN_PATTERNS = Object.fromEntries(
  Object.entries(DOMAIN_WORDS).map(([d, words]) => [d, new RegExp(`(?<![a-z0-9])(?:${words.map((w) => w.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})(?![a-z0-9])`, 'g')]),
) as Record<ImportDomain, RegExp>;

/** The domain whose keywords the rule mentions most (title three times); development on a tie or none. */
export function domainOf(title: string, text: string): ImportDomain {
  const count = (re: RegExp, s: string): number => (s.toLowerCase().match(re) ?? []).length;
  let best: ImportDomain = 'development';
  let bestScore = 0;
  for (const d of IMPORT_DOMAINS) {
    const score = 3 * count(DOMAIN_PATTERNS[d], title) + count(DOMAIN_PATTERNS[d], text);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

function slugOf(title: string): string | null {
  return /[a-z0-9]/i.test(title.normalize('NFKD')) ? suggestSlug('topic', title) : null;
}

function uniqueTopic(domain: string, rule: Rule, used: Set<string>): string {
  const base = validateSlug('topic', slugOf(rule.title) ?? slugOf(rule.fallbackTitle) ?? 'imported-rules');
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const topic = `${base.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!used.has(`${domain}/${topic}`)) {
      used.add(`${domain}/${topic}`);
      return topic;
    }
  }
}

function humanise(name: string): string {
  const words = name.replace(/[-_.]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

// ─── Rendering ──────────────────────────────────────────────────────────────

function renderImported(rule: Rule, domain: string, topic: string, opts: ImportOptions): string {
  const fm: Record<string, unknown> = { domain, topic, tags: ['imported'] };
  if (rule.appliesTo.length) fm['applies_to'] = rule.appliesTo;
  if (rule.description) fm['description'] = rule.description;
  fm['created_by'] = opts.createdBy?.trim() || 'agent-os import';
  fm['created_at'] = opts.createdAt;
  fm['imported_from'] = rule.sources.map((s) => `${s.file}:${s.line}`);
  const p = rule.parts;
  const where = rule.sources.map((s) => `\`${s.file}\` (line ${s.line})`).join(', ');
  const scope = rule.appliesTo.length ? `, where it applied to ${rule.appliesTo.map((g) => `\`${g}\``).join(', ')}` : '';
  const context = p.context || `Imported by \`agent-os import\` from ${where}${scope}.${rule.description ? `\n\n${rule.description}` : ''}`;
  const section = (name: string, text: string): string => `## ${name}\n\n${floorHeadings(text, 3)}\n`;
  const body = [
    `# ${rule.title}\n`,
    section('Context', context),
    section('Pattern', p.pattern),
    section('Examples', p.examples || '_The imported rule gave no examples; add some when the standard is next revised._'),
    section('Anti-patterns', p.antiPatterns || '_The imported rule named no anti-patterns._'),
    ...p.extra.map((e) => section(e.heading, e.text)),
  ];
  return `---\n${stringify(fm, { lineWidth: 0 }).trimEnd()}\n---\n\n${body.join('\n')}`;
}
