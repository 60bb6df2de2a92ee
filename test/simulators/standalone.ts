/** Shared plumbing of the standalone simulators: one JSON line per event, clean stop on SIGTERM / SIGINT. */
export function logLine(line: Record<string, unknown>, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(`${JSON.stringify({ level: 'info', ...line })}\n`);
}

/** Closes the simulator(s) on SIGTERM or SIGINT, once, and exits. */
export function stopOnSignals(name: string, close: () => Promise<unknown>): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    close().then(
      () => {
        logLine({ msg: `${name} stopped`, signal });
        process.exit(0);
      },
      (error: unknown) => {
        logLine({ level: 'error', msg: 'error while stopping', error: String(error) }, process.stderr);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** Runs a standalone entry point; a failure to start is one JSON line on stderr and exit code 1. */
export function runStandalone(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    logLine({ level: 'error', msg: `${name} failed to start`, error: error instanceof Error ? error.message : String(error) }, process.stderr);
    process.exit(1);
  });
}

/** A number from the environment, the fallback when unset; an invalid value stops start-up naming the variable. */
export function numberFromEnv(name: string, fallback: number, check: (n: number) => boolean): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new Error(`${name}=${raw} is not valid`);
  return n;
}
