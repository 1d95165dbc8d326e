import type { SecretFinding } from '../domain/secrets.js';

/** Finds credentials in text (proposed standards, rationales, feedback) before it reaches git or GitHub. */
export interface SecretScanner {
  /** Every secret in `text`, in order, with 1-based lines and masked excerpts; [] when it is clean. */
  scan(text: string): Promise<SecretFinding[]>;
}
