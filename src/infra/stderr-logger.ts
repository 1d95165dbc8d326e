import type { Logger } from '../ports/logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Logger writing one line per record to stderr (stdout is reserved for protocol and --json). */
export function stderrLogger(level: Level = 'info', stream: NodeJS.WritableStream = process.stderr): Logger {
  const min = ORDER[level];
  const write = (l: Level, msg: string, data?: Record<string, unknown>): void => {
    if (ORDER[l] < min) return;
    const extra = data && Object.keys(data).length ? ` ${JSON.stringify(data)}` : '';
    stream.write(`[agent-os] ${l}: ${msg}${extra}\n`);
  };
  return {
    debug: (m, d) => write('debug', m, d),
    info: (m, d) => write('info', m, d),
    warn: (m, d) => write('warn', m, d),
    error: (m, d) => write('error', m, d),
  };
}
