// Local 1:1 detection preferences (the one 'local' document of the preferences collection).
import type { RxCollection } from 'rxdb';
import {
  DEFAULT_KEYWORDS,
  DEFAULT_SETTINGS,
  type Settings as EngineSettings,
} from '../../../../src-shared/engine/model';
import { PREFERENCES_ID } from '../../db/schemas/preferences';
import type { MatchMode, PreferencesDoc } from '../../db/schemas';

/** docs/architecture.md §3: the defaults every new install starts with — the engine's own list. */
export { DEFAULT_KEYWORDS };

export function defaultPreferences(now = Date.now()): PreferencesDoc {
  return {
    id: PREFERENCES_ID,
    ...DEFAULT_SETTINGS,
    keywords: [...DEFAULT_SETTINGS.keywords],
    // docs/architecture.md §5: a prep reminder one hour before; tenure rules empty = the defaults.
    prepareReminderMinutes: 60,
    notificationsEnabled: true,
    linkInCalendarEvent: true,
    tenureCadenceRules: [],
    updatedAt: now,
  };
}

export interface DetectionInput {
  keywords: string[];
  matchMode: MatchMode;
  minMinutes: string;
  maxMinutes: string;
}

export type DetectionField = 'keywords' | 'minMinutes' | 'maxMinutes';
export type DetectionErrors = Partial<Record<DetectionField, string>>;

export type DetectionResult =
  | { ok: true; value: Pick<PreferencesDoc, 'keywords' | 'matchMode' | 'minMinutes' | 'maxMinutes'> }
  | { ok: false; errors: DetectionErrors };

const MAX_MINUTES = 1440;

function minutes(raw: string): number | null {
  const n = Number(raw.trim());
  return raw.trim() !== '' && Number.isInteger(n) && n >= 1 && n <= MAX_MINUTES ? n : null;
}

/** Keywords are matched case-insensitively, so 'One-on-One' and 'one-on-one' are one keyword. */
export function normalizeKeywords(keywords: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keywords.map((k) => k.trim()).filter(Boolean)) {
    if (!out.some((o) => o.toLowerCase() === k.toLowerCase())) out.push(k);
  }
  return out;
}

export function validateDetection(input: DetectionInput): DetectionResult {
  const errors: DetectionErrors = {};
  const keywords = normalizeKeywords(input.keywords);
  if (input.matchMode === 'keywords' && keywords.length === 0) {
    errors.keywords = 'Add at least one keyword, or choose “any two-person event”.';
  } else if (keywords.some((k) => k.length > 100)) {
    errors.keywords = 'Keep each keyword under 100 characters.';
  }
  const min = minutes(input.minMinutes);
  const max = minutes(input.maxMinutes);
  if (min === null) errors.minMinutes = `Enter whole minutes between 1 and ${MAX_MINUTES}.`;
  if (max === null) errors.maxMinutes = `Enter whole minutes between 1 and ${MAX_MINUTES}.`;
  else if (min !== null && max < min)
    errors.maxMinutes = 'The longest duration must not be shorter than the shortest.';
  if (Object.keys(errors).length > 0 || min === null || max === null) return { ok: false, errors };
  return { ok: true, value: { keywords, matchMode: input.matchMode, minMinutes: min, maxMinutes: max } };
}

export type Preferences = RxCollection<PreferencesDoc>;

export async function loadPreferences(collection: Preferences): Promise<PreferencesDoc> {
  const doc = await collection.findOne(PREFERENCES_ID).exec();
  return doc ? doc.toMutableJSON() : defaultPreferences();
}

export async function savePreferences(
  collection: Preferences,
  patch: Partial<Omit<PreferencesDoc, 'id'>>,
  now = Date.now(),
): Promise<PreferencesDoc> {
  const current = await loadPreferences(collection);
  const next: PreferencesDoc = { ...current, ...patch, id: PREFERENCES_ID, updatedAt: now };
  await collection.upsert(next);
  return next;
}

/** What the detection engine takes: the preference fields share its names and values. */
export function engineSettings(p: PreferencesDoc): EngineSettings {
  return {
    keywords: p.keywords,
    matchMode: p.matchMode,
    pastDays: p.pastDays,
    futureDays: p.futureDays,
    minMinutes: p.minMinutes,
    maxMinutes: p.maxMinutes,
  };
}
