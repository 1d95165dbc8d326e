import path from 'node:path';
import type { AgentOsConfig } from './schema.js';

/** Where a project's agent-os files live. */
export interface ProjectPaths {
  root: string;
  agentOsDir: string;
  standardsDir: string;
  cacheDir: string;
  indexUri: string;
  metaDb: string;
  jobsDb: string;
  lockFile: string;
}

export function projectPaths(root: string, config: AgentOsConfig): ProjectPaths {
  const cacheDir = path.resolve(root, config.cacheDir);
  const uri = config.index.uri;
  // Object-store URIs (s3://, gs://, az://) pass through; plain paths resolve against the root.
  const indexUri = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : path.resolve(root, uri);
  return {
    root,
    agentOsDir: path.join(root, '.agent-os'),
    standardsDir: path.resolve(root, config.standardsDir),
    cacheDir,
    indexUri,
    metaDb: path.join(cacheDir, 'meta.db'),
    jobsDb: path.join(cacheDir, 'jobs.db'),
    lockFile: path.join(cacheDir, 'index.lock'),
  };
}
