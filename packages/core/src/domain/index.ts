export * from './job';
export * from './efficiency';
export * from './cluster';
export * from './task';
export * from './source';
export type * from './connection';
export * from './resources';
export type * from './monitor-event';
export * from './notification';
