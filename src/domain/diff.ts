/**
 * Unified diffs as git (and `diff -u`) write them, and GitHub's per-file `patch` (hunks only): the one
 * place agent-os reads diffs. Lines are assigned to hunks by the counts in the `@@` headers, so a
 * deleted line that starts with `--` is never taken for a file header and text after a diff (a closing
 * code fence, prose) is never taken for a change. Pure.
 *
 * The input is hostile data (a pull request, an assistant's paste): nothing here throws on malformed
 * text; what cannot be read as a diff is returned as `rest`.
 */

export type DiffLineKind = 'add' | 'del' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its `+`, `-` or ` ` marker. */
  text: string;
  /** Line number in the old file (del, context) or null. */
  oldLine: number | null;
  /** Line number in the new file (add, context) or null. */
  newLine: number | null;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the closing `@@` (git puts the enclosing function there). */
  heading: string;
  lines: DiffLine[];
}

export type DiffStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

export interface DiffFile {
  /** The path after the change; for a deleted file, its path before. '' when the diff names none (bare hunks). */
  path: string;
  /** The path before, when it differs (renames, copies). */
  oldPath: string | null;
  status: DiffStatus;
  /** Git reported a binary change: no lines. */
  binary: boolean;
  hunks: DiffHunk[];
}

export interface ParsedDiff {
  files: DiffFile[];
  /** The input lines that belong to no file diff (prose around a pasted diff, code fences), joined. */
  rest: string;
}

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/** A git path: "a/x y" quoted with C escapes when it holds special characters. */
function unquote(raw: string): string {
  const s = raw.trim();
  if (!(s.length >= 2 && s.startsWith('"') && s.endsWith('"'))) return s;
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  const body = s.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const ch = String.fromCodePoint(body.codePointAt(i)!);
    if (ch !== '\\') {
      bytes.push(...utf8.encode(ch));
      i += ch.length - 1;
      continue;
    }
    const next = body[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else if (next in simple) {
      bytes.push(simple[next]!);
      i += 1;
    } else {
      bytes.push(92);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const C_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

/**
 * A path as a diff header holds it: C-quoted, as git does, when it has whitespace, a quote, a backslash
 * or a control character, so that a hostile file name (one holding a newline and a hunk, say) stays one
 * name when the diff is read again.
 */
export function quoteDiffPath(path: string): string {
  if (!/[\s"\\\x00-\x1f\x7f]/.test(path)) return path;
  const body = path.replace(/["\\\x00-\x1f\x7f]/g, (c) => C_ESCAPES[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return `"${body}"`;
}

/** The `---`/`+++` lines of one file's diff (null: the file is absent on that side), read back by parseUnifiedDiff. */
export function fileHeader(oldPath: string | null, newPath: string | null): string {
  const from = oldPath === null ? '/dev/null' : quoteDiffPath(`a/${oldPath}`);
  const to = newPath === null ? '/dev/null' : quoteDiffPath(`b/${newPath}`);
  return `--- ${from}\n+++ ${to}`;
}

/** `--- a/x\t2024-01-01 …` → `a/x`; `/dev/null` → null. */
function headerPath(raw: string): string | null {
  let s = raw.trim();
  if (!s.startsWith('"')) s = s.replace(/\t.*$/, '');
  const p = unquote(s);
  return p === '/dev/null' ? null : p;
}

function stripPrefix(p: string | null, prefix: 'a/' | 'b/'): string | null {
  return p !== null && p.startsWith(prefix) ? p.slice(2) : p;
}

/**
 * The two paths of `diff --git a/X b/Y`. For unquoted names with spaces, the split where both halves
 * name the same file; git quotes only the side that needs it, so a rename may pair a quoted name with
 * an unquoted one holding spaces.
 */
function gitHeaderPaths(rest: string): [string, string] | null {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted) return [unquote(quoted[1]!), unquote(quoted[2]!)];
  if (rest.startsWith('a/') && rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (b.startsWith('b/') && a.slice(2) === b.slice(2)) return [a, b];
  }
  const oldQuoted = /^"a\/(?:[^"\\]|\\.)*"(?= b\/)/.exec(rest)?.[0];
  if (oldQuoted) return [unquote(oldQuoted), rest.slice(oldQuoted.length + 1)];
  const quotedAt = rest.lastIndexOf(' "b/');
  if (rest.startsWith('a/') && quotedAt > 0 && /^"(?:[^"\\]|\\.)*"$/.test(rest.slice(quotedAt + 1))) return [rest.slice(0, quotedAt), unquote(rest.slice(quotedAt + 1))];
  const at = rest.indexOf(' b/');
  return at > 0 ? [rest.slice(0, at), rest.slice(at + 1)] : null;
}

/** The two paths of `Binary files A and B differ`, split where the second path starts (paths may hold " and "). */
function binaryPaths(line: string): [string, string] | null {
  if (!line.startsWith('Binary files ') || !line.endsWith(' differ')) return null;
  const middle = line.slice('Binary files '.length, -' differ'.length);
  for (const at of [middle.lastIndexOf(' and b/'), middle.lastIndexOf(' and "b/'), middle.indexOf(' and /dev/null'), middle.indexOf(' and ')]) {
    if (at > 0) return [middle.slice(0, at), middle.slice(at + ' and '.length)];
  }
  return null;
}

function newFile(path: string, oldPath: string | null = null): DiffFile {
  return { path, oldPath, status: 'modified', binary: false, hunks: [] };
}

/** Paths as git prints them lose their `a/` and `b/` prefixes (both sides must carry them: `--no-prefix` diffs do not). */
function settlePaths(file: DiffFile, from: string | null, to: string | null): void {
  const prefixed = (from === null || from.startsWith('a/')) && (to === null || to.startsWith('b/')) && (from !== null || to !== null);
  const oldP = prefixed ? stripPrefix(from, 'a/') : from;
  const newP = prefixed ? stripPrefix(to, 'b/') : to;
  if (oldP === null && newP !== null) file.status = 'added';
  else if (newP === null && oldP !== null) file.status = 'deleted';
  file.path = newP ?? oldP ?? file.path;
  if (oldP !== null && newP !== null && oldP !== newP) {
    file.oldPath = oldP;
    if (file.status === 'modified') file.status = 'renamed';
  }
}

/**
 * Files, hunks and lines of every unified diff in `text`, which may also hold other text (a diff in a
 * Markdown fence, prose around it): that text is `rest`. Handles git's headers for new, deleted,
 * renamed, copied and binary files, quoted paths, CRLF line ends and `\ No newline at end of file`.
 */
export function parseUnifiedDiff(text: string): ParsedDiff {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const files: DiffFile[] = [];
  const rest: string[] = [];
  let file: DiffFile | null = null;
  /** Inside a `diff --git` header (before its first hunk): extended header lines belong to it. */
  let inGitHeader = false;
  let skippingBinaryPatch = false;
  let hunk: DiffHunk | null = null;
  let oldLeft = 0;
  let newLeft = 0;
  let oldNo = 0;
  let newNo = 0;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      const mark = line[0];
      if (mark === '+' && newLeft > 0) {
        hunk.lines.push({ kind: 'add', text: line.slice(1), oldLine: null, newLine: newNo++ });
        newLeft--;
        continue;
      }
      if (mark === '-' && oldLeft > 0) {
        hunk.lines.push({ kind: 'del', text: line.slice(1), oldLine: oldNo++, newLine: null });
        oldLeft--;
        continue;
      }
      if ((mark === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
        // An empty line inside a hunk is a context line whose trailing space was stripped.
        hunk.lines.push({ kind: 'context', text: line.slice(1), oldLine: oldNo++, newLine: newNo++ });
        oldLeft--;
        newLeft--;
        continue;
      }
      if (mark === '\\') continue;
      // The hunk ends early (a hand-edited diff): the line is read afresh below.
      hunk = null;
      oldLeft = newLeft = 0;
    }
    if (line.startsWith('\\') && hunk) continue; // "\ No newline at end of file" after the last line

    if (line.startsWith('diff --git ')) {
      const paths = gitHeaderPaths(line.slice('diff --git '.length));
      file = newFile('');
      if (paths) settlePaths(file, paths[0], paths[1]);
      files.push(file);
      inGitHeader = true;
      skippingBinaryPatch = false;
      hunk = null;
      continue;
    }
    if (skippingBinaryPatch) continue;
    if (file && inGitHeader) {
      const ext = /^(new file mode|deleted file mode|rename from|rename to|copy from|copy to|similarity index|dissimilarity index|index|old mode|new mode) ?(.*)$/.exec(line);
      if (ext) {
        const [, key, value = ''] = ext;
        if (key === 'new file mode') file.status = 'added';
        else if (key === 'deleted file mode') file.status = 'deleted';
        else if (key === 'rename from' || key === 'copy from') {
          file.oldPath = unquote(value);
          file.status = key === 'rename from' ? 'renamed' : 'copied';
        } else if (key === 'rename to' || key === 'copy to') file.path = unquote(value);
        continue;
      }
      if (line === 'GIT binary patch') {
        file.binary = true;
        skippingBinaryPatch = true;
        continue;
      }
    }
    const binary = binaryPaths(line);
    if (binary) {
      if (!(file && inGitHeader)) {
        file = newFile('');
        files.push(file);
        settlePaths(file, headerPath(binary[0]), headerPath(binary[1]));
      }
      file.binary = true;
      inGitHeader = false;
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const from = headerPath(line.slice(4));
      const to = headerPath(lines[i + 1]!.slice(4));
      if (!(file && inGitHeader)) {
        file = newFile('');
        files.push(file);
      }
      const status = file.status;
      settlePaths(file, from, to);
      // git's own header lines (rename, new/deleted mode) are more precise than /dev/null guesses.
      if (status !== 'modified') file.status = status;
      inGitHeader = false;
      i++;
      continue;
    }
    const h = HUNK_RE.exec(line);
    if (h) {
      if (!file) {
        file = newFile('');
        files.push(file);
      }
      inGitHeader = false;
      hunk = {
        oldStart: Number(h[1]),
        oldLines: h[2] === undefined ? 1 : Number(h[2]),
        newStart: Number(h[3]),
        newLines: h[4] === undefined ? 1 : Number(h[4]),
        heading: h[5] ?? '',
        lines: [],
      };
      file.hunks.push(hunk);
      oldLeft = hunk.oldLines;
      newLeft = hunk.newLines;
      oldNo = hunk.oldStart;
      newNo = hunk.newStart;
      continue;
    }
    if (file && inGitHeader && line.trim() === '') continue;
    inGitHeader = false;
    hunk = null;
    rest.push(line);
  }
  return { files, rest: rest.join('\n') };
}

/** The hunks of GitHub's per-file `patch` (no file headers). */
export function parsePatch(patch: string): DiffHunk[] {
  return parseUnifiedDiff(patch).files.flatMap((f) => f.hunks);
}

/** The lines a change adds, with their line numbers in the new file. */
export function addedLines(file: Pick<DiffFile, 'hunks'>): Array<{ line: number; text: string }> {
  return file.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'add').map((l) => ({ line: l.newLine!, text: l.text })));
}

/** Right-side (new file) lines of hunks that accept a review comment: added and context lines. */
export function newSideLines(hunks: readonly DiffHunk[]): Set<number> {
  const out = new Set<number>();
  for (const h of hunks) for (const l of h.lines) if (l.newLine !== null) out.add(l.newLine);
  return out;
}
