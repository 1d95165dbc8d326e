import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOwner, encodeOwner, ProcessTable, startTicksFromStat } from '../../src/infra/process-identity.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A stand-in /proc with a boot id, a btime and a stat line per pid (start ticks only matter). */
function fakeProc(boot: string, btime: number, starts: Record<number, number>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'agent-os-proc-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'sys', 'kernel', 'random'), { recursive: true });
  writeFileSync(path.join(root, 'sys', 'kernel', 'random', 'boot_id'), `${boot}\n`);
  writeFileSync(path.join(root, 'stat'), `cpu  1 2 3\nbtime ${btime}\nprocesses 9\n`);
  for (const [pid, ticks] of Object.entries(starts)) {
    mkdirSync(path.join(root, pid));
    const fields = Array.from({ length: 50 }, (_, i) => (i === 19 ? String(ticks) : '0'));
    writeFileSync(path.join(root, pid, 'stat'), `${pid} (node (x) y) ${fields.join(' ')}\n`);
  }
  return root;
}

describe('process identity', () => {
  it('reads the start time (field 22) past a command name with spaces and parentheses', () => {
    const fields = ['S', '1', '1', '1', '0', '-1', '4194560', '5', '0', '0', '0', '0', '0', '0', '0', '20', '0', '1', '0', '65837', '123'];
    expect(startTicksFromStat(`42 (my (odd) cmd) ${fields.join(' ')}`)).toBe('65837');
    expect(startTicksFromStat('garbage')).toBeNull();
    expect(startTicksFromStat('42 (x) S 1')).toBeNull();
  });

  it('round-trips an owner and rejects what is not one', () => {
    const owner = { boot: 'ce2847d8-befd-4c67-9007-f1d98201b39b', pid: 4242, start: '65837' };
    expect(decodeOwner(encodeOwner(owner))).toEqual(owner);
    for (const bad of [null, '', '4242', 'a|b|c', 'a|-1|c', 'a|0|c', '|1|x', 'a|1|']) expect(decodeOwner(bad)).toBeNull();
  });

  it('on Linux: alive means same boot, pid present and same start time', () => {
    const proc = fakeProc('boot-a', 1_700_000_000, { [process.pid]: 500, [process.ppid]: 100 });
    const table = new ProcessTable(proc);
    expect(table.self()).toEqual({ boot: 'boot-a', pid: process.pid, start: '500' });
    expect(table.identityOf(process.ppid)).toEqual({ boot: 'boot-a', pid: process.ppid, start: '100' });
    expect(table.isAlive({ boot: 'boot-a', pid: process.ppid, start: '100' })).toBe(true);
    expect(table.isAlive({ boot: 'boot-a', pid: process.ppid, start: '101' })).toBe(false);
    expect(table.isAlive({ boot: 'boot-b', pid: process.ppid, start: '100' })).toBe(false);
    expect(table.isAlive({ boot: 'boot-a', pid: process.pid, start: '499' })).toBe(false);
    expect(table.isAlive({ boot: 'boot-a', pid: 2 ** 22 + 17, start: '100' })).toBe(false);
    // A pid-only owner (older rows): its process started at btime + 1 s.
    expect(table.isLegacyOwnerAlive(process.ppid, 1_700_000_005)).toBe(true);
    expect(table.isLegacyOwnerAlive(process.ppid, 1_699_999_000)).toBe(false);
    expect(table.isLegacyOwnerAlive(process.pid, 1_700_000_005)).toBe(false);
  });

  it('without /proc: boot time from the uptime, this process by its start, other processes by pid', () => {
    const table = new ProcessTable(path.join(os.tmpdir(), 'agent-os-no-such-proc'));
    const me = table.self();
    expect(me.boot).toMatch(/^t:\d+$/);
    expect(me.start).toBe(`t:${Math.round(performance.timeOrigin)}`);
    expect(table.isAlive(me)).toBe(true);
    expect(table.isAlive({ ...me, start: 't:1' })).toBe(false);
    const bootSeconds = Number(me.boot.slice(2));
    // Boot times derived from the clock are compared with a tolerance; a reboot is far off.
    expect(table.isAlive({ boot: `t:${bootSeconds + 30}`, pid: process.ppid, start: 't:5' })).toBe(true);
    expect(table.isAlive({ boot: `t:${bootSeconds + 86_400}`, pid: process.ppid, start: 't:5' })).toBe(false);
    expect(table.isLegacyOwnerAlive(process.ppid, 0)).toBe(true);
  });
});
