// Turning bridge failures into words next to the right control.
//
// Errors are recognised by shape (`code`, `message`, optional `path`) rather than with
// `instanceof BridgeError`: an error that crossed a context boundary (Electron's contextBridge,
// a structured clone) is no longer an instance of the class, but keeps its data when the
// transport preserves it.
import type { BridgeErrorCode } from '../../../../src-shared/bridge/define';

export interface BridgeErrorLike {
  code: BridgeErrorCode;
  message: string;
  path?: string | undefined;
}

const codes: readonly string[] = [
  'UNKNOWN_METHOD',
  'BAD_PAYLOAD',
  'HANDLER_FAILED',
  'BAD_OUTPUT',
  'TRANSPORT',
];

export function asBridgeError(err: unknown): BridgeErrorLike | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as Record<string, unknown>;
  if (typeof e.code !== 'string' || !codes.includes(e.code) || typeof e.message !== 'string') return null;
  return {
    code: e.code as BridgeErrorCode,
    message: e.message,
    path: typeof e.path === 'string' ? e.path : undefined,
  };
}

export function errorMessage(err: unknown): string {
  const bridgeError = asBridgeError(err);
  if (bridgeError) return bridgeError.message;
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  return 'Something went wrong.';
}

/**
 * The form field a BAD_PAYLOAD error is about. The path is dotted and may be nested under the
 * method's input (e.g. 'syncServerUrl' or 'input.syncServerUrl'): the last segment that names one
 * of `fields` wins. Null when the error is not about a single known field.
 */
export function fieldOfError<F extends string>(err: unknown, fields: readonly F[]): F | null {
  const e = asBridgeError(err);
  if (!e || e.code !== 'BAD_PAYLOAD' || !e.path) return null;
  const segments = e.path.split('.').reverse();
  return (segments.find((s) => (fields as readonly string[]).includes(s)) as F | undefined) ?? null;
}
