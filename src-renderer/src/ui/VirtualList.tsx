// A windowed list (docs/architecture.md §5, "Meetings screen"): rows of one fixed height, only
// those in view (plus a few either side) in the DOM, so 5,000 meetings cost what 20 do. Below
// `windowFrom` rows everything is rendered: cheap at that size, and the browser's find-in-page
// then sees every row.
// Keyboard: one tab stop (roving tabindex). Up/Down, Page Up/Down, Home/End move between rows,
// scrolling the row into view and focusing its first `[data-row-focus]` element; Enter on a link
// follows it as usual. Rows are role listitem with aria-posinset/setsize, so a screen reader
// knows where it is in the whole list, not just the rendered part.
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';

export interface RowState {
  /** The row holding the list's tab stop: its controls get tabIndex 0, the others -1. */
  focusable: boolean;
}

interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** The list's accessible name. */
  label: string;
  itemKey: (item: T) => string;
  /** Each row's accessible name (a screen reader announces it on entering the row). */
  itemLabel?: (item: T) => string;
  renderRow: (item: T, index: number, state: RowState) => ReactNode;
  /** The scrolling box's height when nothing else sizes it (tests, first frame). */
  fallbackHeight?: number;
  windowFrom?: number;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  className?: string;
}

export function VirtualList<T>({
  items,
  rowHeight,
  label,
  itemKey,
  itemLabel,
  renderRow,
  fallbackHeight = 560,
  windowFrom = 150,
  overscan = 6,
  className,
}: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(fallbackHeight);
  const [activeRaw, setActive] = useState(0);
  const focusWanted = useRef(false);
  const active = Math.max(0, Math.min(activeRaw, items.length - 1));

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight || fallbackHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [fallbackHeight]);

  // A shorter list (a filter, a search) may leave the box scrolled past its end.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && el.scrollTop > items.length * rowHeight) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [items.length, rowHeight]);

  const windowed = items.length >= windowFrom;
  const first = windowed ? Math.max(0, Math.floor(scrollTop / rowHeight) - overscan) : 0;
  const last = windowed
    ? Math.min(items.length, Math.ceil((scrollTop + viewport) / rowHeight) + overscan)
    : items.length;

  const moveTo = useCallback(
    (index: number) => {
      const el = scroller.current;
      const i = Math.max(0, Math.min(index, items.length - 1));
      if (el) {
        const top = i * rowHeight;
        const height = el.clientHeight || viewport;
        let next = el.scrollTop;
        if (top < next) next = top;
        else if (top + rowHeight > next + height) next = top + rowHeight - height;
        if (next !== el.scrollTop) {
          el.scrollTop = next;
          setScrollTop(next);
        }
      }
      focusWanted.current = true;
      setActive(i);
    },
    [items.length, rowHeight, viewport],
  );

  // Focus follows the active row once it is rendered.
  useEffect(() => {
    if (!focusWanted.current) return;
    const target = scroller.current?.querySelector<HTMLElement>(
      `[data-row-index="${active}"] [data-row-focus]`,
    );
    if (target) {
      focusWanted.current = false;
      target.focus();
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (items.length === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const perPage = Math.max(1, Math.floor(viewport / rowHeight) - 1);
    // From the box itself (its active row scrolled away), the first key lands in view.
    const from =
      e.target === scroller.current ? Math.min(Math.ceil(scrollTop / rowHeight), items.length - 1) : active;
    const to =
      e.key === 'ArrowDown'
        ? e.target === scroller.current
          ? from
          : from + 1
        : e.key === 'ArrowUp'
          ? from - 1
          : e.key === 'PageDown'
            ? from + perPage
            : e.key === 'PageUp'
              ? from - perPage
              : e.key === 'Home'
                ? 0
                : e.key === 'End'
                  ? items.length - 1
                  : null;
    if (to === null) return;
    e.preventDefault();
    moveTo(to);
  };

  const activeRendered = active >= first && active < last;
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const item = items[i] as T;
    rows.push(
      <div
        key={itemKey(item)}
        role="listitem"
        aria-label={itemLabel?.(item)}
        aria-posinset={i + 1}
        aria-setsize={items.length}
        data-row-index={i}
        className="vlist__row"
        style={{ top: i * rowHeight, height: rowHeight }}
        onFocus={() => setActive(i)}
      >
        {renderRow(item, i, { focusable: i === active })}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      className={`vlist${className ? ` ${className}` : ''}`}
      // The box is a tab stop only while the active row is scrolled out of the DOM.
      tabIndex={activeRendered ? -1 : 0}
      aria-label={activeRendered ? undefined : label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div
        role="list"
        aria-label={label}
        className="vlist__body"
        style={{ height: items.length * rowHeight }}
      >
        {rows}
      </div>
    </div>
  );
}
