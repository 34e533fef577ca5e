export { SshConnection, createSshConnection } from './ssh-connection';
export { SshPool } from './ssh-pool';
export {
  DEFAULT_MAX_CHANNELS,
  describeTarget,
  type SshConnectionDeps,
  type SshStatus,
  type SshStatusListener,
  type SshTarget,
} from './ssh-target';
export { sha256Fingerprint, normalizeFingerprint } from './host-key';
export {
  parseKnownHosts,
  lookupHostKey,
  knownHostsName,
  type KnownHostsEntry,
  type KnownHostsFile,
  type HostKeyLookup,
} from './known-hosts';
export { expandHome } from './key-file';
