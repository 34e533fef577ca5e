export interface SigV4Credential {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  service: string;
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/batch/aws4_request, ...`.
 * The signature itself is not verified: this server has no secrets to check it with.
 * Null when the header is absent or not SigV4.
 */
export function parseSigV4Authorization(header: string | undefined): SigV4Credential | null {
  if (!header?.startsWith('AWS4-HMAC-SHA256 ')) return null;
  const match = /Credential=([^,\s]+)/.exec(header);
  if (!match?.[1] || !/SignedHeaders=/.test(header) || !/Signature=[0-9a-f]+/.test(header)) {
    return null;
  }
  const [accessKeyId, date, region, service, terminator] = match[1].split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') return null;
  return { accessKeyId, date, region, service };
}
