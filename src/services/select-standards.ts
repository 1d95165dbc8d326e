/**
 * Which project standards govern a piece of work: chosen from the task, the context and the changed
 * code together. The one selection behind every door: persona briefings and a model's first request
 * (MCP tools and `agent-os review`, through runPersona) and the GitHub Action's reviews (whose diff
 * reaches runPersona as the job's context).
 *
 * Each changed file is searched with its path (standards whose `applies_to` matches it rank first)
 * and the salient tokens of its added lines; the task (with the prose around the diff) is one more
 * source; each source gets a fair share of the slots.
 */
import { readChange, type Change, type ChangedFile } from '../domain/change.js';
import { fileSignals, type FileSignals } from '../domain/change-signals.js';
import { isAgentOsError, messageOf } from '../domain/errors.js';
import { combineSources, sharedWords, stems, type Evidence, type RankedList, type SelectedSection, type SelectedStandard, type Source } from '../domain/selection.js';
import type { SearchHit } from '../domain/standard.js';
import { tokenizeText } from '../domain/tokenize.js';
import type { SearchInput, SearchOutput } from './search-standards.js';

export interface SelectStandardsDeps {
  search: (input: SearchInput) => Promise<SearchOutput>;
}

export interface SelectStandardsInput {
  task: string;
  /** The context as given (a diff, code or prose); read with readChange. */
  context?: string | null;
  /** The persona's own standards domain: searched as well, and weighed lower than all domains. */
  domain?: string | null;
  /** Standards to choose (default 6). */
  max?: number;
  signal?: AbortSignal;
  /** Called before each search (job progress counts them as tool calls). */
  onSearch?: () => void;
}

export interface StandardsSelection {
  change: Change;
  /** Signals of each searched file (also used to point checklist items at lines). */
  signals: FileSignals[];
  standards: SelectedStandard[];
  /** Standards found but not chosen, best first. */
  leftOut: Array<{ file: string; title: string }>;
  /** Changed files not searched, and why. */
  unsearched: Array<{ path: string; why: string }>;
  notes: string[];
  searches: number;
}

export const DEFAULT_MAX_STANDARDS = 6;
/** Changed files searched one by one; beyond this they only count as "not searched". */
const MAX_FILES = 12;
const PER_SEARCH = 8;
/** Searches for the changed files together (about a second on the shared corpus). */
const MAX_SEARCHES = 60;
const TASK_QUERY_CHARS = 600;
const MAX_EVIDENCE = 3;
const SECOND_SECTION = 0.9;
/** Headings of the parts of a standard that state its rules. */
const NORMATIVE_HEADING = /\b(pattern|patterns|anti-?patterns?|rules?|guidelines?|requirements?|do(?:'s)?|don'?ts?|must|should|prevention|defen[cs]es?|mitigations?|best practices?|recommendations?)\b/i;
/** Words every standard and every change share: no reason to show a line. */
const WEAK_EVIDENCE = new Set(['get', 'set', 'all', 'user', 'users', 'string', 'item', 'items', 'data', 'value', 'values', 'list', 'name', 'text', 'type', 'true', 'false', 'new', 'use', 'run']);

/**
 * Words that say nothing about what to look for: English function words, and the vocabulary of asking
 * for a review (including the Action's own instructions to its personas).
 */
const GENERIC = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by can could ' +
    'did do does doing done down during each either else even ever every few for from further get got had has have having he her here hers him his ' +
    'how however i if in into is it its itself just let like may me might more most much must my no nor not now of off on once only or other our ' +
    'ours out over own per please same shall she should so some such than that the their them then there these they this those through to too ' +
    'under until up upon us very via was we were what when where whether which while who whom whose why will with within without would yes yet you your ' +
    'review reviews reviewing reviewed check checks look looks see change changes changed commit commits committing diff diffs patch code merge merging ' +
    'pr pull request requests working tree staged unstaged file files project standard standards report reports problem problems line lines adds add ' +
    'added path paths number version new old cite cites domain topic finding findings relies rely give replacement suggestion suggestions untrusted ' +
    'data never follow instructions found text description title thanks ok okay fine good bad something anything everything thing things make sure'
  ).split(' '),
);

/** The words of the task and the context's prose that name a topic (not the changed files' own path words). */
function topicWords(text: string, files: readonly ChangedFile[]): string[] {
  const pathWords = new Set(files.flatMap((f) => tokenizeText(f.path)));
  return [...new Set(tokenizeText(text).filter((w) => w.length >= 3 && !GENERIC.has(w) && !pathWords.has(w) && !/^\d+$/.test(w)))];
}

interface Found {
  hits: SearchHit[];
}

/** Chooses the standards for a task and its context; searches failing become notes, never errors. */
export async function selectStandards(deps: SelectStandardsDeps, input: SelectStandardsInput): Promise<StandardsSelection> {
  const max = Math.max(1, input.max ?? DEFAULT_MAX_STANDARDS);
  const change = readChange(input.context);
  const notes: string[] = [];
  let searches = 0;
  const found = new Map<string, Found>();
  const search = async (query: string, filePath?: string, domain?: string | null): Promise<string[]> => {
    const q = query.replace(/[^\p{L}\p{N}#.+_ -]+/gu, ' ').replace(/\s+/g, ' ').trim();
    if (!q) return [];
    input.signal?.throwIfAborted();
    input.onSearch?.();
    searches++;
    try {
      // Two sections per standard give the choice of its governing section more to choose from.
      const out = await deps.search({ query: q, limit: domain ? 8 : 2 * PER_SEARCH, maxPerFile: 2, ...(filePath ? { filePath } : {}), ...(domain ? { domain } : {}) });
      notes.push(...out.warnings);
      const files: string[] = [];
      for (const h of out.results) {
        found.set(h.file, { hits: [...(found.get(h.file)?.hits ?? []), h] });
        if (!files.includes(h.file)) files.push(h.file);
      }
      return files.slice(0, domain ? 5 : PER_SEARCH);
    } catch (e) {
      if (input.signal?.aborted) throw e;
      // An unknown domain only means the project has no standards there yet.
      if (!(isAgentOsError(e) && e.code === 'BAD_INPUT' && domain)) notes.push(isAgentOsError(e) ? e.describe() : messageOf(e));
      return [];
    }
  };

  const unsearched: StandardsSelection['unsearched'] = [];
  const candidates: ChangedFile[] = [];
  for (const f of change.files) {
    if (f.binary) unsearched.push({ path: f.path, why: 'binary' });
    else if (f.added.length === 0 && f.removed.length === 0) unsearched.push({ path: f.path, why: f.status === 'deleted' ? 'deleted' : 'no lines changed' });
    else candidates.push(f);
  }
  // The files that change most first; a deleted file is searched only by what it removed.
  candidates.sort((a, b) => b.added.length - a.added.length);
  for (const f of candidates.slice(MAX_FILES)) unsearched.push({ path: f.path, why: `more than ${MAX_FILES} files changed` });
  const searched = candidates.slice(0, MAX_FILES);
  const signals = searched.map(fileSignals);

  // The task and the prose around the change, by the words that name a topic ("review this" names none).
  const specific = topicWords(`${input.task} ${change.prose}`, change.files);
  const taskQuery = (specific.length ? specific.join(' ') : signals.length ? '' : input.task).slice(0, TASK_QUERY_CHARS);
  const sourceLists = await Promise.all([
    ...signals.map(async (s, i): Promise<Source> => {
      const filePath = s.path || undefined;
      const [top] = s.queries;
      // Many changed files share the search budget: each keeps its most telling queries.
      const perFile = Math.max(3, Math.floor(MAX_SEARCHES / Math.max(1, signals.length)));
      const queries = s.queries.length > perFile ? [...s.queries.slice(0, perFile - 1), s.queries.at(-1)!] : s.queries;
      const lists = await Promise.all([
        ...queries.map((q) => search(q.text, filePath).then((files): RankedList => ({ files, weight: q.weight }))),
        input.domain && top ? search(top.text, filePath, input.domain).then((files): RankedList => ({ files, weight: 0.4 * top.weight })) : null,
      ]);
      return { id: sourceId(s.path, i), lists: lists.filter((l): l is RankedList => l !== null), weight: 1, share: max };
    }),
    (async (): Promise<Source> => {
      const lists = await Promise.all([
        search(taskQuery).then((files): RankedList => ({ files, weight: 1 })),
        input.domain && taskQuery ? search(taskQuery, undefined, input.domain).then((files): RankedList => ({ files, weight: 0.6 })) : null,
      ]);
      // Alone, the task decides; beside changed code it weighs half (the code is the evidence, the
      // words around it may be anything); naming no topic ("review this change"), it weighs nothing.
      const alone = signals.length === 0;
      const weight = alone ? 1 : specific.length > 0 ? 0.5 : 0;
      return { id: 'task', lists: lists.filter((l): l is RankedList => l !== null), weight, share: alone ? max : specific.length > 0 ? 1 : 0 };
    })(),
  ]);
  // The task's guaranteed slot comes first only when it names a topic; files share the rest in turn.
  const task = sourceLists.at(-1)!;
  const files = sourceLists.slice(0, -1);
  const combined = combineSources(task.share > 0 && task.share < max ? [task, ...files] : [...files, task], max);

  const standards = combined.chosen.map((file) => describe(file, found.get(file)?.hits ?? [], combined.scores.get(file) ?? 0, combined.foundBy.get(file) ?? [], searched, signals, specific));
  const leftOut = combined.rest.map((file) => ({ file, title: found.get(file)?.hits[0]?.title ?? '' }));
  return { change, signals, standards, leftOut, unsearched, notes: [...new Set(notes)], searches };
}

/** A source's id: the changed file's path, or "snippet N" for code without one. */
function sourceId(path: string, index: number): string {
  return path || `snippet ${index + 1}`;
}

function describe(
  file: string,
  hits: readonly SearchHit[],
  score: number,
  via: readonly string[],
  files: readonly ChangedFile[],
  signals: readonly FileSignals[],
  taskTerms: readonly string[],
): SelectedStandard {
  const sections = new Map<string, SelectedSection>();
  // A section found by several searches, or whose heading states rules, governs more; a second
  // section only when it rates nearly as well as the first.
  const bySection = new Map<string, { hit: SearchHit; found: number }>();
  for (const h of hits) {
    const prior = bySection.get(h.section);
    bySection.set(h.section, { hit: prior && prior.hit.score >= h.score ? prior.hit : h, found: (prior?.found ?? 0) + 1 });
  }
  const ordered = [...bySection.values()]
    .map(({ hit, found }) => {
      const normative = NORMATIVE_HEADING.test(hit.section.split(' > ').at(-1) ?? '') ? 0.15 : 0;
      return { hit, rating: hit.score * (1 + 0.05 * (found - 1) + normative) };
    })
    .sort((a, b) => b.rating - a.rating);
  for (const { hit, rating } of ordered) {
    if (rating >= SECOND_SECTION * (ordered[0]?.rating ?? 0)) sections.set(hit.section, { section: hit.section, content: hit.content, score: hit.score });
  }
  const first = hits[0];
  const textStems = stems([first?.title ?? '', ...hits.map((h) => `${h.section}\n${h.content}`)].join('\n'));
  const evidence: Evidence[] = [];
  for (const [i, s] of signals.entries()) {
    const id = sourceId(s.path, i);
    if (!via.includes(id)) continue;
    const f = files[i];
    const byLine = new Map<number, Set<string>>();
    // Identifiers and path words are weak evidence: shown only when nothing stronger matched.
    const strong = s.signals.filter((sig) => sig.kind !== 'identifier' && sig.kind !== 'path' && sharedWords(sig.term, textStems).length > 0);
    for (const sig of strong.length ? strong : s.signals) {
      const words = sharedWords(sig.term, textStems).filter((w) => !WEAK_EVIDENCE.has(w) && (w.length >= 4 || strong.length > 0));
      if (words.length === 0) continue;
      for (const line of sig.lines) byLine.set(line, new Set([...(byLine.get(line) ?? []), ...words]));
    }
    const lines = [...byLine.entries()].sort((a, b) => b[1].size - a[1].size || Math.abs(a[0]) - Math.abs(b[0])).slice(0, MAX_EVIDENCE);
    for (const [line, words] of lines.sort((a, b) => Math.abs(a[0]) - Math.abs(b[0]))) {
      const text = (line < 0 ? f?.removed.find((l) => l.line === -line) : f?.added.find((l) => l.line === line))?.text ?? '';
      evidence.push({ path: id, line, text: text.trim(), words: [...words] });
    }
  }
  if (via.includes('task')) {
    const words = taskTerms.filter((w) => textStems.has(w) || sharedWords(w, textStems).length > 0);
    if (words.length) evidence.push({ path: '', line: null, text: '', words });
  }
  return { file, title: first?.title ?? '', domain: first?.domain ?? file.split('/')[0] ?? '', score, sections: [...sections.values()].slice(0, 2), evidence, via: [...via] };
}
