import { BadRequestException } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { apiValidationPipe, inputShape } from './validation';

class QueryDto {
  @IsOptional()
  @IsString()
  year?: string;
}

describe('API validation', () => {
  it('finds field names that every object has, at any depth', () => {
    const fields = (value: unknown) => inputShape(value, 'body').problems;
    expect(fields({ toString: '1' })).toEqual(['property toString should not exist']);
    expect(fields(JSON.parse('{"a":{"__proto__":{"x":1}},"b":[{"constructor":1}]}'))).toEqual(['property a.__proto__ should not exist', 'property b.0.constructor should not exist']);
    expect(fields({ year: '2025', nested: { ok: true } })).toEqual([]);
  });

  it('rejects them as unknown fields with a 400, and still rejects other unknown fields', async () => {
    const pipe = apiValidationPipe();
    const metadata = { type: 'query' as const, metatype: QueryDto };
    await expect(pipe.transform({ hasOwnProperty: '1' }, metadata)).rejects.toBeInstanceOf(BadRequestException);
    await expect(pipe.transform({ other: '1' }, metadata)).rejects.toBeInstanceOf(BadRequestException);
    await expect(pipe.transform({ year: '2025' }, metadata)).resolves.toMatchObject({ year: '2025' });
  });

  it('refuses NUL characters and deep nesting without recursing', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10000; i++) deep = { a: deep };
    expect(inputShape(deep, 'body').tooDeep[0]).toMatch(/nested more than 64 levels/);
    expect(inputShape({ name: 'a\u0000b' }, 'body').problems).toEqual(['name must not contain NUL characters']);
    expect(inputShape('a\u0000', 'id').problems).toEqual(['id must not contain NUL characters']);
    expect(inputShape({ a: [{ b: 'ok' }] }, 'body')).toEqual({ tooDeep: [], problems: [] });
    await expect(apiValidationPipe().transform(deep, { type: 'body', metatype: QueryDto })).rejects.toBeInstanceOf(BadRequestException);
  });
});
