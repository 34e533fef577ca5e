/**
 * One service's operations. Each handler receives the parsed JSON body (already
 * checked against the model when validation is on) and returns the output
 * object; it throws `AwsError` for answers AWS gives as errors.
 */
export type OperationTable = Record<string, (input: unknown) => unknown>;
