/**
 * A report file that cannot be used as a whole. Whatever the reading of the file throws — the parser's
 * format errors, an archive limit, an error of the XLSX or CSV library — rejects that one file with the
 * reason; database errors of the load (which happen outside the reading) are not caught here and retry the run.
 */
export class FileRejected extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'FileRejected';
  }
}

/** Iterates the parsed rows of a file, turning any error of the reading into {@link FileRejected}. */
export async function* readingRows<T>(rows: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = rows[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<T>;
    try {
      next = await iterator.next();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new FileRejected(message || 'the file could not be read', error);
    }
    if (next.done) return;
    yield next.value;
  }
}
