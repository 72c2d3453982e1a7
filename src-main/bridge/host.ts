// The main-side end of the bridge, independent of transport: one registry of handlers checked
// against the contract, input validated before a handler runs, output validated after, and every
// failure turned into a typed error result so a bad call can never crash the host. Every transport
// (Electron IPC, the web host's WebSocket, the in-process one of tests) carries these results as
// they are, so the renderer sees the same errors whichever way it is connected.
import type { z } from 'zod';
import { BridgeError, type BridgeResult, type CallContext, type Contract, type Handlers } from '../../src-shared/bridge/define';

type Sink = (event: string, payload: unknown) => void;

export interface BridgeHost<C extends Contract> {
  dispatch(ns: unknown, method: unknown, input: unknown, ctx: CallContext): Promise<BridgeResult>;
  emit<K extends keyof C['events'] & string>(event: K, payload: z.input<C['events'][K]>): void;
  /** Transports register here to receive events; returns the unregister function. */
  addSink(sink: Sink): () => void;
  hasEvent(event: unknown): event is keyof C['events'] & string;
}

const own = (obj: object, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

function issuePath(error: z.ZodError): string | undefined {
  const first = error.issues[0];
  return first && first.path.length ? first.path.join('.') : undefined;
}

export function createBridgeHost<C extends Contract>(
  contract: C,
  handlers: Handlers<C>,
  log: (msg: string, err?: unknown) => void = (msg, err) => console.error(msg, err),
): BridgeHost<C> {
  const sinks = new Set<Sink>();

  return {
    async dispatch(ns, method, input, ctx) {
      // Own-property checks: `__proto__` or `constructor` must not resolve to anything.
      if (typeof ns !== 'string' || typeof method !== 'string' || !own(contract.methods, ns) || !own(contract.methods[ns]!, method)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown bridge method "${String(ns)}.${String(method)}"` } };
      }
      const spec = contract.methods[ns]![method]!;
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) {
        const path = issuePath(parsed.error);
        const detail = parsed.error.issues[0]?.message ?? 'invalid input';
        // With a path the renderer shows the message next to that field, so it is the contract's
        // own words; without one it names the method, for whoever reads it in a log.
        return {
          ok: false,
          error: path ? { code: 'BAD_PAYLOAD', message: detail, path } : { code: 'BAD_PAYLOAD', message: `${ns}.${method}: ${detail}` },
        };
      }
      let value: unknown;
      try {
        const group = handlers[ns as keyof typeof handlers] as Record<string, (i: unknown, c: CallContext) => unknown>;
        value = await group[method]!(parsed.data, ctx);
      } catch (err) {
        // A handler may refuse its input for a reason the schema cannot express (main's own
        // check of one field): a BridgeError BAD_PAYLOAD keeps its message and field path, so
        // the renderer puts it next to that field. Every other failure is HANDLER_FAILED: a
        // handler cannot pass itself off as the transport or the contract.
        if (err instanceof BridgeError && err.code === 'BAD_PAYLOAD') {
          return { ok: false, error: { code: 'BAD_PAYLOAD', message: err.message, ...(err.path ? { path: err.path } : {}) } };
        }
        log(`bridge handler ${ns}.${method} failed`, err);
        return { ok: false, error: { code: 'HANDLER_FAILED', message: err instanceof Error ? err.message : String(err) } };
      }
      const out = spec.output.safeParse(value);
      if (!out.success) {
        log(`bridge handler ${ns}.${method} returned a value outside the contract`, out.error);
        return { ok: false, error: { code: 'BAD_OUTPUT', message: `${ns}.${method} returned an unexpected result` } };
      }
      return { ok: true, value: out.data };
    },

    emit(event, payload) {
      const parsed = contract.events[event]!.safeParse(payload);
      if (!parsed.success) {
        log(`refusing to emit ${event}: payload outside the contract`, parsed.error);
        return;
      }
      for (const sink of sinks) sink(event, parsed.data);
    },

    addSink(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },

    hasEvent(event): event is keyof C['events'] & string {
      return typeof event === 'string' && own(contract.events, event);
    },
  };
}

/** The in-process transport: the same dispatch path, no serialization. Used by tests and the contract suite. */
export function inProcessTransport<C extends Contract>(host: BridgeHost<C>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  host.addSink((event, payload) => {
    // Structured clone mirrors what IPC and JSON do to payloads.
    for (const l of listeners.get(event) ?? []) l(structuredClone(payload));
  });
  return {
    call: async (ns: string, method: string, input: unknown) =>
      structuredClone(await host.dispatch(ns, method, structuredClone(input), { transport: 'in-process' })),
    subscribe(event: string, listener: (p: unknown) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
}
