export { LocalBackend, type LocalBackendOptions } from './local-backend';
export { renderLocalScript } from './render-local-script';
export { createLocalCluster } from './create-local-cluster';
