import { BadRequestException } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { apiValidationPipe, inputShapeProblems, prototypeKeys } from './validation';

class QueryDto {
  @IsOptional()
  @IsString()
  year?: string;
}

describe('API validation', () => {
  it('finds field names that every object has, at any depth', () => {
    expect(prototypeKeys({ toString: '1' })).toEqual(['toString']);
    expect(prototypeKeys(JSON.parse('{"a":{"__proto__":{"x":1}},"b":[{"constructor":1}]}'))).toEqual(['a.__proto__', 'b.0.constructor']);
    expect(prototypeKeys({ year: '2025', nested: { ok: true } })).toEqual([]);
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
    expect(inputShapeProblems(deep, 'body')[0]).toMatch(/nested more than 64 levels/);
    expect(inputShapeProblems({ name: 'a\u0000b' }, 'body')).toEqual(['name must not contain NUL characters']);
    expect(inputShapeProblems('a\u0000', 'id')).toEqual(['id must not contain NUL characters']);
    expect(inputShapeProblems({ a: [{ b: 'ok' }] }, 'body')).toEqual([]);
    await expect(apiValidationPipe().transform(deep, { type: 'body', metatype: QueryDto })).rejects.toBeInstanceOf(BadRequestException);
  });
});
