export {
  SACCT_FIELDS,
  SQUEUE_FIELDS,
  assertJobId,
  sacctCommand,
  sbatchCommand,
  scancelCommand,
  scancelTarget,
  squeueCommand,
  type SacctField,
  type SqueueField,
  type SqueueOptions,
} from './commands';
export { parseSacct, type SacctRow } from './parse-sacct';
export { parseSbatchOutput, toSubmitOutcome, type SbatchOutcome } from './parse-sbatch-output';
export { parseScancelOutput } from './parse-scancel-output';
export { SCRIPTHUT_COMMENT_PREFIX, parseSqueue, type SqueueJob } from './parse-squeue';
export { newRecordSeparator } from './record-separator';
export { renderJobScript, sanitizeJobName } from './render-job-script';
export { resolveFinalReports } from './resolve-final-reports';
export {
  SLURM_STATES,
  SLURM_STATE_TO_JOB_STATE,
  SLURM_STATE_TO_OUTCOME,
  TRUNCATED_SLURM_STATES,
  jobStateOf,
  slurmStateOf,
  type SlurmState,
} from './slurm-state';
export { createSlurmCluster, slurmQueueSupport } from './create-slurm-cluster';
