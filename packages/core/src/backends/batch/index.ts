export { createBatchCluster, type BatchClusterTuning } from './create-batch-cluster';
export { BatchBackend, type BatchBackendOptions } from './batch-backend';
