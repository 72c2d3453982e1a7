// @vitest-environment happy-dom
// The Team section as a user drives it: add, see inline errors, edit aliases, delete, Undo.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { TeamSection } from '../../../src-renderer/src/features/team/TeamSection';
import { useToasts } from '../../../src-renderer/src/state/toasts';
import { Toasts } from '../../../src-renderer/src/ui/Toasts';
import type { DuetDatabase } from '../../../src-renderer/src/db/database';
import { renderWithServices } from './support/render-app';

let db: DuetDatabase | undefined;
beforeEach(() => useToasts.setState({ toasts: [] }));
afterEach(async () => {
  cleanup();
  await db?.close();
});

async function renderTeam() {
  const r = await renderWithServices(
    <>
      <TeamSection />
      <Toasts />
    </>,
  );
  db = r.db;
  await screen.findByText('No one on your team yet');
  return r;
}

const form = () => screen.getByRole('form', { name: 'Add a person' });
const field = (label: string) => within(form()).getByLabelText(label);

function fillAndSubmit(values: { name?: string; email?: string; aliases?: string }) {
  if (values.name !== undefined) fireEvent.change(field('Name'), { target: { value: values.name } });
  if (values.email !== undefined)
    fireEvent.change(field('Primary email'), { target: { value: values.email } });
  if (values.aliases !== undefined) fireEvent.change(field('Aliases'), { target: { value: values.aliases } });
  fireEvent.click(within(form()).getByRole('button', { name: 'Add person' }));
}

/** The inline error tied to a control through aria-describedby. */
function errorOf(control: HTMLElement): string | null {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids
    .map((id) => document.getElementById(id))
    .find((el) => el?.classList.contains('field__error'));
  return error?.textContent ?? null;
}

it('adds a person, who then appears in the list, and clears the form', async () => {
  const { db } = await renderTeam();
  fillAndSubmit({ name: 'Ada Lovelace', email: 'Ada@Example.com', aliases: 'ada@home.example' });
  const row = await screen.findByText('Ada Lovelace');
  expect(within(row.closest('li')!).getByText('ada@example.com')).toBeTruthy();
  expect(within(row.closest('li')!).getByText('ada@home.example')).toBeTruthy();
  expect((field('Name') as HTMLInputElement).value).toBe('');
  expect(await db.people.count().exec()).toBe(1);
});

it('shows inline errors next to the fields and saves nothing', async () => {
  const { db } = await renderTeam();
  fillAndSubmit({ name: '', email: 'not-an-email', aliases: 'fine@example.com, nope' });
  await waitFor(() =>
    expect(errorOf(field('Primary email'))).toBe('Enter an email address like name@company.com.'),
  );
  expect(field('Primary email').getAttribute('aria-invalid')).toBe('true');
  expect(errorOf(field('Name'))).toBe('Enter a name.');
  expect(errorOf(field('Aliases'))).toBe('“nope” is not an email address.');
  expect(await db.people.count().exec()).toBe(0);

  // Fixing a field clears its error.
  fireEvent.change(field('Primary email'), { target: { value: 'ok@example.com' } });
  expect(errorOf(field('Primary email'))).toBeNull();
  expect(field('Primary email').getAttribute('aria-invalid')).toBeNull();
});

it('rejects an address another person already uses, whatever its case', async () => {
  await renderTeam();
  fillAndSubmit({ name: 'Grace Hopper', email: 'grace@example.com', aliases: 'amazing.grace@navy.example' });
  await screen.findByText('Grace Hopper');
  fillAndSubmit({ name: 'Someone Else', email: 'AMAZING.GRACE@navy.example', aliases: '' });
  await waitFor(() =>
    expect(errorOf(field('Primary email'))).toBe(
      'amazing.grace@navy.example already belongs to Grace Hopper.',
    ),
  );
});

it('edits aliases inline, with validation', async () => {
  await renderTeam();
  fillAndSubmit({ name: 'Grace Hopper', email: 'grace@example.com' });
  await screen.findByText('Grace Hopper');
  fillAndSubmit({ name: 'Ada Lovelace', email: 'ada@example.com' });
  await screen.findByText('Ada Lovelace');
  fireEvent.click(screen.getByRole('button', { name: 'Edit aliases for Ada Lovelace' }));
  const input = screen.getByLabelText('Aliases for Ada Lovelace');
  fireEvent.change(input, { target: { value: 'GRACE@example.com' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save aliases' }));
  await waitFor(() => expect(errorOf(input)).toBe('grace@example.com already belongs to Grace Hopper.'));
  fireEvent.change(input, { target: { value: 'ada@home.example' } });
  fireEvent.click(screen.getByRole('button', { name: 'Save aliases' }));
  const aliases = await screen.findByRole('list', { name: 'Aliases of Ada Lovelace' });
  expect(aliases.textContent).toBe('ada@home.example');
});

it('deletes a person and Undo in the toast brings them back', async () => {
  const { db } = await renderTeam();
  fillAndSubmit({ name: 'Ada Lovelace', email: 'ada@example.com', aliases: 'ada@home.example' });
  await screen.findByText('Ada Lovelace');
  const before = (await db.people.findOne({ selector: { email: 'ada@example.com' } }).exec())!.toJSON();

  fireEvent.click(screen.getByRole('button', { name: 'Delete Ada Lovelace' }));
  await screen.findByText('No one on your team yet');
  const toast = screen.getByTestId('toast');
  expect(toast.textContent).toContain('Removed Ada Lovelace.');

  fireEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
  await screen.findByText('Ada Lovelace');
  expect((await db.people.findOne(before.id).exec())?.toJSON()).toEqual(before);
  await waitFor(() => expect(screen.queryByTestId('toast')).toBeNull());
});
