import { useEffect, useRef, useState } from 'react';

const URL_SYNC_DELAY_MS = 150;

/**
 * The search box keeps its own state so typing never waits for a router
 * update: every keystroke goes to `onType` at once (the table filters as the
 * user types), and the text reaches the URL (`onChange`) shortly after typing
 * pauses. A change from outside (Clear filters, Back) replaces the text.
 */
export function SearchInput({
  value,
  onChange,
  onType,
}: {
  value: string;
  onChange: (text: string) => void;
  onType?: (text: string) => void;
}) {
  const [text, setText] = useState(value);
  const lastSent = useRef(value);
  const onChangeRef = useRef(onChange);
  const onTypeRef = useRef(onType);
  useEffect(() => {
    onChangeRef.current = onChange;
    onTypeRef.current = onType;
  });

  useEffect(() => {
    if (value !== lastSent.current) {
      lastSent.current = value;
      setText(value);
      onTypeRef.current?.(value);
    }
  }, [value]);

  useEffect(() => {
    if (text === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = text;
      onChangeRef.current(text);
    }, URL_SYNC_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <input
      type="search"
      className="input jobs-toolbar__search"
      aria-label="Search jobs"
      placeholder="Search id, name, user, node, reason…"
      data-testid="jobs-search"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onType?.(e.target.value);
      }}
    />
  );
}
