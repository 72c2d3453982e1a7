// Open TCP connections per client address, counted from accept to close, whatever they turn
// out to be (HTTP, WebSocket, or nothing at all yet). One address holding thousands of idle
// sockets would otherwise exhaust the process's descriptors and lock everyone out (issue 12,
// item 5); over the cap a new connection is destroyed at once, before any byte is read.
//
// Counted per process: behind a reverse proxy every connection comes from the proxy's address,
// so such a deployment raises the cap and limits per address at the proxy (README, "Threat model").
import type { Socket } from 'node:net';

export class ConnectionsPerIp {
  private readonly open = new Map<string, number>();
  private refused = 0;

  constructor(private readonly max: number) {}

  /** Counts `socket` until it closes; false (and the socket destroyed) when its address is over the cap. */
  admit(socket: Socket): boolean {
    const ip = socket.remoteAddress ?? 'unknown';
    const n = this.open.get(ip) ?? 0;
    if (n >= this.max) {
      this.refused++;
      socket.destroy();
      return false;
    }
    this.open.set(ip, n + 1);
    socket.once('close', () => {
      const left = (this.open.get(ip) ?? 1) - 1;
      if (left <= 0) this.open.delete(ip);
      else this.open.set(ip, left);
    });
    return true;
  }

  /** Counts only, for /healthz. */
  stats(): { addresses: number; busiestAddressConnections: number; refused: number } {
    let busiest = 0;
    for (const n of this.open.values()) if (n > busiest) busiest = n;
    return { addresses: this.open.size, busiestAddressConnections: busiest, refused: this.refused };
  }
}
