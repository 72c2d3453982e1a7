// The machinery behind the one bridge contract: a contract is plain data (zod schemas per
// method and per event), and every type on either side of the bridge is derived from it, so a
// method added to the contract shows up as a missing handler in main and a typed call in the
// renderer without anyone writing a second declaration.
import type { z } from 'zod';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export type Namespaces = Record<string, Record<string, MethodSpec>>;
export type EventSpecs = Record<string, z.ZodType>;

export interface Contract<N extends Namespaces = Namespaces, E extends EventSpecs = EventSpecs> {
  methods: N;
  events: E;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> => ({
  input,
  output,
});

export const defineContract = <N extends Namespaces, E extends EventSpecs>(c: Contract<N, E>): Contract<N, E> => c;

/** Argument list of a client call: methods whose input is void/undefined take no argument. */
type ArgsOf<S extends MethodSpec> = undefined extends z.input<S['input']> ? [input?: z.input<S['input']>] : [input: z.input<S['input']>];

/** What the renderer sees: `duet.ns.method(input) → Promise<output>` plus `duet.on(event, cb) → unsubscribe`. */
export type ClientApi<C extends Contract> = {
  readonly [NS in keyof C['methods']]: {
    readonly [M in keyof C['methods'][NS]]: (
      ...args: ArgsOf<C['methods'][NS][M]>
    ) => Promise<z.output<C['methods'][NS][M]['output']>>;
  };
} & {
  readonly on: <K extends keyof C['events'] & string>(
    event: K,
    listener: (payload: z.output<C['events'][K]>) => void,
  ) => () => void;
};

/** Who is calling: lets handlers tell the desktop window from a web-mode socket. */
export interface CallContext {
  transport: 'ipc' | 'websocket' | 'in-process';
}

/** What main must implement: one handler per contract method, typed by the contract. */
export type Handlers<C extends Contract> = {
  [NS in keyof C['methods']]: {
    [M in keyof C['methods'][NS]]: (
      input: z.output<C['methods'][NS][M]['input']>,
      ctx: CallContext,
    ) => Promise<z.input<C['methods'][NS][M]['output']>> | z.input<C['methods'][NS][M]['output']>;
  };
};

export type EventPayload<C extends Contract, K extends keyof C['events']> = z.output<C['events'][K]>;

/** Errors that cross the bridge are data, never thrown class instances (structured clone / JSON). */
export type BridgeErrorCode = 'UNKNOWN_METHOD' | 'BAD_PAYLOAD' | 'HANDLER_FAILED' | 'BAD_OUTPUT' | 'TRANSPORT';

export interface BridgeErrorData {
  code: BridgeErrorCode;
  message: string;
  /** Dotted path of the offending field for BAD_PAYLOAD. */
  path?: string;
}

export type BridgeResult = { ok: true; value: unknown } | { ok: false; error: BridgeErrorData };

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  readonly path: string | undefined;
  constructor(data: BridgeErrorData) {
    super(data.message);
    this.name = 'BridgeError';
    this.code = data.code;
    this.path = data.path;
  }
}

/** The two things any transport must do; the client is built on top of exactly this. */
export interface ClientTransport {
  call(ns: string, method: string, input: unknown): Promise<BridgeResult>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export interface ClientOptions {
  /**
   * Reject with plain `{ name: 'BridgeError', code, message, path }` objects instead of BridgeError
   * instances. The preload needs this: Electron's contextBridge copies only the message of an Error
   * into the page, while plain objects cross intact; the renderer turns them back into BridgeErrors.
   */
  plainErrors?: boolean;
}

/** Rebuilds a BridgeError from the plain data a preload-built client rejects with. */
export function toBridgeError(err: unknown): unknown {
  if (err instanceof BridgeError || !err || typeof err !== 'object') return err;
  const e = err as Partial<BridgeErrorData> & { name?: unknown };
  if (e.name !== 'BridgeError' || typeof e.code !== 'string' || typeof e.message !== 'string') return err;
  return new BridgeError({ code: e.code, message: e.message, ...(typeof e.path === 'string' ? { path: e.path } : {}) });
}

/** Builds the renderer-facing object from the contract's names and a transport. */
export function createClient<C extends Contract>(contract: C, transport: ClientTransport, options: ClientOptions = {}): ClientApi<C> {
  const api: Record<string, unknown> = {};
  for (const [ns, methods] of Object.entries(contract.methods)) {
    const group: Record<string, (input?: unknown) => Promise<unknown>> = {};
    for (const name of Object.keys(methods)) {
      group[name] = async (input?: unknown) => {
        const result = await transport.call(ns, name, input);
        if (result.ok) return result.value;
        if (options.plainErrors) throw { name: 'BridgeError', ...result.error };
        throw new BridgeError(result.error);
      };
    }
    api[ns] = Object.freeze(group);
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!(event in contract.events)) throw new BridgeError({ code: 'UNKNOWN_METHOD', message: `Unknown event "${event}"` });
    return transport.subscribe(event, listener);
  };
  return Object.freeze(api) as ClientApi<C>;
}

/** Wraps a client built with `plainErrors` so its rejections are BridgeError instances again. */
export function withBridgeErrors<C extends Contract>(contract: C, api: ClientApi<C>): ClientApi<C> {
  const raw = api as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>;
  const wrapped: Record<string, unknown> = { on: api.on };
  for (const [ns, methods] of Object.entries(contract.methods)) {
    const group: Record<string, (input?: unknown) => Promise<unknown>> = {};
    for (const name of Object.keys(methods)) {
      group[name] = (input?: unknown) =>
        raw[ns]![name]!(input).catch((err: unknown) => {
          throw toBridgeError(err);
        });
    }
    wrapped[ns] = Object.freeze(group);
  }
  return Object.freeze(wrapped) as ClientApi<C>;
}
