export * from './job';
export * from './cluster';
export * from './task';
export * from './source';
export * from './notification';
