import { useSystemInfo } from '../api/use-system-info';
import { EmptyState } from '../ui/empty-state';
import { useNow } from '../ui/use-now';
import { SourceCard } from './source-card';
import { useSources } from './use-sources';
import './sources.css';

const SNIPPET = `sources:
  - name: ml-jobs
    url: git@github.com:org/ml-jobs.git
    branch: main
    deploy_key: ~/.ssh/ml-jobs-deploy-key`;

/** Git sources: where each checkout stands, live, with Sync (and Reset after an upstream rewrite). */
export function SourcesPage() {
  const sources = useSources();
  const nowMs = useNow(1_000);
  const info = useSystemInfo();
  return (
    <div className="page">
      <title>Sources · ScriptHut</title>
      <div className="page-header">
        <h1>Sources</h1>
        <p className="page-header__meta">
          Git repositories of job definitions, cloned and kept in sync on this server.
        </p>
      </div>
      {sources.isPending ? (
        <section
          className="sources sources--loading"
          aria-busy="true"
          data-testid="sources-loading"
        />
      ) : sources.isError ? (
        <p className="alert alert--danger" role="alert" data-testid="sources-load-error">
          Cannot load the sources: {sources.error.message}
        </p>
      ) : sources.data.length === 0 ? (
        <EmptyState title="No git sources configured" testId="no-sources">
          <p>
            Add repositories under <code>sources:</code> in{' '}
            {info.data?.configPath ? <code>{info.data.configPath}</code> : 'the configuration file'}{' '}
            and restart ScriptHut. SSH URLs use the deploy key; HTTPS URLs may name a token variable
            with <code>token_env</code>.
          </p>
          <pre className="code-block">{SNIPPET}</pre>
        </EmptyState>
      ) : (
        <section className="sources" aria-label="Git sources" data-testid="sources-list">
          {sources.data.map((s) => (
            <SourceCard key={s.name} source={s} nowMs={nowMs} />
          ))}
        </section>
      )}
    </div>
  );
}
