export * from './domain';
export * from './runtime/clock';
export * from './runtime/command-runner';
export * from './runtime/errors';
export type * from './backends/backend';
