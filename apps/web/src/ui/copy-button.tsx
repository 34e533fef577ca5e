import { useEffect, useState } from 'react';

const RESET_MS = 2_000;

/** Copies `text` to the clipboard and says so; says why when the browser refuses. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (result === null) return;
    const timer = setTimeout(() => setResult(null), RESET_MS);
    return () => clearTimeout(timer);
  }, [result]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setResult('copied'),
      () => setResult('failed'),
    );
  };
  return (
    <button type="button" className="button button--small" onClick={copy}>
      <span aria-live="polite">
        {result === 'copied'
          ? 'Copied'
          : result === 'failed'
            ? 'Copy failed (select the text)'
            : label}
      </span>
    </button>
  );
}
