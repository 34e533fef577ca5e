import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Must match `--log-line-height` in logs.css (unwrapped lines are exactly one line high). */
const LINE_HEIGHT_PX = 18;
/** Within this distance of the bottom counts as "at the end": auto-scroll stays on. */
const STICK_SLACK_PX = 24;

/**
 * The lines of a log, virtualized so 10,000 of them scroll smoothly. Sticks
 * to the end as lines arrive until the user scrolls up; "Jump to end" (or
 * scrolling back down) re-enables it. Wrapped lines are measured.
 */
export function LogLines({
  lines,
  wrap,
  label,
}: {
  lines: readonly string[];
  wrap: boolean;
  label: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [stick, setStick] = useState(true);
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_HEIGHT_PX,
    overscan: 20,
  });

  const toEnd = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  useEffect(() => {
    virtualizer.measure();
  }, [wrap, virtualizer]);

  // Not virtualizer.scrollToIndex: it keeps correcting for a few frames and would undo a user's scroll up.
  useLayoutEffect(() => {
    if (stick && lines.length > 0) toEnd();
  }, [lines, stick, toEnd]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    setStick(el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_SLACK_PX);
  };

  return (
    <div className="log-lines">
      <div
        ref={scrollRef}
        className={`log-lines__scroll${wrap ? ' log-lines__scroll--wrap' : ''}`}
        role="log"
        aria-live="off"
        aria-label={label}
        tabIndex={0}
        onScroll={onScroll}
        data-testid="log-view"
      >
        <div className="log-lines__body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => (
            <div
              key={item.key}
              ref={virtualizer.measureElement}
              data-index={item.index}
              className="log-line"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {lines[item.index] || '\u00a0'}
            </div>
          ))}
        </div>
      </div>
      {!stick && lines.length > 0 && (
        <button
          type="button"
          className="button button--small log-lines__jump"
          onClick={() => {
            setStick(true);
            toEnd();
          }}
        >
          ↓ Jump to end
        </button>
      )}
    </div>
  );
}
