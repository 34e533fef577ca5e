import type { ServiceId } from '../model/botocore-models';
import { authError, AwsError } from '../protocol/aws-error';
import { parseSigV4Authorization } from '../protocol/sigv4-credential';

export type KeyRefusal =
  'UnrecognizedClientException' | 'ExpiredTokenException' | 'InvalidSignatureException';

const REFUSAL_MESSAGES = {
  UnrecognizedClientException: 'The security token included in the request is invalid.',
  ExpiredTokenException: 'The security token included in the request is expired',
  InvalidSignatureException:
    'The request signature we calculated does not match the signature you provided. Check your ' +
    'AWS Secret Access Key and signing method. Consult the service documentation for details.',
} as const satisfies Record<KeyRefusal, string>;

export interface AccessPolicyOptions {
  accountId: string;
  region: string;
  /** Principal named in AccessDenied messages. */
  principalArn: string;
  refusedAccessKeys?: Record<string, KeyRefusal>;
  /** IAM actions answered with AccessDeniedException, e.g. `batch:SubmitJob` or `logs:*`. */
  deniedActions?: string[];
}

/** Authentication (SigV4 header present, key not refused) and a per-action deny list. */
export class AccessPolicy {
  private refused: Map<string, KeyRefusal>;
  private denied: Set<string>;

  constructor(private readonly o: AccessPolicyOptions) {
    this.refused = new Map(Object.entries(o.refusedAccessKeys ?? {}));
    this.denied = new Set(o.deniedActions ?? []);
  }

  refuseAccessKeys(keys: Record<string, KeyRefusal | null>): void {
    for (const [key, refusal] of Object.entries(keys)) {
      if (refusal === null) this.refused.delete(key);
      else this.refused.set(key, refusal);
    }
  }

  /** Replaces the deny list. */
  denyActions(actions: string[]): void {
    this.denied = new Set(actions);
  }

  /** Returns the caller's access key id, or throws the error AWS answers. */
  authenticate(service: ServiceId, authorization: string | undefined): string {
    const credential = parseSigV4Authorization(authorization);
    if (!credential) {
      throw new AwsError(
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        service === 'batch' ? 403 : 400,
      );
    }
    if (credential.service !== service) {
      throw authError(
        service,
        'InvalidSignatureException',
        `Credential should be scoped to correct service: '${service}'. `,
      );
    }
    const refusal = this.refused.get(credential.accessKeyId);
    if (refusal) throw authError(service, refusal, REFUSAL_MESSAGES[refusal]);
    return credential.accessKeyId;
  }

  authorize(service: ServiceId, operation: string): void {
    const action = `${service}:${operation}`;
    if (!this.denied.has(action) && !this.denied.has(`${service}:*`)) return;
    const resource = `arn:aws:${service}:${this.o.region}:${this.o.accountId}:*`;
    throw authError(
      service,
      'AccessDeniedException',
      `User: ${this.o.principalArn} is not authorized to perform: ${action} on resource: ` +
        `${resource} because no identity-based policy allows the ${action} action`,
    );
  }
}
