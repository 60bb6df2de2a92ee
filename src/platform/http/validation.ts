import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? (parent ? `${parent}.${m}` : m) : `${path}: ${m}`,
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * Field names that are properties of every object (`toString`, `constructor`, `__proto__`…): class-validator's
 * whitelist looks declared fields up in a plain object, so these would pass as "known". No DTO declares one.
 */
export function prototypeKeys(value: unknown, path = '', found: string[] = [], depth = 0): string[] {
  if (value === null || typeof value !== 'object' || depth > 32 || found.length >= 20) return found;
  for (const key of Object.keys(value)) {
    const where = path ? `${path}.${key}` : key;
    if (key in Object.prototype) found.push(where);
    else prototypeKeys((value as Record<string, unknown>)[key], where, found, depth + 1);
  }
  return found;
}

/** The deepest nesting accepted in API input: real DTOs go three or four levels deep; kind options a few more. */
export const MAX_INPUT_DEPTH = 64;

/**
 * Problems no DTO can express: nesting deeper than MAX_INPUT_DEPTH (the validators recurse and would overflow
 * the stack) and NUL characters (PostgreSQL text cannot hold them). Walks iteratively, so depth cannot hurt it.
 */
export function inputShapeProblems(value: unknown, label: string): string[] {
  const problems: string[] = [];
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0 && problems.length < 20) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) problems.push(`${path || label} must not contain NUL characters`);
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_INPUT_DEPTH) {
        problems.push(`${path || label} is nested more than ${MAX_INPUT_DEPTH} levels deep`);
        continue;
      }
      for (const key of Object.keys(v)) {
        if (key.includes('\u0000')) problems.push(`${path || label}: a field name contains a NUL character`);
        stack.push({ v: (v as Record<string, unknown>)[key], path: path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return problems;
}

class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const shape = inputShapeProblems(value, metadata.data ?? metadata.type);
    // too deep: the validators themselves would overflow, so this is all that can be said
    const tooDeep = shape.filter((p) => p.includes('nested more than'));
    if (tooDeep.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: tooDeep });
    const extra = [...shape, ...prototypeKeys(value).map((k) => `property ${k} should not exist`)];
    let result: unknown;
    try {
      result = await super.transform(value, metadata);
    } catch (error) {
      // one answer lists every problem: the DTO's and these
      if (extra.length > 0 && error instanceof BadRequestException) {
        const body = error.getResponse() as { message?: unknown };
        const messages = Array.isArray(body.message) ? (body.message as string[]) : [String(body.message ?? '')];
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [...messages, ...extra] });
      }
      throw error;
    }
    if (extra.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: extra });
    return result;
  }
}

/** API input: unknown fields rejected, every problem reported with its field, always 400 (never 500). */
export function apiValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException({ statusCode: 400, error: 'Bad Request', message: flatten(errors) }),
  });
}
