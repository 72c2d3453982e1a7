// The sandbox keeps an idle keep-alive connection open longer than Node's clients do (5 s), so a
// client never reuses a socket at the moment the server closes it (ECONNRESET under load).
import { connect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

let sb: TestSandbox;
beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(() => sb.close());

it('leaves an idle keep-alive socket open past the 5 s Node clients use (Node servers close it after about 6 s)', async () => {
  const url = new URL(sb.googleRootUrl);
  const socket = connect({
    host: url.hostname,
    port: Number(url.port),
    ca: readFileSync(sb.caCertPath),
    servername: 'localhost',
  });
  let closedAt = 0;
  socket.on('close', () => (closedAt = Date.now()));
  await new Promise<void>((ok, fail) => socket.once('secureConnect', ok).once('error', fail));
  const answered = new Promise<string>((ok) => socket.once('data', (d: Buffer) => ok(d.toString('latin1'))));
  socket.write(`GET / HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`);
  expect(await answered).toMatch(/^HTTP\/1\.1 200/);
  await new Promise((r) => setTimeout(r, 7_000));
  expect(closedAt).toBe(0);
  socket.destroy();
}, 15_000);
