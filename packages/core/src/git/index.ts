export { GitSources, type GitSourcesDeps, type SourceEvent, type SourcesApi } from './git-sources';
export { SourceError, isSourceError } from './source-error';
export {
  parseSourceUrl,
  singleQuote,
  uploadPackCommand,
  transportUrl,
  type SourceRemote,
} from './source-url';
