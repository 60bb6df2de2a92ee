import { Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ListeningServer {
  url: string;
  port: number;
  /** stops listening and drops open keep-alive connections */
  close(): Promise<void>;
}

/** Starts a simulator's HTTP server (port 0 = any free port) and returns where it answers. */
export async function listen(server: Server, options: { port?: number; host?: string }): Promise<ListeningServer> {
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${publicHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
