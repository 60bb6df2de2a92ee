import { BadRequestException, ForbiddenException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Principal } from '../platform/auth/access-policy';
import {
  actionName,
  createdId,
  describeCall,
  failureDetail,
  loginActorName,
  outcomeFor,
  planFor,
  scrubText,
  storableJson,
  storableText,
  targetFromParams,
} from './audit-describe';

const operator: Principal = { kind: 'api-key', id: 'k-1', name: 'ci', role: 'operator', provinceCode: null };
const officer: Principal = { kind: 'user', id: 'u-9', name: 'officer.hcm', role: 'officer', provinceCode: '79' };

describe('action names', () => {
  it('use the method and the route pattern, not the URL', () => {
    expect(actionName('post', '/connectors/:id/runs')).toBe('POST /connectors/:id/runs');
    expect(actionName('PATCH', 'users/:id')).toBe('PATCH /users/:id');
    expect(actionName('POST', '/connectors/')).toBe('POST /connectors');
    expect(actionName('DELETE', '/')).toBe('DELETE /');
  });

  it('audit every write and only marked reads', () => {
    const route = { path: '/connectors/:id/runs' };
    expect(planFor({ method: 'POST', path: '/connectors/abc/runs', route }, undefined)).toEqual({ action: 'POST /connectors/:id/runs' });
    for (const method of ['PUT', 'PATCH', 'DELETE']) expect(planFor({ method, route }, undefined)).not.toBeNull();
    expect(planFor({ method: 'GET', route }, undefined)).toBeNull();
    expect(planFor({ method: 'HEAD', route }, undefined)).toBeNull();
    expect(planFor({ method: 'GET', route: { path: '/raw-payloads/:digest' } }, 'raw-payload.download')).toEqual({ action: 'raw-payload.download' });
  });
});

describe('targets', () => {
  it('are the route parameter, or name=value pairs for several', () => {
    expect(targetFromParams({ id: '3f1c' })).toEqual({ target: '3f1c', redacted: false });
    expect(targetFromParams({ provinceCode: '79', year: '2025' }).target).toBe('provinceCode=79, year=2025');
    expect(targetFromParams({}).target).toBeNull();
    expect(targetFromParams(undefined).target).toBeNull();
  });

  it('never show secret-looking parameters', () => {
    const { target, redacted } = targetFromParams({ id: 'x', token: 'peh_at_abcdef' });
    expect(redacted).toBe(true);
    expect(target).toBe('id=x, token=[REDACTED]');
  });

  it('take the id of what a POST created, nothing else of the answer', () => {
    expect(createdId({ id: '0b6c8c9e-4a4e-4a55-9a43-1d9f1c0e2a11', name: 'x', key: 'peh_key_secret' })).toBe('0b6c8c9e-4a4e-4a55-9a43-1d9f1c0e2a11');
    expect(createdId({ id: 42 })).toBe('42');
    expect(createdId({ token: 'peh_at_x' })).toBeNull();
    expect(createdId([{ id: 1 }])).toBeNull();
    expect(createdId(undefined)).toBeNull();
    expect(createdId({ id: 'has spaces and is long '.repeat(10) })).toBeNull();
  });
});

describe('scrubbing', () => {
  it('removes tokens, keys, URL user-info and secret pairs', () => {
    expect(scrubText('Authorization: Bearer abc.def.ghi failed')).not.toContain('abc.def.ghi');
    expect(scrubText('key peh_key_AbCdEf012345 revoked')).toBe('key [REDACTED] revoked');
    expect(scrubText('cannot reach https://user:pa55@host/x')).toBe('cannot reach https://[REDACTED]@host/x');
    expect(scrubText('clientSecret=s3cr3t-value rejected')).toBe('clientSecret=[REDACTED] rejected');
    expect(scrubText('{"password":"hunter2"}')).not.toContain('hunter2');
    expect(scrubText('api_key: abc123')).not.toContain('abc123');
  });

  it('removes long opaque strings but keeps digests, UUIDs and ordinary messages', () => {
    const opaque = 'Zx9kQ2mL7pR4tV8wY1aB3cD5eF6gH0jK';
    expect(scrubText(`got ${opaque}`)).toBe('got [REDACTED]');
    const digest = 'a'.repeat(64);
    expect(scrubText(`no raw payload with digest ${digest}`)).toBe(`no raw payload with digest ${digest}`);
    expect(scrubText('connector 0b6c8c9e-4a4e-4a55-9a43-1d9f1c0e2a11 not found')).toContain('0b6c8c9e-4a4e-4a55-9a43-1d9f1c0e2a11');
    expect(scrubText('baseUrl must be a URL address')).toBe('baseUrl must be a URL address');
  });
});

describe('outcomes and failure details', () => {
  it('401 and 403 are denied, other errors failed', () => {
    expect(outcomeFor(200)).toBe('succeeded');
    expect(outcomeFor(204)).toBe('succeeded');
    expect(outcomeFor(401)).toBe('denied');
    expect(outcomeFor(403)).toBe('denied');
    expect(outcomeFor(400)).toBe('failed');
    expect(outcomeFor(404)).toBe('failed');
    expect(outcomeFor(503)).toBe('failed');
  });

  it('keeps status, class and scrubbed messages of 4xx; status and class only of anything else', () => {
    const validation = new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['baseUrl must be a URL address', 'token=abc123 is bad'] });
    expect(failureDetail(validation)).toEqual({ status: 400, error: 'BadRequestException', message: ['baseUrl must be a URL address', 'token=[REDACTED] is bad'] });
    expect(failureDetail(new NotFoundException('no connector x'))).toEqual({ status: 404, error: 'NotFoundException', message: 'no connector x' });
    const internal = new Error('duplicate key value violates constraint; password=hunter2');
    expect(failureDetail(internal)).toEqual({ status: 500, error: 'Error' });
    expect(failureDetail('weird')).toEqual({ status: 500, error: 'string' });
  });
});

describe('describing a call', () => {
  const route = { path: '/connectors/:id/runs' };

  it('names the actor, the action, the target and the request, never the body', () => {
    const body = { credentials: { clientSecret: 's3cr3t-value' }, password: 'pw' };
    const event = describeCall(
      { method: 'POST', path: '/connectors/c-1/runs', params: { id: 'c-1' }, route, body, ip: '10.0.0.1', id: 17, principal: officer },
      { action: 'POST /connectors/:id/runs' },
      { status: 201, result: { id: 'run-5', secret: 'x' } },
    );
    expect(event).toEqual({
      actorKind: 'user',
      actorId: 'u-9',
      actorName: 'officer.hcm',
      role: 'officer',
      provinceCode: '79',
      action: 'POST /connectors/:id/runs',
      method: 'POST',
      path: '/connectors/c-1/runs',
      target: 'c-1',
      outcome: 'succeeded',
      status: 201,
      detail: null,
      clientIp: '10.0.0.1',
      requestId: '17',
    });
    expect(JSON.stringify(event)).not.toMatch(/s3cr3t|"pw"/);
  });

  it('names what a POST without parameters created, but not on failure', () => {
    const request = { method: 'POST', path: '/connectors', params: {}, route: { path: '/connectors' }, principal: operator };
    expect(describeCall(request, { action: 'POST /connectors' }, { status: 201, result: { id: 'new-id' } }).target).toBe('new-id');
    const failed = describeCall(request, { action: 'POST /connectors' }, { status: 400, error: new BadRequestException('x') });
    expect(failed).toMatchObject({ target: null, outcome: 'failed', status: 400, detail: { status: 400, error: 'BadRequestException', message: 'x' } });
  });

  it('records refusals without a principal as anonymous', () => {
    const event = describeCall({ method: 'POST', path: '/connectors', route: { path: '/connectors' } }, { action: 'POST /connectors' }, { status: 401, error: new UnauthorizedException('authentication required') });
    expect(event).toMatchObject({ actorKind: null, actorId: null, actorName: null, outcome: 'denied', status: 401 });
    const forbidden = describeCall({ method: 'POST', path: '/connectors', route: { path: '/connectors' }, principal: officer }, { action: 'POST /connectors' }, { status: 403, error: new ForbiddenException('no') });
    expect(forbidden).toMatchObject({ actorId: 'u-9', role: 'officer', outcome: 'denied', status: 403 });
  });

  it('keeps the user name of a failed sign-in, never the password', () => {
    const request = { method: 'POST', path: '/auth/login', route: { path: '/auth/login' }, body: { username: 'alice', password: 'correct horse' } };
    const event = describeCall(request, { action: 'POST /auth/login' }, { status: 401, error: new UnauthorizedException('wrong user name or password') });
    expect(event).toMatchObject({ actorKind: null, actorName: 'alice', outcome: 'denied', status: 401 });
    expect(JSON.stringify(event)).not.toContain('correct horse');
    expect(loginActorName('POST /connectors', { username: 'alice' })).toBeNull();
    expect(loginActorName('POST /auth/login', { username: 42 })).toBeNull();
    expect(loginActorName('POST /auth/login', { username: 'x'.repeat(500) })!.length).toBeLessThanOrEqual(64);
  });

  it('shows the route pattern instead of a path that would repeat a redacted parameter', () => {
    const event = describeCall(
      { method: 'POST', path: '/tokens/peh_at_abc/revoke', params: { token: 'peh_at_abc' }, route: { path: '/tokens/:token/revoke' }, principal: operator },
      { action: 'POST /tokens/:token/revoke' },
      { status: 200 },
    );
    expect(event.path).toBe('/tokens/:token/revoke');
    expect(JSON.stringify(event)).not.toContain('peh_at_abc');
  });
});

describe('storable text', () => {
  it('replaces what PostgreSQL refuses (NUL, lone surrogates) and terminal escapes, keeps the rest', () => {
    expect(storableText('a\u0000b')).toBe('a\ufffdb');
    expect(storableText('\u001b[31mred')).toBe('\ufffd[31mred');
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableText('tab\tnew\nline Hà Nội 😀')).toBe('tab\tnew\nline Hà Nội 😀');
  });

  it('cleans every string of a detail, keys included', () => {
    expect(storableJson({ status: 400, message: ['a\u0000', 'b'], ['k\u0000']: true, nested: { deep: '\udc00' } })).toEqual({
      status: 400,
      message: ['a\ufffd', 'b'],
      ['k\ufffd']: true,
      nested: { deep: '\ufffd' },
    });
  });
});
