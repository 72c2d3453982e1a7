// Moves a ManualTimers clock to an instant the way real time would reach it, letting every
// notifier finish the run each timer starts before the clock moves on (their runs are async).
import type { ManualTimers } from './manual-timers';

export async function runClockTo(
  clock: ManualTimers,
  to: number,
  notifiers: readonly { idle(): Promise<void> }[],
): Promise<void> {
  const settle = async () => {
    for (let i = 0; i < 3; i++) for (const n of notifiers) await n.idle();
  };
  await settle();
  for (;;) {
    const next = clock.waiting()[0];
    if (next === undefined || clock.now() + next > to) break;
    clock.advance(next);
    await settle();
  }
  if (to > clock.now()) clock.advance(to - clock.now());
  await settle();
}
