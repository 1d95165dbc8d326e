/** Domain and topic of a standards-relative path; null when the path is not a Markdown file. */
export function domainAndTopic(file: string): { domain: string; topic: string } | null {
  if (!file.toLowerCase().endsWith('.md')) return null;
  const parts = file.split('/');
  const name = parts.pop() ?? '';
  const topic = [...parts.slice(1), name.slice(0, -3)].join('/');
  const domain = parts[0] ?? 'general';
  if (!topic) return null;
  return { domain, topic };
}
