/** Front matter a standard may carry; every field is optional. */
export interface StandardFrontMatter {
  title?: string;
  tags: string[];
  applies_to: string[];
  created_by?: string;
  approved_by?: string;
  created_at?: string;
  [key: string]: unknown;
}

/** A standard file as read from disk, before chunking. */
export interface StandardDoc {
  /** Path relative to the standards directory, POSIX separators: `security/auth-patterns.md`. */
  file: string;
  domain: string;
  topic: string;
  title: string;
  frontMatter: StandardFrontMatter;
  body: string;
  /** sha256 of the raw bytes of the file. */
  hash: string;
}

/** One searchable piece of a standard. */
export interface Chunk {
  /** Stable id: file + ordinal + content hash. */
  id: string;
  file: string;
  domain: string;
  topic: string;
  title: string;
  /** Heading path, e.g. `Authentication > Passwords`. */
  section: string;
  /** The chunk's own text as shown to the reader. */
  content: string;
  /** What is embedded and keyword-indexed: title, heading path and content. */
  text: string;
  ordinal: number;
  /** Hash of the file the chunk came from; the index's change detector. */
  fileHash: string;
  /** Hash of `text`; the embedding cache key. */
  textHash: string;
  tags: string[];
  appliesTo: string[];
}

/** What ranking needs of a chunk; the full chunk is fetched only for the final results. */
export type ChunkRef = Pick<Chunk, 'id' | 'file' | 'domain' | 'ordinal' | 'appliesTo'> & Partial<Pick<Chunk, 'title' | 'section'>>;

/** One ranked search hit as returned to callers. */
export interface SearchHit {
  file: string;
  section: string;
  /** 0–1, higher is better. */
  score: number;
  content: string;
  domain: string;
  title: string;
  tags: string[];
  /** The standard's front matter `created_by`, or null. */
  created_by: string | null;
  /** Front matter `approved_by`, else who merged the standard (git, `Name <email>`) when known, or null. */
  approved_by: string | null;
  /** How often search has returned the standard, this time included. */
  query_count: number;
  /** ISO dates of the first and the latest commit of the standard (null when it was never committed). */
  created_at: string | null;
  last_updated: string | null;
}
