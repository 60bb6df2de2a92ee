import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';

/**
 * A TCP proxy the test controls, put between a process and PostgreSQL: `cut()` drops every open connection and
 * refuses new ones (as an outage or a network partition would), `restore()` lets them through again. The shared
 * PostgreSQL server itself is never touched.
 */
export interface TcpProxy {
  port: number;
  /** the URL `target` rewritten to go through the proxy */
  rewrite(url: string): string;
  cut(): void;
  restore(): void;
  /** connections dropped or refused while cut */
  refused(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let isCut = false;
  let refused = 0;
  const server: Server = createServer((client) => {
    if (isCut) {
      refused++;
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    rewrite: (url) => {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    cut: () => {
      isCut = true;
      for (const s of open) {
        refused++;
        s.destroy();
      }
      open.clear();
    },
    restore: () => {
      isCut = false;
    },
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
