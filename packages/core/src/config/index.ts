export * from './schema';
export * from './load-config';
export * from './config-error';
export { expandPath } from './paths';
export { defaultConfig } from './default-config';
export * from './notifications-schema';
export * from './auth-schema';
