import { PlaceholderPage } from './placeholder-page';

export function SourcesPage() {
  return (
    <PlaceholderPage
      title="Sources"
      emptyTitle="Git sources are not available yet"
      testId="sources-placeholder"
    >
      <p>
        This page will list the git sources from the <code>sources:</code> section of your
        configuration: the repositories holding job definitions, the branch tracked, when each was
        last synced, and a button to sync now.
      </p>
    </PlaceholderPage>
  );
}
