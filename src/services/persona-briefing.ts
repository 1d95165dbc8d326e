/**
 * Briefing mode: with no model configured, a persona job returns its checklist and the standards
 * chosen for the task and the change (selectStandards), for the calling assistant to apply. Also the
 * standards block that seeds a model's first request, from the same selection.
 */
import { checklistRefs, deriveChecklist, renderBriefing, renderStandards, type BriefingView } from '../domain/briefing.js';
import type { PersonaConfig } from '../domain/job.js';
import { selectStandards, type StandardsSelection } from './select-standards.js';
import type { SearchInput, SearchOutput } from './search-standards.js';

export interface BriefingSettings {
  /** Largest briefing, in characters (`personas.briefingBudgetChars`). */
  budgetChars: number;
  /** Standards named at most (`personas.briefingMaxStandards`). */
  maxStandards: number;
}

export const DEFAULT_BRIEFING: BriefingSettings = { budgetChars: 8000, maxStandards: 6 };

export interface BriefingInput {
  persona: PersonaConfig;
  task: string;
  context?: string | null;
  signal: AbortSignal;
  /** Called before each search. */
  onSearch?: () => void;
}

/** The selection for a persona's task and context (its own domain searched too). */
export function selectForPersona(search: (input: SearchInput) => Promise<SearchOutput>, settings: BriefingSettings, input: BriefingInput): Promise<StandardsSelection> {
  return selectStandards(
    { search },
    {
      task: input.task,
      context: input.context ?? null,
      domain: input.persona.standard_directory,
      max: settings.maxStandards,
      signal: input.signal,
      ...(input.onSearch ? { onSearch: input.onSearch } : {}),
    },
  );
}

/** The Markdown briefing for a selection, within the budget. */
export function briefingFor(persona: PersonaConfig, task: string, selection: StandardsSelection, settings: BriefingSettings): string {
  const items = deriveChecklist(persona.system_prompt, task);
  const refs = checklistRefs(items, selection.signals);
  // Items that concern a changed line come first (after those the task names).
  const concerning = new Set(refs.filter((r) => r.appliesTo.length > 0).map((r) => r.text));
  const ordered = deriveChecklist(persona.system_prompt, task, 12, (item) => (concerning.has(item) ? 1 : 0));
  const byText = new Map(refs.map((r) => [r.text, r]));
  const view: BriefingView = {
    personaName: persona.name,
    task: task.trim(),
    changeKind: selection.change.kind,
    files: selection.change.files.map((f) => ({ path: f.path, oldPath: f.oldPath, status: f.status, binary: f.binary, added: f.added.length, removed: f.removed.length })),
    checklist: ordered.map((text) => byText.get(text) ?? { text, appliesTo: [] }),
    standards: selection.standards,
    leftOut: selection.leftOut,
    unsearched: selection.unsearched,
    notes: selection.notes,
    budgetChars: settings.budgetChars,
  };
  return renderBriefing(view);
}

/**
 * The standards block of a model's first request: the selection's standards with the changed lines
 * that matched them, within the budget, or null when nothing was chosen.
 */
export function seedFor(selection: StandardsSelection, settings: BriefingSettings): string | null {
  if (selection.standards.length === 0) return null;
  const intro =
    'agent-os chose these project standards from the task and the changed code, with the changed lines that matched each. Check the change against them first; search for others with search_standards when the change touches more.';
  const { text, omitted } = renderStandards(selection.standards, Math.max(0, settings.budgetChars - intro.length - 200));
  const more = omitted.length ? `\n\nLeft out for size: ${omitted.map((s) => `\`${s.file}\``).join(', ')}.` : '';
  return `${intro}\n\n${text}${more}`;
}
