import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addedLines, parseUnifiedDiff, type ParsedDiff } from '../../src/domain/diff.js';
import { makeRepo, type TempRepo } from '../fakes/git-repo.js';

/**
 * The reader against what git itself writes (renames with -M, copies with -C, binary changes with and
 * without --binary, deletions, mode changes, files without a final newline, C-quoted names). These are
 * the cases the npm package parse-diff gets wrong (see .agent-os/standards/architecture/layout.md).
 */
describe('parseUnifiedDiff on real git output', () => {
  let repo: TempRepo;
  const summary = (p: ParsedDiff) => p.files.map((f) => [f.status, f.path, f.oldPath, f.binary, f.hunks.length]);

  beforeAll(() => {
    repo = makeRepo();
    const list = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}`).join('\n') + '\n';
    repo.write('lib/util.js', `module.exports = {\n${'abcdefghi'.split('').map((k, i) => `  ${k}: ${i + 1},`).join('\n')}\n};\n`);
    repo.write('keep.txt', list(40));
    repo.write('gone.py', 'import os\nos.system("x")\n');
    repo.write('My Docs/été.txt', 'hello\n');
    repo.write('run.sh', 'run\n', 0o644);
    fs.mkdirSync(path.join(repo.root, 'img'));
    fs.writeFileSync(path.join(repo.root, 'img/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 255]));
    repo.write('noeol.txt', 'one\ntwo');
    repo.write('copysrc.txt', list(30));
    repo.commitAll('base');
    repo.git('mv', 'lib/util.js', 'lib/helpers.js');
    repo.write('lib/helpers.js', repo.read('lib/helpers.js')!.replace('a: 1', 'a: eval(input)'));
    repo.git('mv', 'My Docs/été.txt', 'My Docs/summer file.txt');
    repo.git('rm', '-q', 'gone.py');
    fs.chmodSync(path.join(repo.root, 'run.sh'), 0o755);
    fs.writeFileSync(path.join(repo.root, 'img/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9, 0, 254]));
    repo.write('noeol.txt', 'one\ntwo\nthree');
    repo.write('keep.txt', list(40).replace(/^5$/m, 'five').replace(/^35$/m, 'thirty-five'));
    repo.write('copied.txt', `${list(30)}31\n`);
    repo.git('add', '-A');
  });
  afterAll(() => repo.cleanup());

  it('reads every file of `git diff -M`, a C-quoted rename whose new name is not quoted included', () => {
    const text = repo.git('diff', '--cached', '-M', 'HEAD');
    // git quotes only the side that needs it: parse-diff leaves the octal escapes in the old name.
    expect(text).toContain('diff --git "a/My Docs/\\303\\251t\\303\\251.txt" b/My Docs/summer file.txt\n');
    const p = parseUnifiedDiff(text);
    expect(summary(p)).toEqual([
      ['renamed', 'My Docs/summer file.txt', 'My Docs/été.txt', false, 0],
      ['added', 'copied.txt', null, false, 1],
      ['deleted', 'gone.py', null, false, 1],
      // parse-diff tells a binary change from a mode change by nothing: neither has hunks.
      ['modified', 'img/logo.png', null, true, 0],
      ['modified', 'keep.txt', null, false, 2],
      ['renamed', 'lib/helpers.js', 'lib/util.js', false, 1],
      ['modified', 'noeol.txt', null, false, 1],
      ['modified', 'run.sh', null, false, 0],
    ]);
    expect(p.rest).toBe('');
    const byPath = new Map(p.files.map((f) => [f.path, f]));
    expect(addedLines(byPath.get('lib/helpers.js')!)).toEqual([{ line: 2, text: '  a: eval(input),' }]);
    expect(addedLines(byPath.get('keep.txt')!)).toEqual([
      { line: 5, text: 'five' },
      { line: 35, text: 'thirty-five' },
    ]);
    expect(addedLines(byPath.get('gone.py')!)).toEqual([]);
  });

  it('reads `\\ No newline at end of file` as no line at all', () => {
    const p = parseUnifiedDiff(repo.git('diff', '--cached', 'HEAD', '--', 'noeol.txt'));
    // parse-diff repeats the line before the marker as a third added line, numbered 3 again.
    expect(addedLines(p.files[0]!)).toEqual([
      { line: 2, text: 'two' },
      { line: 3, text: 'three' },
    ]);
    expect(p.files[0]!.hunks[0]!.lines.map((l) => [l.kind, l.text])).toEqual([
      ['context', 'one'],
      ['del', 'two'],
      ['add', 'two'],
      ['add', 'three'],
    ]);
  });

  it('tells copies from renames with `git diff -C`', () => {
    const p = parseUnifiedDiff(repo.git('diff', '--cached', '-M', '-C', '--find-copies-harder', 'HEAD'));
    const copied = p.files.find((f) => f.path === 'copied.txt')!;
    expect([copied.status, copied.oldPath, addedLines(copied)]).toEqual(['copied', 'copysrc.txt', [{ line: 31, text: '31' }]]);
  });

  it('skips the data of `git diff --binary` and reads the files after it', () => {
    const text = repo.git('diff', '--cached', '-M', '--binary', 'HEAD');
    expect(text).toContain('GIT binary patch\n');
    const p = parseUnifiedDiff(text);
    expect(summary(p).map(([status, file, , binary]) => [status, file, binary])).toEqual([
      ['renamed', 'My Docs/summer file.txt', false],
      ['added', 'copied.txt', false],
      ['deleted', 'gone.py', false],
      ['modified', 'img/logo.png', true],
      ['modified', 'keep.txt', false],
      ['renamed', 'lib/helpers.js', false],
      ['modified', 'noeol.txt', false],
      ['modified', 'run.sh', false],
    ]);
    expect(p.rest).toBe('');
  });
});
