/** Help texts of the client commands; the exit codes are the same table as README "Command-line client". */
export const EXIT_CODES_HELP = `Exit codes of the client commands:
  0    done
  1    what was asked for failed (a followed job ended failed or lost, a cancel was refused)
  2    usage error (unknown command or option, bad value)
  3    cannot reach the server (not running, wrong --server, not a ScriptHut server)
  4    not authorized (no token, a wrong or revoked one, or too many refused tokens lately)
  5    not found (no such job, queue or task source)
  130  interrupted (Ctrl-C)`;

export const GLOBAL_OPTIONS_HELP = `Options of every client command:
      --server URL      the ScriptHut server (default: $SCRIPTHUT_SERVER, else http://127.0.0.1:8000)
      --token-env NAME  read the bearer token from environment variable NAME (default: SCRIPTHUT_TOKEN);
                        needed when the server has a login configured (see "scripthut token --help")
      --json            print one JSON document on stdout instead of a table
  -h, --help            show help for the command`;

export const COMMAND_HELP = {
  jobs: `Usage: scripthut jobs [--state STATE[,STATE…]] [--cluster NAME] [--user USER] [--search TEXT] [--limit N]

List jobs, newest first.

      --state LIST   only jobs in these states: pending, submitted, running, finishing, completed,
                     failed, unknown (comma-separated)
      --cluster NAME only jobs of this cluster
      --user USER    only jobs of this user
      --search TEXT  jobs whose name, id, scheduler id or user contains TEXT
      --limit N      at most N jobs (1 to 20000, default 50)`,
  logs: `Usage: scripthut logs JOB [--err] [-n LINES] [-f]

Print the last lines of a job's output log (JOB is an id as "scripthut jobs" shows it).

      --err          the error log instead of the output log
  -n, --lines N      how many lines (1 to 10000, default 50)
  -f, --follow       keep printing what the job writes until it ends; the exit code then says how it
                     ended: 0 completed, 1 failed or lost. Not with --json.`,
  run: `Usage: scripthut run SOURCE [--dry-run]

Start a queue from the task source SOURCE (as configured on the server).

      --dry-run      fetch and check the tasks and print the plan; submit nothing`,
  queues: `Usage: scripthut queues

List queues, newest first.`,
  cancel: `Usage: scripthut cancel JOB|QUEUE

Cancel one job (an id with a colon, e.g. local:123 or q:QUEUE:TASK) or every unfinished task of a
queue (a queue id). Exit code 1 when the scheduler refused, or there was nothing to cancel.`,
  retry: `Usage: scripthut retry QUEUE [--kinds KIND[,KIND…]]

Start a new attempt of the queue's tasks whose last attempt ended in one of KINDS (and the tasks
that depend on them).

      --kinds LIST   failed, timeout, oom, lost, cancelled, skipped (comma-separated;
                     default: failed,timeout,oom,lost)`,
  token: `Usage: scripthut token create NAME [--user USER] | list | revoke ID  [--config PATH] [--json]

Manage the bearer tokens tools use (Authorization: Bearer …). Run on the server machine: the tokens
live in the data directory of the configuration (settings.data_dir, file api-tokens.json, mode 600),
only as hashes. A running server notices a revoke on the next request.

  create NAME        make a token and print it once (NAME: letters, digits, ".", "_", "@", "-")
      --user USER    the token acts as USER of settings.auth.users (default: the shared account)
  list               the tokens: id, name, created, last used, revoked
  revoke ID          stop token ID from working

  -c, --config PATH  configuration file (default: ./scripthut.yaml, then ./scripthut.yml)`,
} as const;

export type ClientCommandName = keyof typeof COMMAND_HELP;
export const CLIENT_COMMANDS = Object.keys(COMMAND_HELP) as ClientCommandName[];

export const COMMANDS_SUMMARY = `Commands (talk to a running server; "scripthut COMMAND --help" for each):
  jobs       list jobs               logs JOB     print or follow a job's log
  run SOURCE start a queue           queues       list queues
  cancel ID  cancel a job or queue   retry QUEUE  retry a queue's failed tasks
  token      create, list or revoke bearer tokens (on the server machine)`;

export function commandHelp(name: ClientCommandName): string {
  const global = name === 'token' ? '' : `\n\n${GLOBAL_OPTIONS_HELP}`;
  return `${COMMAND_HELP[name]}${global}\n\n${EXIT_CODES_HELP}\n`;
}
