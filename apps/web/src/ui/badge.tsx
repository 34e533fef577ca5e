import type { BadgeTone } from '../format/job-badge';

export function Badge({
  tone,
  label,
  title,
  testId,
}: {
  tone: BadgeTone;
  label: string;
  title?: string | null;
  testId?: string;
}) {
  return (
    <span className={`badge badge--${tone}`} title={title ?? undefined} data-testid={testId}>
      {label}
    </span>
  );
}
