import path from 'node:path';
import { domainAndTopic, parseStandard } from '../domain/chunking.js';
import { decodeStandard } from '../domain/decode.js';
import { AgentOsError, messageOf } from '../domain/errors.js';
import { sha256 } from '../domain/hashing.js';
import type { Files } from '../ports/files.js';
import type { GitHistory } from '../ports/git-history.js';
import type { MetaStore } from '../ports/meta-store.js';
import type { StandardsRepo } from '../ports/standards-repo.js';

/** The spec's StandardMetadata, one per standard file. */
export interface StandardMetadata {
  /** Relative to the standards directory, e.g. `architecture/api-conventions.md`. */
  file_path: string;
  domain: string;
  topic: string;
  title: string;
  /** Front matter `created_by` (the persona that proposed it), or null. */
  created_by: string | null;
  /** Front matter `approved_by`, else who merged it into the default branch (git, `Name <email>`), or null. */
  approved_by: string | null;
  /** ISO date of the first commit (else front matter `created_at`, else the file's mtime). */
  created_at: string;
  /** ISO date of the last commit (the mtime when the file has uncommitted changes or none). */
  last_updated: string;
  /** How often search returned it. */
  query_count: number;
  last_queried_at: string | null;
  tags: string[];
  /** Where the dates come from. */
  dates_from: 'git' | 'file';
  warnings: string[];
}

/** Ports `listStandards` reads from. */
export interface ListStandardsDeps {
  repo: StandardsRepo;
  /** Only `usage()` is read. */
  meta: Pick<MetaStore, 'usage'>;
  history: GitHistory;
  files: Pick<Files, 'stat'>;
}

/** Optional filter. */
export interface ListStandardsInput {
  domain?: string;
}

/** Every standard with its metadata: front matter, git dates and approvers, usage counts. Sorted by path. */
export async function listStandards(deps: ListStandardsDeps, input: ListStandardsInput = {}): Promise<StandardMetadata[]> {
  const { repo } = deps;
  if (!(await repo.exists())) {
    throw new AgentOsError('NOT_INITIALIZED', `No standards directory at ${repo.dir}.`, {
      hint: 'Run `agent-os init` to create it, or pass --root to point at your project.',
    });
  }
  const [entries, { history, modified }] = await Promise.all([repo.list(), deps.history.filesBelow(repo.dir)]);
  const usage = new Map(deps.meta.usage().map((u) => [u.file, u]));
  const out: StandardMetadata[] = [];
  for (const entry of entries) {
    const dt = domainAndTopic(entry.file);
    if (!dt || (input.domain && dt.domain !== input.domain)) continue;
    const warnings: string[] = [];
    let fm: Record<string, unknown> = {};
    let title = dt.topic;
    let tags: string[] = [];
    try {
      const bytes = await repo.read(entry.file);
      const decoded = decodeStandard(bytes);
      if ('reason' in decoded) warnings.push(decoded.reason);
      else {
        if (decoded.warning) warnings.push(decoded.warning);
        const parsed = parseStandard(entry.file, decoded.text, sha256(bytes));
        fm = parsed.doc.frontMatter;
        title = parsed.doc.title;
        tags = parsed.doc.frontMatter.tags;
        warnings.push(...parsed.warnings);
      }
    } catch (e) {
      warnings.push(`unreadable: ${messageOf(e)}`);
    }
    const st = await deps.files.stat(path.join(repo.dir, ...entry.file.split('/')));
    const mtime = new Date(st?.mtimeMs ?? 0).toISOString();
    const git = history.get(entry.file);
    const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const u = usage.get(entry.file);
    out.push({
      file_path: entry.file,
      domain: dt.domain,
      topic: dt.topic,
      title,
      created_by: str(fm['created_by']),
      approved_by: str(fm['approved_by']) ?? git?.approvedBy ?? null,
      created_at: git?.createdAt ?? str(fm['created_at']) ?? mtime,
      last_updated: git && !modified.has(entry.file) ? git.lastUpdated : mtime,
      query_count: u?.queryCount ?? 0,
      last_queried_at: u?.lastQueriedAt ?? null,
      tags,
      dates_from: git ? 'git' : 'file',
      warnings,
    });
  }
  return out;
}
