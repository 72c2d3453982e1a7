// The queue that computes sync replies (issue 12, item 2): never inside the caller, users in
// turn, the event loop turning between slices, and a user past its byte budget waiting while
// the others are served.
import { describe, expect, it } from 'vitest';
import { FairWorkQueue } from '../../../sync-server/limits/fair-work-queue';

const LARGE = { bytesPerUserBurst: 1e12, bytesPerUserPerSecond: 1e12, sliceMs: 5 };
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const idle = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls until `done()` (a busy shared machine may take longer than the work needs). */
async function until(done: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await idle(5);
}

describe('FairWorkQueue', () => {
  it('never runs a job inside enqueue', async () => {
    const queue = new FairWorkQueue(LARGE);
    let ran = false;
    queue.enqueue('a', () => ((ran = true), 0));
    expect(ran).toBe(false);
    await until(() => ran);
    expect(ran).toBe(true);
  });

  it('serves users in turn, however many jobs one of them queued first', async () => {
    const queue = new FairWorkQueue(LARGE);
    const order: string[] = [];
    for (let i = 1; i <= 3; i++) queue.enqueue('a', () => (order.push(`a${i}`), 0));
    queue.enqueue('b', () => (order.push('b1'), 0));
    queue.enqueue('c', () => (order.push('c1'), 0));
    await until(() => order.length === 5);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
  });

  it('lets the event loop turn between slices of long jobs', async () => {
    const queue = new FairWorkQueue(LARGE);
    let done = 0;
    for (let i = 0; i < 20; i++) queue.enqueue('a', () => (busy(4), done++, 0));
    const seenAt: number[] = [];
    const ticker = setInterval(() => seenAt.push(done), 1);
    await until(() => done === 20);
    clearInterval(ticker);
    expect(done).toBe(20);
    // the timer ran while jobs were still waiting, many times
    expect(seenAt.filter((d) => d > 0 && d < 20).length).toBeGreaterThan(3);
    expect(queue.stats().slowestSliceMs).toBeLessThan(100);
  });

  it('makes a user past its byte budget wait while another user is served', async () => {
    const queue = new FairWorkQueue({ bytesPerUserBurst: 1000, bytesPerUserPerSecond: 10_000, sliceMs: 5 });
    const at: Record<string, number> = {};
    const start = performance.now();
    queue.enqueue('heavy', () => ((at.h1 = performance.now() - start), 3000)); // 2000 into debt
    queue.enqueue('heavy', () => ((at.h2 = performance.now() - start), 0));
    queue.enqueue('light', () => ((at.l1 = performance.now() - start), 10));
    await until(() => Object.keys(at).length === 3);
    expect(Object.keys(at).sort()).toEqual(['h1', 'h2', 'l1']);
    expect(at.l1!).toBeLessThan(at.h2!);
    // 2,000 bytes of debt at 10,000 per second: about 200 ms
    expect(at.h2! - at.h1!).toBeGreaterThanOrEqual(150);
    expect(queue.stats().deferrals).toBeGreaterThan(0);
  });

  it('keeps a debt after the user’s queue empties', async () => {
    const queue = new FairWorkQueue({ bytesPerUserBurst: 1000, bytesPerUserPerSecond: 10_000, sliceMs: 5 });
    const start = performance.now();
    let second = 0;
    queue.enqueue('heavy', () => 3000);
    await idle(20);
    queue.enqueue('heavy', () => ((second = performance.now() - start), 0));
    await until(() => second > 0);
    expect(second).toBeGreaterThanOrEqual(150);
  });

  it('a failing job stops nothing else; close drops what is queued', async () => {
    const queue = new FairWorkQueue(LARGE);
    const ran: string[] = [];
    queue.enqueue('a', () => {
      throw new Error('boom');
    });
    queue.enqueue('a', () => (ran.push('after'), 0));
    await until(() => ran.length === 1);
    expect(ran).toEqual(['after']);
    queue.enqueue('a', () => (ran.push('dropped'), 0));
    queue.close();
    await idle(20);
    expect(ran).toEqual(['after']);
  });
});
