/** The briefing benchmark's planted-flaw changes (see bench/briefing-cases/types.ts for the split). */
import { CASES_1 } from './briefing-cases/cases-1.js';
import { CASES_2 } from './briefing-cases/cases-2.js';
import { CASES_3 } from './briefing-cases/cases-3.js';
import { CASES_4 } from './briefing-cases/cases-4.js';
import { FRESH_1 } from './briefing-cases/fresh-1.js';
import { FRESH_2 } from './briefing-cases/fresh-2.js';

export { DEFAULT_TASK, isHeldOut, type BriefingCase, type CorpusDomain } from './briefing-cases/types.js';

export const CASES = [...CASES_1, ...CASES_2, ...CASES_3, ...CASES_4];
/** Written after the selection was tuned, never tuned on. */
export const FRESH_CASES = [...FRESH_1, ...FRESH_2];
