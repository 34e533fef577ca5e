import { loadServiceModel, type ServiceId, type ServiceModel, type Shape } from './botocore-models';

export interface Violation {
  /** JSON path inside the request or response body, e.g. `jobs[0].status`. */
  path: string;
  message: string;
}

export type Direction = 'input' | 'output';

/**
 * Members the model marks required that the live service is documented or
 * observed to omit. Reporting them would force the fake to invent values
 * that AWS never sends (a job that never ran has no `startedAt`).
 */
const OMITTED_BY_SERVICE: ReadonlySet<string> = new Set(['batch:JobDetail.startedAt']);

/**
 * Validates `value` against the input or output shape of `operation`, as
 * botocore's model defines it: known members only, required members present,
 * JSON types, enums, min/max (length for strings/lists/maps, value for
 * numbers) and patterns. Returns every violation found, never throws for a
 * bad value; throws only when the model itself cannot be loaded or the
 * operation does not exist.
 */
export function checkOperation(
  service: ServiceId,
  operation: string,
  direction: Direction,
  value: unknown,
): Violation[] {
  const model = loadServiceModel(service);
  const op = model.operations[operation];
  if (!op) throw new Error(`aws-testbed model check: ${service} has no operation ${operation}`);
  const ref = direction === 'input' ? op.input : op.output;
  const out: Violation[] = [];
  if (!ref) {
    if (isObject(value) && Object.keys(value).length > 0) {
      out.push({ path: '', message: `${operation} has no ${direction} members, got some` });
    }
    return out;
  }
  checkShape({ model, service, out }, ref.shape, value, '');
  return out;
}

interface Ctx {
  model: ServiceModel;
  service: ServiceId;
  out: Violation[];
}

function checkShape(ctx: Ctx, shapeName: string, value: unknown, path: string): void {
  const shape = ctx.model.shapes[shapeName];
  if (!shape) {
    ctx.out.push({ path, message: `model has no shape ${shapeName}` });
    return;
  }
  const bad = (message: string): void => void ctx.out.push({ path, message });
  if (value === null) return bad(`null (${shapeName}); AWS omits absent members`);
  switch (shape.type) {
    case 'structure':
      return checkStructure(ctx, shapeName, shape, value, path);
    case 'list':
      if (!Array.isArray(value)) return bad(`expected a list (${shapeName})`);
      checkRange(shape, value.length, 'length', bad);
      value.forEach((item, i) => checkShape(ctx, shape.member?.shape ?? '', item, `${path}[${i}]`));
      return;
    case 'map':
      if (!isObject(value)) return bad(`expected a map (${shapeName})`);
      checkRange(shape, Object.keys(value).length, 'entry count', bad);
      for (const [k, v] of Object.entries(value)) {
        checkShape(ctx, shape.key?.shape ?? '', k, `${path}{key ${k}}`);
        checkShape(ctx, shape.value?.shape ?? '', v, `${join(path, k)}`);
      }
      return;
    case 'string':
      if (typeof value !== 'string') return bad(`expected a string (${shapeName})`);
      if (shape.enum && !shape.enum.includes(value)) {
        return bad(`'${value}' is not one of ${shapeName} [${shape.enum.join(', ')}]`);
      }
      checkRange(shape, [...value].length, 'length', bad);
      if (shape.pattern && !matches(shape.pattern, value)) {
        bad(`'${value}' does not match ${shapeName} pattern ${shape.pattern}`);
      }
      return;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        return bad(`expected an integer (${shapeName})`);
      }
      return checkRange(shape, value, 'value', bad);
    case 'float':
    case 'double':
      if (typeof value !== 'number') return bad(`expected a number (${shapeName})`);
      return checkRange(shape, value, 'value', bad);
    case 'boolean':
      if (typeof value !== 'boolean') bad(`expected a boolean (${shapeName})`);
      return;
    case 'timestamp':
      // AWS JSON and restJson1 carry timestamps as epoch seconds (a JSON number).
      if (typeof value !== 'number') bad(`expected epoch seconds as a number (${shapeName})`);
      return;
    case 'blob':
      if (typeof value !== 'string') bad(`expected base64 text (${shapeName})`);
      return;
    default:
      if (shape.document) return;
      bad(`unsupported shape type ${shape.type} (${shapeName})`);
  }
}

function checkStructure(
  ctx: Ctx,
  shapeName: string,
  shape: Shape,
  value: unknown,
  path: string,
): void {
  if (!isObject(value)) {
    ctx.out.push({ path, message: `expected a structure (${shapeName})` });
    return;
  }
  const members = shape.members ?? {};
  for (const name of shape.required ?? []) {
    const ref = members[name];
    if (ref?.location) continue; // carried in a header or the URI, not the body
    if (OMITTED_BY_SERVICE.has(`${ctx.service}:${shapeName}.${name}`)) continue;
    if (value[name] === undefined) {
      ctx.out.push({ path: join(path, name), message: `missing required member of ${shapeName}` });
    }
  }
  for (const [name, member] of Object.entries(value)) {
    const ref = members[name];
    if (!ref || ref.location) {
      ctx.out.push({ path: join(path, name), message: `unknown member of ${shapeName}` });
      continue;
    }
    if (member === undefined) continue;
    checkShape(ctx, ref.shape, member, join(path, name));
  }
}

function checkRange(shape: Shape, n: number, what: string, bad: (m: string) => void): void {
  if (shape.min !== undefined && n < shape.min)
    bad(`${what} ${n} is below the minimum ${shape.min}`);
  if (shape.max !== undefined && n > shape.max)
    bad(`${what} ${n} is above the maximum ${shape.max}`);
}

const patterns = new Map<string, RegExp | null>();

/**
 * Whole-value match, as the services enforce it (a log stream name with ':'
 * fails `[^:*]*` on AWS), although Smithy calls patterns unanchored.
 * Java-only syntax that JS rejects is skipped.
 */
function matches(pattern: string, value: string): boolean {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null;
    }
    patterns.set(pattern, re);
  }
  return re === null || re.test(value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
