import fs from 'node:fs';
import path from 'node:path';

/**
 * Short team standards, each asked for by a question that names its topic. Written for this check (not
 * from the corpus): beside the 183 shared standards, each should come first for its question, as a
 * team's own one-section rule must not be buried under a long imported guide that touches the same
 * common words in many sections.
 */
export const TEAM_STANDARDS: ReadonlyArray<{ file: string; query: string; text: string }> = [
  { file: 'data/kafka-patterns.md', query: 'kafka topic naming', text: '# Kafka conventions\n\n## Topics\n\nName topics by domain, entity and event.\n' },
  { file: 'infra/terraform-modules.md', query: 'terraform module layout', text: '# Terraform modules\n\n## Layout\n\nOne module per directory, with main.tf, variables.tf and outputs.tf.\n' },
  { file: 'process/feature-flags.md', query: 'feature flag cleanup', text: '# Feature flags\n\n## Removal\n\nDelete a flag within two sprints of its full rollout.\n' },
  { file: 'data/database-migrations.md', query: 'how do we name database migrations', text: '# Database migrations\n\n## Naming\n\nPrefix each migration with a UTC timestamp and describe the change, e.g. 20240101120000_add_orders_index.sql.\n' },
  { file: 'frontend/react-components.md', query: 'react component file structure', text: '# React components\n\n## Files\n\nOne component per file, named in PascalCase, with its test and styles beside it.\n' },
  { file: 'backend/grpc-calls.md', query: 'grpc deadline for service calls', text: '# gRPC calls\n\n## Deadlines\n\nEvery outgoing call sets a deadline: 2 seconds unless the method documents another.\n' },
  { file: 'process/on-call.md', query: 'on-call handover', text: '# On-call\n\n## Handover\n\nThe outgoing engineer lists open incidents and risky deploys in the handover document before the shift ends.\n' },
  { file: 'backend/redis-usage.md', query: 'redis cache key format', text: '# Redis usage\n\n## Keys\n\nKeys are service:entity:id in lower case, and every key has a TTL.\n' },
  { file: 'process/library-releases.md', query: 'semantic versioning of our libraries', text: '# Library releases\n\n## Versions\n\nLibraries follow semantic versioning: a breaking change bumps the major version.\n' },
  { file: 'process/pull-requests.md', query: 'pull request size limit', text: '# Pull requests\n\n## Size\n\nKeep a pull request under 400 changed lines; split larger work.\n' },
];

/** Writes the team standards into a standards directory. */
export function writeTeamStandards(standards: string): void {
  for (const t of TEAM_STANDARDS) {
    fs.mkdirSync(path.dirname(path.join(standards, t.file)), { recursive: true });
    fs.writeFileSync(path.join(standards, t.file), t.text);
  }
}
