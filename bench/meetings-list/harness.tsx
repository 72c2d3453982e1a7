// The Meetings screen's list, alone in a page, for bench/meetings-list.bench.ts: the real
// component (MeetingsView with its windowed list and search) and the app's stylesheet, fed
// synthetic meetings, so the figures are the list's own cost in a real browser. Exposes
// `window.__bench` for the bench to drive; every timing is taken inside the page.
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import '../../src-renderer/src/styles/app.css';
import type { MeetingDoc, PersonDoc, SeriesDoc } from '../../src-renderer/src/db/schemas';
import { MeetingsView } from '../../src-renderer/src/features/meetings/MeetingsView';
import type { MeetingText } from '../../src-renderer/src/features/meetings/meeting-search';
import { useMeetingsViewState } from '../../src-renderer/src/features/meetings/view-state';

const HOUR = 3_600_000;
const ME = 'me@example.com';
const WORDS = 'plan budget review hiring roadmap goals feedback launch design offsite metrics'.split(' ');

function data(n: number, now: number) {
  const people: PersonDoc[] = Array.from({ length: 40 }, (_, i) => ({
    id: `p${i}`,
    name: `Person ${i}`,
    email: `p${i}@example.com`,
    aliases: [],
    managerEmail: ME,
    startDate: '',
    directReport: true,
    createdAt: 0,
    updatedAt: 0,
  }));
  const series = new Map<string, SeriesDoc>(
    people.map((p) => [
      `s${p.id}`,
      {
        id: `s${p.id}`,
        title: `${p.name} / Me`,
        participants: [p.email, ME].sort(),
        cadence: 'weekly',
        linkState: 'linked',
        archived: false,
        createdAt: 0,
        updatedAt: 0,
      },
    ]),
  );
  const meetings: MeetingDoc[] = [];
  const texts = new Map<string, MeetingText>();
  for (let i = 0; i < n; i++) {
    const p = people[i % people.length]!;
    // Three in four ahead of now, so Upcoming (the first tab) holds most of them.
    const start = now + (i - Math.floor(n / 4)) * HOUR;
    const id = `m${i}`;
    meetings.push({
      id,
      seriesId: `s${p.id}`,
      title: `${p.name} / Me`,
      start,
      end: start + HOUR / 2,
      participants: [p.email, ME].sort(),
      owner: ME,
      source: i % 3 === 0 ? 'app' : 'calendar',
      linkState: 'linked',
      state: i % 50 === 7 ? 'cancelled' : 'scheduled',
      roomId: '',
      createdAt: 0,
      updatedAt: 0,
    });
    const w = (k: number) => WORDS[(i * 7 + k) % WORDS.length];
    texts.set(id, {
      agenda: `${w(1)} for next quarter\n${w(2)} check-in`,
      actionItems: `Send the ${w(3)} notes`,
      notes: `We talked about ${w(4)} and ${w(5)}. ${'Longer notes line. '.repeat(20)}${i % 100 === 0 ? 'zeppelin' : ''}`,
    });
  }
  return { people, series, meetings, texts };
}

let root: Root | null = null;
let stage: HTMLElement | null = null;
const frame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

const bench = {
  /** Mounts the screen with n meetings; ms from render call to laid out, and to the next frame. */
  async render(n: number): Promise<{ sync: number; frame: number; rows: number }> {
    bench.unmount();
    useMeetingsViewState.getState().reset();
    const now = Date.now();
    const { people, series, meetings, texts } = data(n, now);
    stage = document.createElement('div');
    document.body.append(stage);
    await frame();
    const t0 = performance.now();
    root = createRoot(stage);
    flushSync(() =>
      root!.render(
        <MeetingsView
          meetings={meetings}
          context={{ people, series, selves: new Set([ME]) }}
          texts={texts}
          now={now}
        />,
      ),
    );
    stage.getBoundingClientRect(); // forces style and layout
    const sync = performance.now() - t0;
    await frame();
    return {
      sync,
      frame: performance.now() - t0,
      rows: stage.querySelectorAll('[data-testid="meeting"]').length,
    };
  },
  /** Scrolls the list to `fraction` of its height; ms until the rows there are in the DOM and painted. */
  async scroll(fraction: number): Promise<{ ms: number; rows: number }> {
    const box = stage!.querySelector<HTMLElement>('.vlist')!;
    const rowHeight = 76;
    const target = Math.floor((box.scrollHeight - box.clientHeight) * fraction);
    const index = Math.floor(target / rowHeight) + 1;
    const t0 = performance.now();
    box.scrollTop = target;
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (box.querySelector(`[data-row-index="${index}"]`)) break;
      if (performance.now() - t0 > 5000) throw new Error('the rows never came');
    }
    await frame();
    return { ms: performance.now() - t0, rows: stage!.querySelectorAll('[data-testid="meeting"]').length };
  },
  /** Types `query` into the search box at once; ms until the tab counts show the result. */
  async search(query: string): Promise<{ ms: number; upcoming: string }> {
    const input = stage!.querySelector<HTMLInputElement>('input[type="search"]')!;
    const tab = stage!.querySelector<HTMLElement>('[role="tab"]')!;
    const before = tab.textContent;
    const t0 = performance.now();
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    setter.call(input, query);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      if (tab.textContent !== before) break;
      if (performance.now() - t0 > 5000) throw new Error('the search never answered');
    }
    await frame();
    return { ms: performance.now() - t0, upcoming: tab.textContent ?? '' };
  },
  unmount() {
    root?.unmount();
    root = null;
    stage?.remove();
    stage = null;
  },
};

(window as unknown as { __bench: typeof bench }).__bench = bench;
document.title = 'ready';
