/**
 * MCP client configuration files that `agent-os init` writes or merges, one per editor. Each holds a
 * map of servers under its own key; merging adds or updates the `agent-os` entry and leaves every
 * other server and key exactly as it was.
 */
export type EditorId = 'cursor' | 'vscode' | 'claude';

export interface EditorFile {
  editor: EditorId;
  /** Path relative to the project root. */
  file: string;
  /** The key holding the server map. */
  key: 'mcpServers' | 'servers';
  label: string;
}

export const EDITOR_FILES: readonly EditorFile[] = [
  { editor: 'cursor', file: '.cursor/mcp.json', key: 'mcpServers', label: 'Cursor' },
  { editor: 'vscode', file: '.vscode/mcp.json', key: 'servers', label: 'VS Code' },
  { editor: 'claude', file: '.mcp.json', key: 'mcpServers', label: 'Claude Code (project scope)' },
];

export const SERVER_NAME = 'agent-os';

/** How to start the server: a command and its arguments. */
export interface ServerCommand {
  command: string;
  args: string[];
}

/** The entry an editor's file gets for agent-os. */
export function serverEntry(editor: EditorId, cmd: ServerCommand): Record<string, unknown> {
  return editor === 'vscode' ? { type: 'stdio', command: cmd.command, args: cmd.args } : { command: cmd.command, args: cmd.args };
}

export type MergeAction = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface MergeResult {
  action: MergeAction;
  /** The new file text (absent when nothing is to be written). */
  text?: string;
  /** Why a file was skipped. */
  reason?: string;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Adds the agent-os entry to an editor's file (null: the file does not exist). A file that is not
 * plain JSON (VS Code allows comments) or whose server map is not an object is left alone, as is an
 * agent-os entry the user changed, unless `force`: a rewrite would lose what they wrote.
 */
export function mergeEditorConfig(existing: string | null, target: EditorFile, entry: Record<string, unknown>, force = false): MergeResult {
  const render = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;
  if (existing === null || existing.trim() === '') {
    return { action: 'created', text: render({ [target.key]: { [SERVER_NAME]: entry } }) };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(existing);
  } catch {
    return { action: 'skipped', reason: 'not plain JSON (comments?); add the entry shown below by hand' };
  }
  if (!isPlain(doc)) return { action: 'skipped', reason: 'does not hold a JSON object; add the entry by hand' };
  const servers = doc[target.key];
  if (servers !== undefined && !isPlain(servers)) return { action: 'skipped', reason: `its "${target.key}" is not an object; add the entry by hand` };
  const current = servers?.[SERVER_NAME];
  if (current !== undefined && sameJson(current, entry)) return { action: 'unchanged' };
  if (current !== undefined && !force) return { action: 'skipped', reason: 'has an agent-os entry that differs; --force replaces it' };
  const merged = { ...doc, [target.key]: { ...(servers ?? {}), [SERVER_NAME]: entry } };
  return { action: 'updated', text: render(merged) };
}
