import { DatabaseWaitAbandoned, isDatabaseUnreachable, retryWhileUnreachable, unreachableBackoffMs } from './database-errors';

describe('isDatabaseUnreachable', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }],
    [new Error('Connection terminated unexpectedly')],
    [new Error('Connection terminated due to connection timeout')],
    [new Error('Client has encountered a connection error and is not queryable')],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }],
    [{ code: '57P03', message: 'the database system is starting up' }],
    [{ code: '08006', message: 'connection failure' }],
    [{ code: '55000', message: 'database "x" is not currently accepting connections' }],
  ])('a lost or refused connection is transient: %p', (error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }],
    [{ code: '42P01', message: 'relation "x" does not exist' }],
    [{ code: '55000', message: 'object not in prerequisite state' }],
    [{ code: '23503', message: 'Connection terminated (in a value, not the driver)' }],
    [new Error('something else')],
    [null],
    ['Connection terminated'],
  ])('an error of the statement itself is not: %p', (error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});

describe('unreachableBackoffMs', () => {
  it('doubles from the base up to the cap', () => {
    expect([0, 1, 2, 3].map((n) => unreachableBackoffMs(n, 100, 500))).toEqual([100, 200, 400, 500]);
    expect(unreachableBackoffMs(1000)).toBe(5000);
  });
});

describe('retryWhileUnreachable', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const noSleep = async () => undefined;

  it('waits out an unreachable database and returns what the work returns', async () => {
    const seen: number[] = [];
    const result = await retryWhileUnreachable(
      async (retry) => {
        seen.push(retry);
        if (retry < 3) throw refused;
        return 'done';
      },
      { stopping: () => false, sleep: noSleep },
    );
    expect(result).toBe('done');
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('passes any other error through at once', async () => {
    let calls = 0;
    const bad = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(retryWhileUnreachable(async () => { calls++; throw bad; }, { stopping: () => false, sleep: noSleep })).rejects.toBe(bad);
    expect(calls).toBe(1);
  });

  it('gives up only when the process is stopping', async () => {
    let calls = 0;
    await expect(
      retryWhileUnreachable(async () => { calls++; throw refused; }, { stopping: () => calls >= 2, sleep: noSleep }),
    ).rejects.toBeInstanceOf(DatabaseWaitAbandoned);
    expect(calls).toBe(2);
  });
});
