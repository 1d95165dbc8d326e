/**
 * The briefing a persona hands back without a model: its checklist, pointed at the changed lines each
 * item concerns, and the standards chosen for the change, each with the changed lines that matched it
 * and its governing sections, all within a character budget that says what it left out. The same
 * standards block seeds a model's first request. Pure.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { List, Nodes, RootContent } from 'mdast';

import type { ChangedFile } from './change.js';
import type { FileSignals } from './change-signals.js';
import { plainText } from './markdown-sections.js';
import { sharedWords, stem, stems, type SelectedStandard } from './selection.js';
import { tokenizeText } from './tokenize.js';

export interface ChecklistItem {
  text: string;
  /** `path:line` references of the change this item concerns. */
  appliesTo: string[];
}

export interface BriefingView {
  personaName: string;
  task: string;
  changeKind: 'diff' | 'code' | 'prose' | 'none';
  files: ReadonlyArray<Pick<ChangedFile, 'path' | 'oldPath' | 'status' | 'binary'> & { added: number; removed: number }>;
  checklist: readonly ChecklistItem[];
  standards: readonly SelectedStandard[];
  /** Found but not chosen. */
  leftOut: ReadonlyArray<{ file: string; title: string }>;
  unsearched: ReadonlyArray<{ path: string; why: string }>;
  notes: readonly string[];
  budgetChars: number;
}

const FOOTER = [
  '## Configure a model',
  '',
  'To have the persona run the review itself, set `AGENT_OS_MODEL` (e.g. `gpt-4o-mini`, or `llama3.1` for Ollama), `OPENAI_API_KEY` (not needed by most local servers) and, for anything but OpenAI, `OPENAI_BASE_URL` (e.g. `http://localhost:11434/v1`), then restart agent-os. `agent-os doctor` checks the setup.',
].join('\n');

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, Math.max(0, max - 1))}…`;
}

/** A code span that holds any text (backticks inside are matched by a longer fence). */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** `path:line` of a changed line; removed lines (negative) as `path (removed line N)`. */
export function lineRef(path: string, line: number | null): string {
  const p = path || 'snippet';
  if (line === null) return p;
  return line < 0 ? `${p} (removed line ${-line})` : `${p}:${line}`;
}

// ---------------------------------------------------------------------------------------------
// Checklist

const WORD = /[a-z0-9]{3,}/g;
const STOP = new Set(['the', 'and', 'for', 'with', 'this', 'that', 'are', 'from', 'into', 'what', 'does', 'how', 'review', 'check']);

function taskWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(WORD) ?? []).filter((w) => !STOP.has(w)).map((w) => w.replace(/(ing|ed|es|s)$/, '')));
}

/** Words too general to tie a checklist item to a line ("is every file…"). */
const VAGUE = new Set(['file', 'files', 'code', 'call', 'calls', 'data', 'each', 'every', 'change', 'changed', 'test', 'tests', 'used', 'case', 'cases', 'path', 'paths', 'place', 'value', 'values']);

/** For each checklist item, the changed lines whose signals share a telling word with it (at most 3). */
export function checklistRefs(items: readonly string[], signals: readonly FileSignals[]): ChecklistItem[] {
  return items.map((text) => {
    const itemStems = stems(text);
    const itemWords = new Set(tokenizeText(text));
    const refs: string[] = [];
    for (const s of signals) {
      for (const sig of s.signals) {
        if (sig.kind === 'identifier' || sig.kind === 'path') continue;
        // Short stems meet by accident ("backing" and "back"): those must match as whole words.
        const words = sharedWords(sig.term, itemStems).filter((w) => !VAGUE.has(w) && w.length >= 3 && (stem(w).length >= 5 || itemWords.has(w)));
        if (words.length === 0) continue;
        for (const line of sig.lines.slice(0, 2)) {
          const ref = lineRef(s.path, line);
          if (!refs.includes(ref)) refs.push(ref);
        }
      }
    }
    return { text, appliesTo: refs.slice(0, 3) };
  });
}

/**
 * The persona's checklist for a task: the bullets of its Checklist section (else Scope or Expertise),
 * those sharing words with the task or concerning the change first, plus the review template's
 * output sections.
 */
export function deriveChecklist(systemPrompt: string, task: string, max = 12, concerns: (item: string) => number = () => 0): string[] {
  const prompt = readPrompt(systemPrompt);
  const items = prompt.checklist.length ? prompt.checklist : prompt.scope;
  const words = taskWords(task);
  const scored = items.map((text, i) => {
    let overlap = 0;
    for (const w of taskWords(text)) if (words.has(w)) overlap++;
    return { text, i, overlap: overlap + concerns(text) };
  });
  scored.sort((a, b) => b.overlap - a.overlap || a.i - b.i);
  const out = scored.slice(0, max).map((s) => s.text);
  const headings = prompt.template;
  if (headings.length) out.push(`Report as ${headings.map((h) => `**${h}**`).join(', ')}, citing each standard as \`domain/topic.md\`.`);
  if (out.length === 0) {
    out.push(
      'Search the project standards for each topic the task touches.',
      'Check each changed file against the standards found; note the location (path:line) of every deviation.',
      'Give each finding a severity and the standard it relies on (`domain/topic.md`).',
      'Look for hardcoded secrets (keys, tokens, passwords); report their location, never their value.',
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading Markdown (mdast): code blocks and headings are told apart from text by the parser, never by
// matching lines, so a fence inside a list, a ~~~ block holding ``` or a `#` inside a code block is
// read as what it is.

/** What a persona's prompt offers a checklist: the bullets of its Checklist and of its Scope (or like) sections, and its report sections. */
const readPrompt = (systemPrompt: string): { checklist: string[]; scope: string[]; template: string[] } => {
  const sections = markdownSections(systemPrompt);
  const pick = (re: RegExp): string[] => sections.filter((s) => re.test(s.heading)).flatMap((s) => bullets(systemPrompt, s.nodes));
  const template = sections.find((s) => /review template|output format|report format/i.test(s.heading));
  return { checklist: pick(/checklist/i), scope: pick(/scope|expertise|focus|responsibilit/i), template: template ? templateHeadings(template.nodes) : [] };
};

/** The sections of a prompt: each root-level heading of depth 1 to 3 with the nodes below it (deeper headings included). */
function markdownSections(text: string): { heading: string; nodes: RootContent[] }[] {
  const out: { heading: string; nodes: RootContent[] }[] = [];
  for (const node of fromMarkdown(text).children) {
    if (node.type === 'heading' && node.depth <= 3) out.push({ heading: plainText(node).trim(), nodes: [] });
    else out.at(-1)?.nodes.push(node);
  }
  return out;
}

/** The first line of each list item in `nodes` (nested items too, in document order), as written in `source`. */
function bullets(source: string, nodes: readonly RootContent[]): string[] {
  const out: string[] = [];
  const visit = (list: List): void => {
    for (const item of list.children) {
      const start = item.children[0]?.position?.start.offset;
      if (start !== undefined) {
        const end = source.indexOf('\n', start);
        const line = source.slice(start, end < 0 ? undefined : end).trim();
        if (line) out.push(line);
      }
      for (const child of item.children) if (child.type === 'list') visit(child);
    }
  };
  for (const node of nodes) if (node.type === 'list') visit(node);
  return out;
}

/** Headings of depth 2 to 4 in a template section, also inside its code blocks (a template is often shown as one). */
function templateHeadings(nodes: readonly RootContent[]): string[] {
  const headings = (list: readonly RootContent[], inBlock: boolean): string[] =>
    list.flatMap((n) => {
      if (n.type === 'heading') return n.depth >= 2 && n.depth <= 4 ? [plainText(n).trim()].filter(Boolean) : [];
      // A code block inside the template shown as a code block is the template's own example code.
      return n.type === 'code' && !inBlock ? headings(fromMarkdown(n.value).children, true) : [];
    });
  return headings(nodes, false);
}

/**
 * The lines of an excerpt as the parser reads them: prose (outside code blocks, root-level headings and
 * thematic breaks) and the lines of its code blocks, each trimmed.
 */
function excerptLines(content: string): { prose: string[]; code: string[] } {
  const skip = new Set<number>();
  const code: string[] = [];
  // `first`: the line of `content` on which `text` starts.
  const read = (text: string, first: number): void => {
    const mark = (node: Nodes): void => {
      for (let l = node.position?.start.line ?? 1; l <= (node.position?.end.line ?? 0); l++) skip.add(first + l - 1);
    };
    const visit = (node: Nodes, root: boolean): void => {
      if (node.type === 'code') {
        const opening = text[node.position?.start.offset ?? -1];
        if (opening === '`' || opening === '~') {
          mark(node);
          code.push(...node.value.split(/\r\n?|\n/));
        } else {
          // An excerpt is cut from a standard and its first line loses its indentation, so an indented
          // block is most often the rest of a list item, not code: read it as Markdown (its fences too).
          read(node.value, first + (node.position?.start.line ?? 1) - 1);
        }
      } else if ((node.type === 'heading' && root) || node.type === 'thematicBreak') {
        mark(node);
      } else if ('children' in node) {
        for (const child of node.children as Nodes[]) visit(child, false);
      }
    };
    for (const node of fromMarkdown(text).children) visit(node, true);
  };
  read(content, 1);
  const prose = content.split(/\r\n?|\n/).filter((_, i) => !skip.has(i + 1));
  return { prose: prose.map((l) => l.trim()), code: code.map((l) => l.trim()) };
}

/** Table rules say nothing, and a `#` line outside a heading is a code comment or a tag, not a rule. */
function telling(line: string): boolean {
  return line !== '' && !line.startsWith('#') && !/^\|?[\s:|-]+\|?$/.test(line);
}

// An excerpt's first line lost its indentation, so a nested item may read as paragraph text to the
// parser: whether a line is a list item is told by its own marker.
const ITEM = /^([-*+]|\d+[.)])\s+/;

/** All candidate rule lines of an excerpt, best kind first (see keyLines), unclipped. */
const ruleLines = (content: string): string[] => {
  const lines = excerptLines(content);
  const prose = lines.prose.filter(telling);
  const normative = prose.filter((l) => ITEM.test(l) || /\b(must|should|never|always|do not|don't|required|avoid|prefer)\b/i.test(l));
  const chosen = normative.length ? normative : prose.length ? prose : lines.code.filter(telling);
  return chosen.map((l) => l.replace(ITEM, ''));
};

/**
 * The normative lines of a standard's excerpt (bullets, MUST/SHOULD/never...) outside code blocks,
 * else its first prose lines, else its first lines of code.
 */
export function keyLines(content: string, max = 5, width = 220): string[] {
  return ruleLines(content)
    .slice(0, max)
    .map((l) => clip(l, width));
}

// ---------------------------------------------------------------------------------------------
// Standards block

/** How much of a standard to show, from most to least. */
const LEVELS: ReadonlyArray<{ sections: number; lines: number; evidence: number; width: number }> = [
  { sections: 2, lines: 5, evidence: 3, width: 220 },
  { sections: 2, lines: 3, evidence: 2, width: 180 },
  { sections: 1, lines: 3, evidence: 2, width: 160 },
  { sections: 1, lines: 2, evidence: 1, width: 140 },
  { sections: 1, lines: 1, evidence: 1, width: 120 },
];

function renderStandard(s: SelectedStandard, level: (typeof LEVELS)[number]): string {
  const out = [`### \`${s.file}\`${s.title ? `: ${clip(s.title, 100)}` : ''}`, ''];
  const why = s.evidence.slice(0, level.evidence).map((e) => {
    const words = e.words.slice(0, 6).join(', ');
    if (e.line === null && !e.path) return `- the task (${words})`;
    return `- ${codeSpan(lineRef(e.path, e.line))}${e.text ? ` ${codeSpan(clip(e.text, 90))}` : ''} — ${words}`;
  });
  if (why.length) out.push('Matched in the change:', ...why, '');
  for (const sec of s.sections.slice(0, level.sections)) {
    out.push(`*${clip(sec.section || s.title || s.file, 120)}* (relevance ${sec.score})`, '');
    for (const l of keyLines(sec.content, level.lines, level.width)) out.push(`- ${l}`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * The standards, in order, each at the most detail its share of `budget` allows (unused share passes
 * to the next); a standard that does not fit even at the least detail is left out and named.
 */
export function renderStandards(standards: readonly SelectedStandard[], budget: number): { text: string; omitted: SelectedStandard[] } {
  const parts: string[] = [];
  const omitted: SelectedStandard[] = [];
  let left = budget;
  standards.forEach((s, i) => {
    const share = left / (standards.length - i);
    let text: string | null = null;
    for (const level of LEVELS) {
      const t = renderStandard(s, level);
      if (t.length + 1 <= share || (level === LEVELS.at(-1) && t.length + 1 <= left)) {
        text = t;
        break;
      }
    }
    if (text === null) omitted.push(s);
    else {
      parts.push(text);
      left -= text.length + 1;
    }
  });
  return { text: parts.join('\n'), omitted };
}

// ---------------------------------------------------------------------------------------------
// Briefing

function changeLine(v: BriefingView): string {
  if (v.changeKind === 'none') return '**Change:** none supplied (the standards come from the task alone).';
  if (v.changeKind === 'prose') return '**Context:** prose (no diff or code); its words joined the task in the search.';
  const shown = v.files.slice(0, 8).map((f) => {
    const name = f.path || 'snippet';
    if (f.binary) return `${codeSpan(name)} (binary)`;
    if (f.status === 'renamed' && f.oldPath) return `${codeSpan(name)} (renamed from ${codeSpan(f.oldPath)}, +${f.added} −${f.removed})`;
    if (f.status === 'deleted') return `${codeSpan(name)} (deleted)`;
    return `${codeSpan(name)} (${f.status === 'snippet' ? `${f.added} lines of code` : `+${f.added} −${f.removed}`})`;
  });
  const more = v.files.length > 8 ? ` and ${v.files.length - 8} more` : '';
  return `**${v.changeKind === 'diff' ? 'Change' : 'Code'}:** ${shown.join(', ')}${more}.`;
}

/** The whole briefing, never longer than `budgetChars`. */
export function renderBriefing(v: BriefingView): string {
  const head = [
    `# ${v.personaName}: briefing`,
    '',
    `> **Briefing mode (no LLM configured).** No model reviewed this. Below are the ${v.personaName}'s checklist and the project standards chosen for the task and the changed code: apply them yourself, and cite the standards you use.`,
    '',
    `**Task:** ${clip(v.task, 300)}`,
    '',
    clip(changeLine(v), 600),
    '',
    '## Checklist',
    '',
    ...v.checklist.map((c) => `- [ ] ${clip(c.text, 240)}${c.appliesTo.length ? ` — see ${c.appliesTo.map(codeSpan).join(', ')}` : ''}`),
    '',
    '## Standards for this change',
    '',
    '',
  ].join('\n');
  const notes = [...new Set(v.notes)].slice(0, 3).map((n) => `- ${clip(n, 240)}`);
  const tail = (omitted: readonly SelectedStandard[]): string => {
    const out: string[] = [];
    const left: string[] = [];
    if (omitted.length) left.push(`- Over the size budget (${v.budgetChars} characters): ${omitted.map((s) => codeSpan(s.file)).join(', ')}.`);
    if (v.leftOut.length) left.push(`- Also matched, less closely: ${v.leftOut.slice(0, 5).map((s) => codeSpan(s.file)).join(', ')}${v.leftOut.length > 5 ? ` and ${v.leftOut.length - 5} more` : ''}.`);
    if (v.unsearched.length) left.push(`- Changed files not searched: ${v.unsearched.slice(0, 5).map((u) => `${codeSpan(u.path || 'snippet')} (${u.why})`).join(', ')}${v.unsearched.length > 5 ? ` and ${v.unsearched.length - 5} more` : ''}.`);
    left.push('- Each standard shows its best-matching sections only: search for more with `search_standards`.');
    out.push('## Left out', '', ...left, '');
    if (notes.length) out.push('## Search notes', '', ...notes, '');
    out.push(FOOTER);
    return out.join('\n');
  };
  let body: string;
  let omitted: SelectedStandard[];
  if (v.standards.length === 0) {
    body = 'No project standard matched this task or change. Say so in your answer, and consider proposing one (`.agent-os/standards/<domain>/<topic>.md`).\n';
    omitted = [];
  } else {
    // The tail's size depends on what is left out: reserve room for every standard being named there.
    const reserve = tail(v.standards).length + 2;
    ({ text: body, omitted } = renderStandards(v.standards, v.budgetChars - head.length - reserve));
  }
  const out = `${head}${body}\n${tail(omitted)}`;
  if (out.length <= v.budgetChars) return out;
  const note = `\n\n… (briefing cut at its budget of ${v.budgetChars} characters)`;
  return `${out.slice(0, Math.max(0, v.budgetChars - note.length))}${note}`;
}
