/**
 * The tokenizer of the static word-vector embedder: words of prose and code identifiers, without
 * Markdown and URL noise. Pure; the same text always gives the same words.
 */

// Markdown and link syntax whose text is not prose: URLs, link targets, tags, entities, e-mail addresses.
const NOISE_PATTERNS: readonly [RegExp, string][] = [
  [/^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$/gm, ' '],
  [/!?\[([^\]\n]*)\]\([^)\n]*\)/g, ' $1 '],
  [/\b(?:https?|ftp|file):\/\/[^\s)\]>"'`]+/gi, ' '],
  [/\bwww\.[^\s)\]>"'`]+/gi, ' '],
  [/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, ' '],
  [/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi, ' '],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' '],
  [/^\s*(?:```|~~~)[^\n]*$/gm, ' '],
];

const WORD = /[\p{L}\p{N}]+/gu;
const LONG_NUMBER = /^\p{N}{5,}$/u;
const HEXISH = /^(?=[a-f]*\d)[0-9a-f]{7,}$/;

function splitCompound(word: string): string[] {
  return word
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2')
    .split(' ');
}

/**
 * Lower-cased words of a text with Markdown/URL noise removed; snake_case and kebab-case split on their
 * separators, camelCase and letter/digit runs split unless `isKnown` accepts the whole word (so
 * "JavaScript" stays "javascript" when the vocabulary has it, while "hashPassword" becomes two words).
 * One-character words, long numbers and hex-like ids are dropped.
 */
export function tokenizeText(text: string, isKnown?: (word: string) => boolean): string[] {
  let clean = text.normalize('NFKC');
  for (const [pattern, replacement] of NOISE_PATTERNS) clean = clean.replace(pattern, replacement);
  const out: string[] = [];
  const keep = (w: string): void => {
    if (w.length < 2 || LONG_NUMBER.test(w) || HEXISH.test(w)) return;
    out.push(w);
  };
  for (const match of clean.matchAll(WORD)) {
    const raw = match[0];
    const lower = raw.toLowerCase();
    if (isKnown?.(lower)) {
      keep(lower);
      continue;
    }
    const parts = splitCompound(raw);
    if (parts.length === 1) keep(lower);
    else for (const part of parts) keep(part.toLowerCase());
  }
  return out;
}
