import { EmptyState } from '../ui/empty-state';

const SNIPPET = `clusters:
  - name: hpc-cluster
    type: slurm
    ssh:
      host: slurm-login.cluster.edu
      port: 22
      user: researcher
      key_path: ~/.ssh/id_rsa`;

export function NoClusters({ configPath }: { configPath: string | null }) {
  return (
    <EmptyState title="No clusters configured" testId="no-clusters">
      <p>
        ScriptHut reads its configuration from <code>./scripthut.yaml</code> in the directory it
        starts in, or from the file given with <code>--config PATH</code>
        {configPath ? (
          <>
            {' '}
            (this server uses <code>{configPath}</code>)
          </>
        ) : null}
        . Add a cluster under <code>clusters:</code> and restart ScriptHut:
      </p>
      <pre className="code-block">{SNIPPET}</pre>
    </EmptyState>
  );
}
