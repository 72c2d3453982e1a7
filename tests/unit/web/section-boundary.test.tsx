// @vitest-environment happy-dom
// A render error inside one section shows a message with a way out, instead of React unmounting
// the whole window (a blank page); another place clears it, and "Try again" renders afresh.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { SectionBoundary } from '../../../src-renderer/src/app/SectionBoundary';

let failing = true;
function Flaky() {
  if (failing) throw new Error('The meeting could not be read.');
  return <p>Meeting page</p>;
}

afterEach(() => {
  cleanup();
  failing = true;
  vi.restoreAllMocks();
});

it('shows what broke and what to do, keeps what is outside, and Try again renders afresh', () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  render(
    <div>
      <nav aria-label="Sections">nav</nav>
      <SectionBoundary resetKey="meetings #/meetings/m1">
        <Flaky />
      </SectionBoundary>
    </div>,
  );
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toContain('This screen stopped working');
  expect(alert.textContent).toContain('The meeting could not be read.');
  expect(screen.getByRole('navigation', { name: 'Sections' })).toBeTruthy();
  failing = false;
  fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(screen.getByText('Meeting page')).toBeTruthy();
  expect(screen.queryByRole('alert')).toBeNull();
});

it('going to another place clears the error', () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const { rerender } = render(
    <SectionBoundary resetKey="meetings #/meetings/m1">
      <Flaky />
    </SectionBoundary>,
  );
  expect(screen.getByRole('alert')).toBeTruthy();
  failing = false;
  rerender(
    <SectionBoundary resetKey="meetings #/meetings">
      <Flaky />
    </SectionBoundary>,
  );
  expect(screen.queryByRole('alert')).toBeNull();
  expect(screen.getByText('Meeting page')).toBeTruthy();
});
