// The legitimate user of the abuse harness (tests/abuse/run.ts), in a process of its own so the
// attackers' client-side work never delays its measurements: Alice edits every 100 ms and Bob,
// a second real y-websocket client, must see each edit; the time between is a round trip. Both
// connect from another loopback address than the attackers. It also polls the server's
// /healthz for its event-loop delay. Reports JSON lines on stdout, each stamped with Date.now():
//   {"kind":"ready"}
//   {"kind":"rtt","at":…,"ms":…}             an edit Bob saw
//   {"kind":"lost","at":…,"n":…}             edits Bob had not seen 2 s after they were made
//   {"kind":"loop","at":…,"maxMs":…}         the server's worst event-loop stall of the last 1-2 s
import { request } from 'node:http';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

interface Config {
  url: string;
  httpUrl: string;
  roomId: string;
  aliceToken: string;
  bobToken: string;
  address: string;
}
const config = JSON.parse(process.env.ABUSE_LEGIT ?? '{}') as Config;
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const fromAddress = (localAddress: string) =>
  class extends WebSocket {
    constructor(u: string | URL, protocols?: string | string[]) {
      super(u, protocols, { localAddress });
    }
  };
function provider(token: string, doc: Y.Doc) {
  return new WebsocketProvider(config.url, config.roomId, doc, {
    WebSocketPolyfill: fromAddress(config.address) as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    maxBackoffTime: 500,
  });
}
const synced = (p: WebsocketProvider) =>
  new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', () => resolve())));

const aliceDoc = new Y.Doc();
const bobDoc = new Y.Doc();
const alice = provider(config.aliceToken, aliceDoc);
const bob = provider(config.bobToken, bobDoc);
await Promise.all([synced(alice), synced(bob)]);

const sent = new Map<number, number>();
bobDoc.getMap('ping').observe((event) => {
  for (const key of event.keysChanged) {
    const at = sent.get(Number(key));
    if (at === undefined) continue;
    sent.delete(Number(key));
    emit({ kind: 'rtt', at: Date.now(), ms: performance.now() - at });
  }
});
let seq = 0;
setInterval(() => {
  const n = ++seq;
  sent.set(n, performance.now());
  aliceDoc.getMap('ping').set(String(n), n);
  // Only the latest few keys are kept, so the document stays small however long the run.
  if (n > 50) aliceDoc.getMap('ping').delete(String(n - 50));
}, 100);
setInterval(() => {
  const now = performance.now();
  let lost = 0;
  for (const [n, at] of sent)
    if (now - at > 2000) {
      sent.delete(n);
      lost++;
    }
  if (lost > 0) emit({ kind: 'lost', at: Date.now(), n: lost });
}, 500);

setInterval(() => {
  const u = new URL('/healthz', config.httpUrl);
  const req = request(
    { host: u.hostname, port: u.port, path: u.pathname, localAddress: config.address },
    (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          const { eventLoopDelay } = JSON.parse(Buffer.concat(chunks).toString()) as {
            eventLoopDelay: { recentMaxMs: number };
          };
          emit({
            kind: 'loop',
            at: Date.now(),
            maxMs: eventLoopDelay.recentMaxMs,
          });
        } catch {
          // a half answer while the server is under attack; the next poll counts
        }
      });
    },
  );
  req.on('error', () => undefined);
  req.setTimeout(2000, () => req.destroy());
  req.end();
}, 250);

emit({ kind: 'ready' });
process.on('SIGTERM', () => {
  alice.destroy();
  bob.destroy();
  process.exit(0);
});
