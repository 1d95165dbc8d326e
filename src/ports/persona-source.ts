/** Where a persona file comes from: the agent-os package, or the project's `.agent-os/personas/`. */
export type PersonaOrigin = 'core' | 'project';

/** One persona file as found on disk. */
export interface PersonaFile {
  /** Path shown in messages: `personas/architect.md` (package) or `.agent-os/personas/db.md` (project). */
  file: string;
  /** The file's text; '' when it could not be read (see `readError`). */
  text: string;
  origin: PersonaOrigin;
  /** Set when the file exists but could not be read. */
  readError?: string;
}

/** Lists persona files: the package's core personas and the project's own. */
export interface PersonaSource {
  /** Every `*.md` file directly in the persona folders, core first, each folder sorted by name. */
  list(): Promise<PersonaFile[]>;
}
