// Fault switches: the next N requests to a path answer 429, 5xx or 412 (as when the event changed
// between a client's read and its conditional write), every sync/delta token expires, or the next
// N push notifications are dropped.
import { ValidationError } from './errors';

export type FaultKind = 'rateLimit' | 'serverError' | 'preconditionFailed' | 'expireTokens' | 'dropPush';

export interface PathFault {
  id: number;
  kind: 'rateLimit' | 'serverError' | 'preconditionFailed';
  /** Path prefix as the client sees it, e.g. "/v1.0/me/calendarView" or "/calendar/v3/". */
  path: string;
  method?: string;
  remaining: number;
  /** Seconds, sent as Retry-After (rateLimit; serverError only when > 0). */
  retryAfter: number;
  status: number;
}

export interface PushFault {
  id: number;
  kind: 'dropPush';
  remaining: number;
  /** Only notifications to addresses starting with this are dropped. */
  target?: string;
}

export type Fault = PathFault | PushFault;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function positiveInt(value: unknown, field: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValidationError(field, `${field} must be an integer >= ${min}`);
  }
  return value;
}

export class Faults {
  private nextId = 1;
  private active: Fault[] = [];

  constructor(private readonly expireTokens: () => number) {}

  /** Validates and arms a fault; returns what was armed (or done, for expireTokens). */
  add(input: unknown): Fault | { kind: 'expireTokens'; expired: number } {
    if (!isObject(input)) throw new ValidationError('body', 'the fault must be a JSON object');
    const kind = input.kind;
    switch (kind) {
      case 'rateLimit':
      case 'serverError':
      case 'preconditionFailed': {
        if (typeof input.path !== 'string' || !input.path.startsWith('/')) {
          throw new ValidationError('path', 'path must be a path starting with "/" (a prefix of the request path)');
        }
        if (input.method !== undefined && typeof input.method !== 'string') throw new ValidationError('method', 'method must be a string');
        const status =
          kind === 'rateLimit' ? 429 : kind === 'preconditionFailed' ? 412 : positiveInt(input.status, 'status', 500, 500);
        if (kind === 'serverError' && (status < 500 || status > 599)) throw new ValidationError('status', 'status must be between 500 and 599');
        const fault: PathFault = {
          id: this.nextId++,
          kind,
          path: input.path,
          ...(typeof input.method === 'string' ? { method: input.method.toUpperCase() } : {}),
          remaining: positiveInt(input.count, 'count', 1),
          retryAfter: positiveInt(input.retryAfter, 'retryAfter', kind === 'rateLimit' ? 1 : 0, 0),
          status,
        };
        this.active.push(fault);
        return fault;
      }
      case 'expireTokens':
        return { kind: 'expireTokens', expired: this.expireTokens() };
      case 'dropPush': {
        if (input.target !== undefined && typeof input.target !== 'string') throw new ValidationError('target', 'target must be a URL prefix string');
        const fault: PushFault = {
          id: this.nextId++,
          kind: 'dropPush',
          remaining: positiveInt(input.count, 'count', 1),
          ...(typeof input.target === 'string' ? { target: input.target } : {}),
        };
        this.active.push(fault);
        return fault;
      }
      default:
        throw new ValidationError('kind', 'kind must be one of rateLimit, serverError, preconditionFailed, expireTokens, dropPush');
    }
  }

  /** Consumes one use of the first path fault matching this request, if any. */
  takeRequestFault(method: string, path: string): PathFault | undefined {
    const fault = this.active.find(
      (f): f is PathFault => f.kind !== 'dropPush' && path.startsWith(f.path) && (!f.method || f.method === method),
    );
    if (!fault) return undefined;
    this.consume(fault);
    return fault;
  }

  /** True when this notification must be dropped (consumes one use). */
  takePushDrop(address: string): boolean {
    const fault = this.active.find((f): f is PushFault => f.kind === 'dropPush' && (!f.target || address.startsWith(f.target)));
    if (!fault) return false;
    this.consume(fault);
    return true;
  }

  private consume(fault: Fault): void {
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active = this.active.filter((f) => f !== fault);
  }

  list(): Fault[] {
    return this.active.map((f) => ({ ...f }));
  }

  clear(): void {
    this.active = [];
  }
}
