/**
 * What a persona was handed to look at, read from its context: a diff (files, added and removed
 * lines), code without a diff (fenced snippets, or the whole context when it reads as code), or prose.
 * Pure; the context is hostile data and is only ever read.
 */
import { addedLines, parseUnifiedDiff, type DiffFile, type DiffStatus } from './diff.js';

export interface NumberedLine {
  /** Line number in the new file; for a snippet, within the snippet. */
  line: number;
  text: string;
}

export interface ChangedFile {
  /** Project path; '' for a snippet or bare hunks that name no file. */
  path: string;
  oldPath: string | null;
  status: DiffStatus | 'snippet';
  binary: boolean;
  /** Added lines (every line of a snippet). */
  added: NumberedLine[];
  /** Deleted lines, numbered in the old file. */
  removed: NumberedLine[];
  /** Language from the file name or a code fence's tag, when known. */
  language: string | null;
}

export interface Change {
  kind: 'diff' | 'code' | 'prose' | 'none';
  files: ChangedFile[];
  /** The context's prose (outside the diff and code), whitespace collapsed. */
  prose: string;
}

/** Lines of one changed file read for signals; the rest of a huge file adds little but cost. */
export const MAX_LINES_PER_FILE = 400;
const MAX_PROSE_CHARS = 2000;
const MAX_JUDGED_CHARS = 400;

const LANGUAGES: ReadonlyArray<[RegExp, string]> = [
  [/\.(ts|tsx|mts|cts)$/i, 'typescript'],
  [/\.(js|jsx|mjs|cjs)$/i, 'javascript'],
  [/\.py$/i, 'python'],
  [/\.go$/i, 'go'],
  [/\.(sh|bash|zsh|ksh)$/i, 'shell'],
  [/\.java$/i, 'java'],
  [/\.(kt|kts)$/i, 'kotlin'],
  [/\.rb$/i, 'ruby'],
  [/\.php$/i, 'php'],
  [/\.cs$/i, 'csharp'],
  [/\.(c|h|cc|cpp|hpp)$/i, 'c'],
  [/\.rs$/i, 'rust'],
  [/\.swift$/i, 'swift'],
  [/\.sql$/i, 'sql'],
  [/\.(html?|vue|svelte|ejs|hbs|jinja2?|erb)$/i, 'html'],
  [/\.(ya?ml)$/i, 'yaml'],
  [/\.json$/i, 'json'],
  [/\.(tf|hcl)$/i, 'terraform'],
  [/\.(md|markdown|rst|txt)$/i, 'text'],
  [/(^|\/)Dockerfile(\.[\w-]+)?$|\.dockerfile$/i, 'dockerfile'],
  [/(^|\/)(Makefile|GNUmakefile)$/, 'make'],
];

const FENCE_TAGS: Readonly<Record<string, string>> = {
  ts: 'typescript', typescript: 'typescript', tsx: 'typescript', js: 'javascript', javascript: 'javascript', jsx: 'javascript', node: 'javascript',
  py: 'python', python: 'python', python3: 'python', go: 'go', golang: 'go', sh: 'shell', bash: 'shell', shell: 'shell', zsh: 'shell', console: 'shell',
  java: 'java', kotlin: 'kotlin', kt: 'kotlin', rb: 'ruby', ruby: 'ruby', php: 'php', cs: 'csharp', csharp: 'csharp', c: 'c', cpp: 'c', rust: 'rust', rs: 'rust',
  sql: 'sql', html: 'html', yaml: 'yaml', yml: 'yaml', json: 'json', dockerfile: 'dockerfile', docker: 'dockerfile', hcl: 'terraform', terraform: 'terraform',
};

export function languageOf(path: string): string | null {
  for (const [re, lang] of LANGUAGES) if (re.test(path)) return lang;
  return null;
}

function fromDiffFile(f: DiffFile): ChangedFile {
  const removed = f.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'del').map((l) => ({ line: l.oldLine!, text: l.text })));
  return {
    path: f.path,
    oldPath: f.oldPath,
    status: f.status,
    binary: f.binary,
    added: addedLines(f).slice(0, MAX_LINES_PER_FILE),
    removed: removed.slice(0, MAX_LINES_PER_FILE),
    language: languageOf(f.path),
  };
}

/** Changed files from an already parsed diff (e.g. a pull request's patches). */
export function changedFilesOf(files: readonly DiffFile[]): ChangedFile[] {
  return files.map(fromDiffFile);
}

const CODE_LINE =
  /[;{}]\s*$|^\s*(import|from|export|def|class|function|const|let|var|return|if|for|while|package|func|public|private|protected|#include|using|SELECT|INSERT|UPDATE|FROM|RUN|ENV|COPY)\b|^\s*[\w.$[\]'"]+\s*(=|\+=|:=)\s*\S|\w\([^)]*\)\s*;?\s*$|^\s*[@#]\w|^\s*<\/?[a-z][\w-]*[\s>]|^\s*[\w-]+:\s/;

/** Whether text reads as code rather than prose: most of its lines look like statements or config. */
export function looksLikeCode(text: string): boolean {
  // Long lines are judged by their start: enough to tell, and the patterns stay linear.
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (l.length > MAX_JUDGED_CHARS ? l.slice(0, MAX_JUDGED_CHARS) : l));
  if (lines.length === 0) return false;
  const code = lines.filter((l) => CODE_LINE.test(l)).length;
  const sentences = lines.filter((l) => /^[A-Z][^;{}=()]*[a-z][.!?]$/.test(l.trim()) && l.trim().split(/\s+/).length >= 5).length;
  return code / lines.length >= 0.4 && sentences / lines.length < 0.5;
}

function snippet(text: string, language: string | null): ChangedFile {
  const added = text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.replace(/\r$/, '') }))
    .filter((l) => l.text.trim() !== '')
    .slice(0, MAX_LINES_PER_FILE);
  return { path: '', oldPath: null, status: 'snippet', binary: false, added, removed: [], language };
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_PROSE_CHARS);
}

/** Fenced code blocks, line by line (a regular expression would rescan the text from every unclosed fence). */
function splitFences(text: string): { blocks: Array<{ tag: string; body: string }>; prose: string } {
  const blocks: Array<{ tag: string; body: string }> = [];
  const prose: string[] = [];
  let open: { fence: string; tag: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})[ \t]*([\w+#.-]*)/.exec(line);
    if (open === null) {
      if (m && !(m[1]![0] === '`' && line.slice(line.indexOf(m[1]!) + m[1]!.length).includes('`'))) open = { fence: m[1]!, tag: m[2] ?? '', lines: [] };
      else prose.push(line);
    } else if (m && m[1]![0] === open.fence[0] && m[1]!.length >= open.fence.length && line.trim() === m[1]) {
      blocks.push({ tag: open.tag, body: open.lines.join('\n') });
      open = null;
    } else {
      open.lines.push(line);
    }
  }
  // An unclosed fence runs to the end of the text, as in Markdown.
  if (open) blocks.push({ tag: open.tag, body: open.lines.join('\n') });
  return { blocks, prose: prose.join('\n') };
}

/**
 * Reads a persona's context: a unified diff when it holds one (the prose around it kept), otherwise
 * its fenced code blocks as snippets, otherwise the whole text as one snippet when it reads as code,
 * or as prose.
 */
export function readChange(context: string | null | undefined): Change {
  const text = (context ?? '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') return { kind: 'none', files: [], prose: '' };
  const diff = parseUnifiedDiff(text);
  if (diff.files.length > 0) {
    const prose = diff.rest.replace(/^ {0,3}(`{3,}|~{3,}).*$/gm, ' ');
    return { kind: 'diff', files: diff.files.map(fromDiffFile), prose: collapse(prose) };
  }
  const { blocks, prose } = splitFences(text);
  const files = blocks.filter((b) => b.body.trim()).map((b) => snippet(b.body, FENCE_TAGS[b.tag.toLowerCase()] ?? null));
  if (files.length > 0) return { kind: 'code', files, prose: collapse(prose) };
  if (looksLikeCode(text)) return { kind: 'code', files: [snippet(text, null)], prose: '' };
  return { kind: 'prose', files: [], prose: collapse(text) };
}
