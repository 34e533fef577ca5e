export { LocalBackend, type LocalBackendOptions } from './local-backend';
export { renderLocalScript } from './render-local-script';
