/**
 * A server error shown in full: task-source errors are precise multi-line
 * messages (stderr, where the JSON breaks, which field of which task), so
 * they are kept preformatted and selectable, never truncated.
 */
export function ErrorBlock({ message, testId }: { message: string; testId?: string }) {
  return (
    <pre className="code-block code-block--inline error-block" role="alert" data-testid={testId}>
      {message}
    </pre>
  );
}
