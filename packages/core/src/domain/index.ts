export * from './job';
export * from './cluster';
