/*
 * The commit of an import proposal: all the imported standards in one commit on one branch. Its
 * trailers say what it is, the way a standard proposal's do, so the state of an import can be read
 * back from git alone. It is not a standard proposal (those hold exactly one standard): the proposal
 * reader skips commits that carry these trailers.
 */

export interface ImportRecord {
  id: string;
  action: 'import' | 'reject';
  branch: string | null;
  /** `domain/topic` of each standard. */
  standards: string[];
  /** Who ran the import, when given. */
  by: string | null;
  /** The message body above the trailers (a rejection's reason). */
  text: string;
}

const ID_PATTERN = /^im-\d{8}-[0-9a-f]{6}$/;
const TRAILER = { id: 'Agent-OS-Import', action: 'Agent-OS-Action', branch: 'Agent-OS-Branch', standard: 'Agent-OS-Standard', by: 'Imported-By' } as const;

/** `im-<yyyymmdd>-<6 hex>`: like proposal ids, told apart by the prefix. */
export function newImportId(now: Date, randomHex: string): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const hex = randomHex.toLowerCase().replace(/[^0-9a-f]/g, '').padEnd(6, '0').slice(0, 6);
  return `im-${day}-${hex}`;
}

export function isImportId(value: string): boolean {
  return ID_PATTERN.test(value);
}

function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** Subject, free text, then one trailer per standard. */
export function importMessage(record: ImportRecord, subject: string): string {
  const trailers = [
    `${TRAILER.id}: ${record.id}`,
    `${TRAILER.action}: ${record.action}`,
    ...(record.branch ? [`${TRAILER.branch}: ${oneLine(record.branch)}`] : []),
    ...(record.by ? [`${TRAILER.by}: ${oneLine(record.by)}`] : []),
    ...record.standards.map((s) => `${TRAILER.standard}: ${oneLine(s)}`),
  ];
  const text = record.text.replace(/\r\n/g, '\n').trim();
  return `${oneLine(subject).slice(0, 120)}\n\n${text ? `${text}\n\n` : ''}${trailers.join('\n')}\n`;
}

/** Reads a message written by `importMessage`; null for any other commit. */
export function parseImportMessage(message: string): ImportRecord | null {
  const lines = message.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const trailers: Array<[string, string]> = [];
  let end = lines.length;
  while (end > 0) {
    const m = /^([A-Za-z-]+):\s?(.*)$/.exec(lines[end - 1] ?? '');
    if (!m) break;
    trailers.unshift([m[1]!.toLowerCase(), m[2]!.trim()]);
    end--;
  }
  const get = (key: string): string | undefined => trailers.find(([k]) => k === key.toLowerCase())?.[1];
  const id = get(TRAILER.id);
  const action = get(TRAILER.action);
  if (!id || !isImportId(id) || (action !== 'import' && action !== 'reject')) return null;
  return {
    id,
    action,
    branch: get(TRAILER.branch) || null,
    standards: trailers.filter(([k]) => k === TRAILER.standard.toLowerCase()).map(([, v]) => v),
    by: get(TRAILER.by) || null,
    text: lines.slice(1, end).join('\n').trim(),
  };
}

/** True for the commit of an import (or its rejection marker). */
export function isImportMessage(message: string): boolean {
  return parseImportMessage(message) !== null;
}
