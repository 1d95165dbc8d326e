/**
 * Markdown for GitHub comments built from untrusted text (model output, file paths, PR content): it
 * must not open or close HTML comments (our hidden markers live in them), leave a code fence open,
 * or break a table, and every body must stay under GitHub's size limit.
 */

/** GitHub's limit for the body of a comment or review, in characters. */
export const GITHUB_BODY_LIMIT = 65_536;
/** What we allow ourselves, leaving room for the truncation notes. */
export const MAX_BODY_CHARS = 65_000;

/** Model text must never open or close an HTML comment (it would hide or forge our markers). */
export function safe(text: string): string {
  return text.replace(/<!--/g, '&lt;!--').replace(/--!?>/g, '--&gt;');
}

export function oneLine(text: string): string {
  return safe(text.replace(/\s+/g, ' ').trim());
}

/** A Markdown code span holding `text` literally, whatever backticks it contains. */
export function code(text: string): string {
  const clean = safe(text.replace(/\s+/g, ' ').trim());
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}

export function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

/** Closes a code fence the model left open, so it cannot swallow what follows. */
export function closeFences(text: string): string {
  let open: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    const fence = m[1]!;
    if (open === null) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = null;
  }
  return open === null ? text : `${text}\n${open}`;
}

/** Model Markdown made safe to embed: LF line ends, no comment markers, no open fence. */
export function block(text: string): string {
  return closeFences(safe(text.replace(/\r\n?/g, '\n').trim()));
}

/** `text` cut to `max` characters (fences closed) with a note that it was cut. */
export function clamp(text: string, max = MAX_BODY_CHARS): string {
  if (text.length <= max) return text;
  return `${closeFences(text.slice(0, Math.max(0, max - 200)))}\n\n_… truncated (GitHub's comment size limit)._`;
}

export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href.replace(/\(/g, '%28').replace(/\)/g, '%29') : null;
  } catch {
    return null;
  }
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function shortSha(sha: string): string {
  return /^[0-9a-f]{40,64}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}
