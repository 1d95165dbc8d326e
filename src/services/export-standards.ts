import path from 'node:path';
import { AgentOsError } from '../domain/errors.js';
import { gitBlobId } from '../domain/hashing.js';
import { COPILOT_DIR, CURSOR_DIR, EXPORT_FORMATS, planExport, type ExportCut, type ExportFormat, type ExportPiece, type ExportStandard } from '../domain/rule-export.js';
import { dropSection, findSection, isGeneratedFile, normaliseProvenance, putSection, sectionOf } from '../domain/rule-sources.js';
import type { Files } from '../ports/files.js';
import type { StandardsRepo } from '../ports/standards-repo.js';
import type { WorkTreeGit } from '../ports/work-tree.js';
import { linkFree } from './link-free.js';

export interface ExportDeps {
  files: Files;
  tree: WorkTreeGit;
  repo: StandardsRepo;
  /** Absolute project root. */
  root: string;
}

export interface ExportInput {
  /** Default: every format. */
  formats?: readonly ExportFormat[];
  /** Write nothing; report what is fresh, stale, missing or left over. */
  check?: boolean;
  /** Report what would change, write nothing. */
  dryRun?: boolean;
  /** Overwrite a file at an export path that agent-os did not generate. */
  force?: boolean;
}

/**
 * One exported file. With --check: `fresh`, `stale`, `missing`, `leftover` (generated from a standard
 * that is gone) or `conflict` (a file of the team's at an export path). Otherwise what export did:
 * `created`, `updated`, `unchanged`, `removed` (a leftover) or `conflict` (kept; --force overwrites).
 * Either way `linked`: the path is a symbolic link (or below one) and is left alone.
 */
export interface ExportFileReport {
  file: string;
  format: ExportFormat;
  state: 'fresh' | 'stale' | 'missing' | 'leftover' | 'conflict' | 'created' | 'updated' | 'unchanged' | 'removed' | 'linked';
  standards: string[];
  reason?: string;
}

export interface ExportReport {
  check: boolean;
  dryRun: boolean;
  formats: ExportFormat[];
  standards: number;
  files: ExportFileReport[];
  cuts: ExportCut[];
  /** Standards that could not be exported. */
  problems: Array<{ standard: string; problem: string }>;
  /** --check: every file fresh; otherwise: nothing left in conflict. */
  ok: boolean;
}

/** Compiles the standards of the checkout into the chosen formats, or (check) says whether the files on disk match. */
export async function exportStandards(deps: ExportDeps, input: ExportInput = {}): Promise<ExportReport> {
  const formats = [...new Set(input.formats?.length ? input.formats : EXPORT_FORMATS)];
  const check = input.check === true;
  const write = !check && input.dryRun !== true;
  const standards = await readStandards(deps);
  const listed = await deps.tree.listFiles();
  const dirs = new Set<string>();
  for (const f of listed) for (let d = path.posix.dirname(f); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
  const plan = planExport(standards, { formats, dirExists: (d) => dirs.has(d) });
  const files: ExportFileReport[] = [];
  const abs = (rel: string): string => path.join(deps.root, ...rel.split('/'));
  const expected = new Set(plan.pieces.map((p) => p.file));

  const LINKED = 'a symbolic link (or below one): agent-os writes no file through a link';
  for (const piece of plan.pieces) {
    if (!(await linkFree(deps.files, deps.root, piece.file))) {
      files.push({ file: piece.file, format: piece.format, state: 'linked', standards: piece.standards, reason: LINKED });
      continue;
    }
    const existing = await deps.files.readText(abs(piece.file));
    const r = judge(piece, existing, check, input.force === true);
    files.push(r.report);
    if (write && r.text !== undefined) await deps.files.writeText(abs(piece.file), r.text);
  }

  // Generated files and sections no standard asks for any more.
  const candidates = new Set<string>();
  for (const f of listed) {
    const format = leftoverFormat(f);
    if (format && formats.includes(format) && !expected.has(f)) candidates.add(f);
  }
  for (const file of [...candidates].sort()) {
    const format = leftoverFormat(file)!;
    if (!(await linkFree(deps.files, deps.root, file))) continue;
    const text = await deps.files.readText(abs(file));
    if (text === null) continue;
    const owned = format === 'cursor' || format === 'copilot' ? isGeneratedFile(text) : findSection(text) !== null;
    if (!owned) continue;
    if (check) {
      files.push({ file, format, state: 'leftover', standards: [], reason: 'generated from a standard that no longer exists (export removes it)' });
      continue;
    }
    const rest = format === 'cursor' || format === 'copilot' ? null : dropSection(text);
    files.push({ file, format, state: 'removed', standards: [], reason: rest === null ? 'generated from a standard that no longer exists' : 'its generated section has no standard left; the rest of the file is kept' });
    if (!write) continue;
    if (rest === null) await deps.files.remove(abs(file));
    else await deps.files.writeText(abs(file), rest);
  }

  const bad = check ? files.some((f) => f.state !== 'fresh' && f.state !== 'linked') : files.some((f) => f.state === 'conflict');
  return { check, dryRun: !check && !write, formats, standards: standards.length, files, cuts: plan.cuts, problems: plan.problems, ok: !bad };
}

/** The standards with their provenance: blob id of the file, and its last commit when it equals HEAD's version. */
async function readStandards(deps: ExportDeps): Promise<ExportStandard[]> {
  if (!(await deps.repo.exists())) return [];
  const dirRel = path.relative(deps.root, deps.repo.dir).split(path.sep).join('/');
  if (!dirRel || dirRel.startsWith('..') || path.isAbsolute(dirRel)) {
    throw new AgentOsError('CONFIG', `The standards directory ${deps.repo.dir} is not inside the project ${deps.root}; export needs it there.`);
  }
  const [entries, heads, commits] = await Promise.all([deps.repo.list(), deps.tree.headBlobs(dirRel), deps.tree.lastCommits(dirRel)]);
  const out: ExportStandard[] = [];
  for (const e of entries) {
    const bytes = await deps.repo.read(e.file);
    const rel = `${dirRel}/${e.file}`;
    const blob = gitBlobId(bytes);
    out.push({ path: rel, file: e.file, text: Buffer.from(bytes).toString('utf8'), blob, commit: heads.get(rel) === blob ? (commits.get(rel) ?? null) : null });
  }
  return out;
}

/** The export format a generated file at this path would belong to, or null. */
function leftoverFormat(file: string): ExportFormat | null {
  if (file.startsWith(`${CURSOR_DIR}/`) && file.endsWith('.mdc') && !file.slice(CURSOR_DIR.length + 1).includes('/')) return 'cursor';
  if (file.startsWith(`${COPILOT_DIR}/`) && file.endsWith('.instructions.md') && !file.slice(COPILOT_DIR.length + 1).includes('/')) return 'copilot';
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (name === 'AGENTS.md') return 'agents';
  if (name === 'CLAUDE.md') return 'claude';
  return null;
}

/** How a piece compares with the file on disk, and the text to write when it should be written. */
function judge(piece: ExportPiece, existing: string | null, check: boolean, force: boolean): { report: ExportFileReport; text?: string } {
  const base = { file: piece.file, format: piece.format, standards: piece.standards };
  if (piece.kind === 'file') {
    if (existing === null) return check ? { report: { ...base, state: 'missing' } } : { report: { ...base, state: 'created' }, text: piece.content };
    if (!isGeneratedFile(existing) && !force) {
      return { report: { ...base, state: 'conflict', reason: 'a file agent-os did not generate is at this path; rename it, or export with --force to replace it' } };
    }
    if (normaliseProvenance(existing) === normaliseProvenance(piece.content)) return { report: { ...base, state: check ? 'fresh' : 'unchanged' } };
    return check ? { report: { ...base, state: 'stale' } } : { report: { ...base, state: 'updated' }, text: piece.content };
  }
  if (existing !== null && findSection(existing) === 'malformed') {
    return { report: { ...base, state: 'conflict', reason: 'it has an agent-os:begin marker without its agent-os:end (or more than one); fix the markers by hand' } };
  }
  const current = existing === null ? null : sectionOf(existing);
  if (current === null) {
    if (check) return { report: { ...base, state: 'missing', ...(existing !== null ? { reason: 'the file has no agent-os section' } : {}) } };
    return { report: { ...base, state: existing === null ? 'created' : 'updated' }, text: putSection(existing, piece.content) };
  }
  if (normaliseProvenance(current) === normaliseProvenance(piece.content)) return { report: { ...base, state: check ? 'fresh' : 'unchanged' } };
  return check ? { report: { ...base, state: 'stale' } } : { report: { ...base, state: 'updated' }, text: putSection(existing, piece.content) };
}
