import { BadRequestException, ForbiddenException, HttpException } from '@nestjs/common';
import { ApiExceptionFilter, errorBody } from './api-errors';

function render(exception: unknown, acceptLanguage?: string) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = { headers: {} };
  const response = {
    headersSent: false,
    getHeader: (name: string) => (name === 'X-Request-Id' ? 'req-1' : undefined),
    setHeader: (name: string, value: string) => (sent.headers[name] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ headers: { 'accept-language': acceptLanguage } }) }) };
  new ApiExceptionFilter().catch(exception, host as never);
  return sent;
}

describe('API error shape', () => {
  it('is {statusCode, error, message[]} for every kind of exception', () => {
    expect(render(new ForbiddenException('the operator role may not do this (raw.read)')).body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: ['the operator role may not do this (raw.read)'],
    });
    expect(render(new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['a: x', 'b: y'] })).body).toEqual({ statusCode: 400, error: 'Bad Request', message: ['a: x', 'b: y'] });
    expect(render(new HttpException('plain', 418)).body).toEqual({ statusCode: 418, error: 'I Am A Teapot', message: ['plain'] });
  });

  it('never shows an unexpected error, only how to report it', () => {
    const sent = render(new Error('password=hunter2 at db'));
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
    expect(sent.body).toMatchObject({ message: [expect.stringMatching(/req-1/)] });
  });

  it('masks personal values and tokens in messages', () => {
    const body = errorBody(400, ['Email: a.b@example.vn is taken', 'key peh_ak_abcdefghijklmnop leaked']);
    expect(JSON.stringify(body)).not.toMatch(/a\.b@example\.vn|peh_ak_abcdefghijklmnop/);
  });

  it('speaks Vietnamese when asked', () => {
    const sent = render(new ForbiddenException('the operator role may not do this (raw.read)'), 'vi,en;q=0.5');
    expect(sent.body).toEqual({ statusCode: 403, error: 'Không có quyền', message: ['Vai trò operator không được phép thực hiện thao tác này (raw.read)'] });
    expect(sent.headers['Content-Language']).toBe('vi');
  });
});

describe('HTTP-layer client errors', () => {
  it('keeps their 4xx status and message (in the shape)', () => {
    const error = Object.assign(new Error('incorrect header check'), { status: 400, statusCode: 400, expose: true });
    expect(render(error).body).toEqual({ statusCode: 400, error: 'Bad Request', message: ['request: incorrect header check'] });
  });
});
