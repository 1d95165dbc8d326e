import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A process as a job's owner: its pid alone is not enough, because pids are reused (after a
 * reboot, or once the pid space wraps), and a reused pid would make a dead owner look alive.
 */
export interface ProcessIdentity {
  /** Linux: /proc/sys/kernel/random/boot_id. Elsewhere `t:<boot time, Unix seconds>`. */
  boot: string;
  pid: number;
  /**
   * Linux: the start time in clock ticks after boot (/proc/<pid>/stat field 22). Elsewhere
   * `t:<start, Unix ms>`, known for this process only.
   */
  start: string;
}

/** Boot times derived from the clock drift with clock adjustments; reboots are further apart. */
const BOOT_TOLERANCE_SECONDS = 120;
/** /proc reports start times in USER_HZ ticks, 100 a second on every Linux architecture. */
const TICKS_PER_SECOND = 100;
/** A process that started this much after a job did cannot be the one that started it. */
const START_SLACK_SECONDS = 2;

export function encodeOwner(p: ProcessIdentity): string {
  return `${p.boot}|${p.pid}|${p.start}`;
}

/** The identity stored by encodeOwner, or null for anything else. */
export function decodeOwner(s: string | null): ProcessIdentity | null {
  if (!s) return null;
  const parts = s.split('|');
  if (parts.length !== 3) return null;
  const pid = Number(parts[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !parts[0] || !parts[2]) return null;
  return { boot: parts[0], pid, start: parts[2] };
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
function pidExists(pid: number): boolean {
  // 0 and negative pids name process groups: never a job's owner.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Field 22 (starttime) of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function startTicksFromStat(stat: string): string | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const ticks = stat.slice(close + 1).trim().split(/\s+/)[19];
  return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : null;
}

/**
 * Who owns what: this process's identity, and whether the owner recorded on a job still runs.
 * Reads Linux's /proc (`procRoot`); where there is none, falls back to the boot time derived from
 * the uptime, and to the pid alone for other processes.
 */
export class ProcessTable {
  private me: ProcessIdentity | null = null;

  constructor(private readonly procRoot = '/proc') {}

  private bootId(): string {
    const id = readText(path.join(this.procRoot, 'sys', 'kernel', 'random', 'boot_id'))?.trim();
    return id ? id : `t:${Math.round(Date.now() / 1000 - os.uptime())}`;
  }

  private startTicks(pid: number): string | null {
    const stat = readText(path.join(this.procRoot, String(pid), 'stat'));
    return stat === null ? null : startTicksFromStat(stat);
  }

  /** When a process started, in Unix seconds, from /proc; null where that cannot be read. */
  private startedAt(pid: number): number | null {
    const ticks = this.startTicks(pid);
    const btime = /^btime\s+(\d+)$/m.exec(readText(path.join(this.procRoot, 'stat')) ?? '')?.[1];
    return ticks === null || btime === undefined ? null : Number(btime) + Number(ticks) / TICKS_PER_SECOND;
  }

  /** This process (read once: none of it changes while the process lives). */
  self(): ProcessIdentity {
    this.me ??= {
      boot: this.bootId(),
      pid: process.pid,
      start: this.startTicks(process.pid) ?? `t:${Math.round(performance.timeOrigin)}`,
    };
    return this.me;
  }

  /** Another live process as an owner would record it, or null if there is no such process. */
  identityOf(pid: number): ProcessIdentity | null {
    if (pid === process.pid) return this.self();
    if (!pidExists(pid)) return null;
    return { boot: this.self().boot, pid, start: this.startTicks(pid) ?? 'unknown' };
  }

  isSelf(owner: ProcessIdentity): boolean {
    const me = this.self();
    return owner.pid === me.pid && owner.start === me.start && owner.boot === me.boot;
  }

  /** Same boot, the pid exists, and (where it can be read) the same start time. */
  isAlive(owner: ProcessIdentity): boolean {
    const me = this.self();
    if (!sameBoot(owner.boot, me.boot)) return false;
    if (owner.pid === me.pid) return owner.start === me.start;
    if (!pidExists(owner.pid)) return false;
    const start = this.startTicks(owner.pid);
    return start === null || start === owner.start;
  }

  /**
   * An owner recorded by a version that stored the pid alone. It is alive if the pid exists, is not
   * ours (that older process cannot share our pid while we run), and its process did not start
   * after the job did (then the pid was reused).
   */
  isLegacyOwnerAlive(pid: number, jobStartedAt: number | null): boolean {
    if (pid === process.pid || !pidExists(pid)) return false;
    const started = this.startedAt(pid);
    return started === null || jobStartedAt === null || started <= jobStartedAt + START_SLACK_SECONDS;
  }
}

function sameBoot(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.startsWith('t:') || !b.startsWith('t:')) return false;
  return Math.abs(Number(a.slice(2)) - Number(b.slice(2))) <= BOOT_TOLERANCE_SECONDS;
}
