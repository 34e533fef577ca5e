export { UpstreamRepo, git, type UpstreamOptions } from './testing/upstream-repo';
export { GitHttpServer, type GitHttpServerOptions } from './testing/git-http-server';
