/** An error shaped as the AWS SDK v3 raises them (service code in `name`, HTTP status in `$metadata`). */
export function sdkError(
  name: string,
  message: string,
  httpStatusCode?: number,
  fault: 'client' | 'server' = 'client',
): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: fault,
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
  });
}

/** A socket error as Node raises it (`code`), as the SDK passes it on. */
export function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code, $metadata: {} });
}
