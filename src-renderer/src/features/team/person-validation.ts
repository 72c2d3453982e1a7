// Rules for a person's name and addresses. Pure functions so they are tested without a database
// and reused by add, edit-aliases and undo-delete alike.
//
// Every address — primary or alias — identifies exactly one person: calendar attendees are
// matched to people by address, case-insensitively (docs/architecture.md §3), so two people sharing one would
// make a 1:1 ambiguous.
import type { PersonDoc } from '../../db/schemas';

export interface PersonInput {
  name: string;
  email: string;
  /** As typed: comma-separated (newlines and semicolons also separate). */
  aliases: string;
  directReport: boolean;
}

export interface ValidPerson {
  name: string;
  email: string;
  aliases: string[];
  directReport: boolean;
}

export type PersonField = 'name' | 'email' | 'aliases' | 'startDate';
export type PersonErrors = Partial<Record<PersonField, string>>;

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: PersonErrors };

/** The people an address may collide with. */
export type Known = Pick<PersonDoc, 'id' | 'name' | 'email' | 'aliases'>;

export const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 320;
// Deliberately simple: one @, something on each side, a dot in the domain, no spaces. Stricter
// checks reject real addresses; the calendar is the final judge of what exists.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase();

export const isEmail = (email: string): boolean => email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email);

export function parseAliases(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[,;\n]/)) {
    const email = normalizeEmail(part);
    if (email) seen.add(email);
  }
  return [...seen];
}

/** Who already uses `email`, ignoring the person being edited. */
export function ownerOf(email: string, known: readonly Known[], exceptId?: string): Known | undefined {
  return known.find((p) => p.id !== exceptId && (p.email === email || p.aliases.includes(email)));
}

function checkAliases(
  aliases: string[],
  primary: string,
  known: readonly Known[],
  exceptId?: string,
): string | undefined {
  const invalid = aliases.filter((a) => !isEmail(a));
  if (invalid.length === 1) return `“${invalid[0]}” is not an email address.`;
  if (invalid.length > 1) return `These are not email addresses: ${invalid.map((a) => `“${a}”`).join(', ')}.`;
  if (primary && aliases.includes(primary))
    return `${primary} is already the primary email; aliases are the other addresses.`;
  for (const alias of aliases) {
    const owner = ownerOf(alias, known, exceptId);
    if (owner) return `${alias} already belongs to ${owner.name}.`;
  }
  return undefined;
}

export function validatePerson(
  input: PersonInput,
  known: readonly Known[],
  exceptId?: string,
): Validation<ValidPerson> {
  const errors: PersonErrors = {};
  const name = input.name.trim().replace(/\s+/g, ' ');
  const email = normalizeEmail(input.email);
  const aliases = parseAliases(input.aliases);

  if (!name) errors.name = 'Enter a name.';
  else if (name.length > MAX_NAME_LENGTH) errors.name = `Keep the name under ${MAX_NAME_LENGTH} characters.`;

  if (!email) errors.email = 'Enter an email address.';
  else if (!isEmail(email)) errors.email = 'Enter an email address like name@company.com.';
  else {
    const owner = ownerOf(email, known, exceptId);
    if (owner) errors.email = `${email} already belongs to ${owner.name}.`;
  }

  const aliasError = checkAliases(aliases, isEmail(email) ? email : '', known, exceptId);
  if (aliasError) errors.aliases = aliasError;

  return Object.keys(errors).length > 0
    ? { ok: false, errors }
    : { ok: true, value: { name, email, aliases, directReport: input.directReport } };
}

/** For editing only the aliases of an existing person. */
export function validateAliases(
  person: Known,
  aliasesText: string,
  known: readonly Known[],
): Validation<string[]> {
  const aliases = parseAliases(aliasesText);
  const error = checkAliases(aliases, person.email, known, person.id);
  return error ? { ok: false, errors: { aliases: error } } : { ok: true, value: aliases };
}
