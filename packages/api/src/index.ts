export type { AppRouter } from './app-router';
export type { StreamMessage } from './routers/events';
export { createApp } from './create-app';
