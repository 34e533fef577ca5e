import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type ServiceId = 'batch' | 'ecs' | 'logs';

export interface ShapeRef {
  shape: string;
  location?: string;
  locationName?: string;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: string;
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  document?: boolean;
  exception?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string };
  input?: ShapeRef;
  output?: ShapeRef;
}

export interface ServiceModel {
  metadata: { protocol: string; targetPrefix?: string; apiVersion: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

const MODEL_DIRS = {
  batch: 'batch/2016-08-10',
  ecs: 'ecs/2014-11-13',
  logs: 'logs/2014-03-28',
} as const satisfies Record<ServiceId, string>;

/** Env var naming botocore's `data` directory; skips asking python3 for it. */
export const BOTOCORE_DATA_ENV = 'AWS_TESTBED_BOTOCORE_DATA';

let dataDir: string | null = null;
const loaded = new Map<ServiceId, ServiceModel>();

/**
 * Finds botocore's data directory once per process: the env var if set, else
 * `python3 -c "import botocore"`. Throws a message that says what to install,
 * because a silently skipped model check would let the fake drift.
 */
export function botocoreDataDir(): string {
  if (dataDir !== null) return dataDir;
  const fromEnv = process.env[BOTOCORE_DATA_ENV];
  if (fromEnv) {
    dataDir = fromEnv;
    return dataDir;
  }
  try {
    const pkg = execFileSync(
      'python3',
      ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
    dataDir = join(pkg, 'data');
    return dataDir;
  } catch (error) {
    throw new Error(
      `aws-testbed model check: cannot locate botocore's service models (python3 with botocore is ` +
        `needed, or set ${BOTOCORE_DATA_ENV} to botocore's data directory): ${String(error)}`,
    );
  }
}

export function loadServiceModel(service: ServiceId): ServiceModel {
  const cached = loaded.get(service);
  if (cached) return cached;
  const base = join(botocoreDataDir(), MODEL_DIRS[service], 'service-2.json');
  let text: string;
  if (existsSync(`${base}.gz`)) text = gunzipSync(readFileSync(`${base}.gz`)).toString('utf8');
  else if (existsSync(base)) text = readFileSync(base, 'utf8');
  else throw new Error(`aws-testbed model check: no service model at ${base}(.gz)`);
  const model = JSON.parse(text) as ServiceModel;
  loaded.set(service, model);
  return model;
}
