export { createEcsCluster, type EcsTuning } from './create-ecs-cluster';
export { EcsBackend } from './ecs-backend';
