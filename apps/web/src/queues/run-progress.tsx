import { useEffect, useState } from 'react';

/** "Running the task source command… 3s": shown while a run or dry run waits for the cluster. */
export function RunProgress({ what }: { what: string }) {
  const [startMs] = useState(() => Date.now());
  const [nowMs, setNowMs] = useState(startMs);
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.floor((nowMs - startMs) / 1_000);
  return (
    <p className="run-progress" role="status" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      {what}
      {seconds > 0 && <span className="muted"> {seconds}s</span>}
    </p>
  );
}
