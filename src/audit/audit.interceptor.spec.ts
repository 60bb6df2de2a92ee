import { BadRequestException, CallHandler, ExecutionContext, Logger, ServiceUnavailableException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom, of, throwError } from 'rxjs';
import { AuditRead } from '../platform/auth/auth.decorators';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { AuditEvent } from './audit.types';

class Routes {
  write(): void {}
  @AuditRead('raw-payload.download')
  download(): void {}
  read(): void {}
}

function setUp(insert: (event: AuditEvent) => Promise<void> = async () => undefined) {
  const events: AuditEvent[] = [];
  const service = new AuditService({} as never, new Reflector());
  jest.spyOn(service, 'record').mockImplementation(async (event: AuditEvent) => {
    await insert(event);
    events.push(event);
  });
  return { events, interceptor: new AuditInterceptor(service) };
}

interface FakeResponse {
  statusCode: number;
  headersSent: boolean;
  headers: Map<string, unknown>;
  sent: unknown[][];
  end: (...args: unknown[]) => FakeResponse;
  getHeaderNames: () => string[];
  setHeader: (name: string, value: unknown) => void;
  removeHeader: (name: string) => void;
}

function fakeResponse(statusCode = 201): FakeResponse {
  const res: FakeResponse = {
    statusCode,
    headersSent: false,
    headers: new Map([['x-powered-by', 'test']]),
    sent: [],
    end(...args: unknown[]) {
      res.headersSent = true;
      res.sent.push(args);
      return res;
    },
    getHeaderNames: () => [...res.headers.keys()],
    setHeader: (name, value) => void res.headers.set(name.toLowerCase(), value),
    removeHeader: (name) => void res.headers.delete(name.toLowerCase()),
  };
  return res;
}

function context(method: string, handler: keyof Routes, response: Partial<FakeResponse> = {}): ExecutionContext {
  const request = { method, path: '/connectors/c-1/runs', params: { id: 'c-1' }, route: { path: '/connectors/:id/runs' }, body: { password: 'pw' } };
  const res = Object.assign(fakeResponse(), response);
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => res }),
  } as unknown as ExecutionContext;
}

const handler = (value: unknown): CallHandler => ({ handle: () => of(value) });
const failing = (error: unknown): CallHandler => ({ handle: () => throwError(() => error) });

describe('AuditInterceptor', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('records a succeeded write before passing the answer on', async () => {
    const { events, interceptor } = setUp();
    const result = await lastValueFrom(interceptor.intercept(context('POST', 'write'), handler({ id: 'run-1' })));
    expect(result).toEqual({ id: 'run-1' });
    expect(events).toEqual([expect.objectContaining({ action: 'POST /connectors/:id/runs', target: 'c-1', outcome: 'succeeded', status: 201 })]);
  });

  it('does not record plain reads, records marked ones under their name', async () => {
    const { events, interceptor } = setUp();
    await lastValueFrom(interceptor.intercept(context('GET', 'read', { statusCode: 200 }), handler([])));
    expect(events).toHaveLength(0);
    await lastValueFrom(interceptor.intercept(context('GET', 'download', { statusCode: 200 }), handler(undefined)));
    expect(events).toEqual([expect.objectContaining({ action: 'raw-payload.download', method: 'GET', outcome: 'succeeded' })]);
  });

  it('records a failure once and rethrows the same error', async () => {
    const { events, interceptor } = setUp();
    const error = new BadRequestException({ statusCode: 400, message: ['baseUrl must be a URL address'] });
    await expect(lastValueFrom(interceptor.intercept(context('POST', 'write'), failing(error)))).rejects.toBe(error);
    expect(events).toEqual([expect.objectContaining({ outcome: 'failed', status: 400, detail: { status: 400, error: 'BadRequestException', message: 'baseUrl must be a URL address' } })]);
  });

  it('keeps the original error when the failure cannot be recorded', async () => {
    const { interceptor } = setUp(async () => {
      throw new Error('database down');
    });
    const error = new BadRequestException('bad');
    await expect(lastValueFrom(interceptor.intercept(context('POST', 'write'), failing(error)))).rejects.toBe(error);
  });

  it('answers 503 when a succeeded write cannot be recorded, and does not record that as a failure', async () => {
    let calls = 0;
    const { interceptor } = setUp(async () => {
      calls += 1;
      throw new Error('database down');
    });
    await expect(lastValueFrom(interceptor.intercept(context('POST', 'write'), handler({ id: 'x' })))).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(calls).toBe(1);
  });

  it('does not try to answer again when the response is already out', async () => {
    const { interceptor } = setUp(async () => {
      throw new Error('database down');
    });
    await expect(lastValueFrom(interceptor.intercept(context('GET', 'download', { statusCode: 200, headersSent: true }), handler(undefined)))).resolves.toBeUndefined();
  });

  it('holds back an answer the handler writes itself until its row is written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { events, interceptor } = setUp(() => gate);
    const ctx = context('GET', 'download', { statusCode: 200 });
    const res = ctx.switchToHttp().getResponse<FakeResponse>();
    const selfAnswering: CallHandler = {
      handle: () =>
        defer(async () => {
          res.setHeader('Content-Disposition', 'attachment');
          res.end(Buffer.from('personal data'));
        }),
    };
    const done = lastValueFrom(interceptor.intercept(ctx, selfAnswering));
    await new Promise((r) => setImmediate(r));
    expect(res.sent).toHaveLength(0); // nothing out before the row
    release();
    await done;
    expect(res.sent).toEqual([[Buffer.from('personal data')]]);
    expect(events).toEqual([expect.objectContaining({ action: 'raw-payload.download', status: 200, outcome: 'succeeded' })]);
    // `end` is the response's own again: the error answers Nest writes later are not held back or recorded
    res.end('later');
    expect(res.sent).toHaveLength(2);
    expect(events).toHaveLength(1);
  });

  it('replaces an answer the handler writes itself with 503 when its row cannot be written', async () => {
    const { interceptor } = setUp(async () => {
      throw new Error('database down');
    });
    const ctx = context('GET', 'download', { statusCode: 200 });
    const res = ctx.switchToHttp().getResponse<FakeResponse>();
    const selfAnswering: CallHandler = {
      handle: () =>
        defer(async () => {
          res.setHeader('Content-Disposition', 'attachment');
          res.end(Buffer.from('personal data'));
        }),
    };
    await lastValueFrom(interceptor.intercept(ctx, selfAnswering));
    expect(res.statusCode).toBe(503);
    expect(res.sent).toHaveLength(1);
    expect(String(res.sent[0][0])).toMatch(/audit trail could not be written/);
    expect(res.headers.has('content-disposition')).toBe(false);
    expect(res.headers.get('x-powered-by')).toBe('test');
  });

  it('puts `end` back when the handler throws, and records the failure once', async () => {
    const { events, interceptor } = setUp();
    const ctx = context('GET', 'download', { statusCode: 200 });
    const res = ctx.switchToHttp().getResponse<FakeResponse>();
    const original = res.end;
    const error = new BadRequestException('no');
    await expect(lastValueFrom(interceptor.intercept(ctx, failing(error)))).rejects.toBe(error);
    expect(res.end).toBe(original);
    expect(events).toEqual([expect.objectContaining({ outcome: 'failed', status: 400 })]);
  });
});
