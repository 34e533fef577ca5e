import type { ReactNode } from 'react';
import { EmptyState } from '../ui/empty-state';

/** Shell for pages whose feature is not built yet: says honestly what will appear here. */
export function PlaceholderPage({
  title,
  emptyTitle,
  testId,
  children,
}: {
  title: string;
  emptyTitle: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="page">
      <title>{`${title} · ScriptHut`}</title>
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <EmptyState title={emptyTitle} testId={testId}>
        {children}
      </EmptyState>
    </div>
  );
}
