import path from 'node:path';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const repo = path.resolve(__dirname, '../..');
const rules = require(path.join(repo, '.dependency-cruiser.cjs')) as { forbidden: unknown[] };

async function violations(baseDir: string): Promise<Array<{ rule: string; from: string; to: string }>> {
  const result = await cruise(['src'], { baseDir, ruleSet: { forbidden: rules.forbidden } as never, tsPreCompilationDeps: true, validate: true, doNotFollow: { path: 'node_modules' } } as never);
  const output = result.output as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('layering lint', () => {
  it('flags a service importing infra and a cycle', async () => {
    const found = await violations(path.join(repo, 'test/fixtures/layering'));
    expect(found).toContainEqual({ rule: 'services-point-inward', from: 'src/services/bad-service.ts', to: 'src/infra/db.ts' });
    expect(found.some((v) => v.rule === 'no-cycles' && v.from.startsWith('src/domain/'))).toBe(true);
    // Adapters may import services: no violation is reported for the CLI file.
    expect(found.some((v) => v.from === 'src/cli/ok.ts')).toBe(false);
  });

  it('passes on the real source tree', async () => {
    const result = await cruise(['src'], { baseDir: repo, ruleSet: { forbidden: rules.forbidden } as never, tsPreCompilationDeps: true, validate: true, doNotFollow: { path: 'node_modules' } } as never);
    const output = result.output as { summary: { totalCruised: number; violations: unknown[] } };
    expect(output.summary.totalCruised).toBeGreaterThan(20);
    expect(output.summary.violations).toEqual([]);
  });
});
