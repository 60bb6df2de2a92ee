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

/** The deepest nesting accepted in API input: real DTOs go three or four levels deep; kind options a few more. */
export const MAX_INPUT_DEPTH = 64;

export interface InputShape {
  /** nesting deeper than MAX_INPUT_DEPTH: the validators recurse and would overflow the stack on it */
  tooDeep: string[];
  /** NUL characters (PostgreSQL text cannot hold them) and field names every object has */
  problems: string[];
}

/**
 * What no DTO can express, found in one iterative walk (so depth cannot hurt it): too deep nesting, NUL
 * characters, and field names that are properties of every object (`toString`, `constructor`, `__proto__`…),
 * which class-validator's whitelist would take for declared fields (it looks them up in a plain object).
 */
export function inputShape(value: unknown, label: string): InputShape {
  const shape: InputShape = { tooDeep: [], problems: [] };
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0 && shape.tooDeep.length + shape.problems.length < 20) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) shape.problems.push(`${path || label} must not contain NUL characters`);
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_INPUT_DEPTH) {
        shape.tooDeep.push(`${path || label} is nested more than ${MAX_INPUT_DEPTH} levels deep`);
        continue;
      }
      // pushed last to first, so fields are reported in the order they were sent
      for (const key of Object.keys(v).reverse()) {
        const where = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) shape.problems.push(`${path || label}: a field name contains a NUL character`);
        else if (key in Object.prototype) shape.problems.push(`property ${where} should not exist`);
        else stack.push({ v: (v as Record<string, unknown>)[key], path: where, depth: depth + 1 });
      }
    }
  }
  return shape;
}

class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const { tooDeep, problems } = inputShape(value, metadata.data ?? metadata.type);
    // too deep: the validators themselves would overflow, so this is all that can be said
    if (tooDeep.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: tooDeep });
    let result: unknown;
    try {
      result = await super.transform(value, metadata);
    } catch (error) {
      // one answer lists every problem: the DTO's and these
      if (problems.length > 0 && error instanceof BadRequestException) {
        const body = error.getResponse() as { message?: unknown };
        const messages = Array.isArray(body.message) ? (body.message as string[]) : [String(body.message ?? '')];
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [...messages, ...problems] });
      }
      throw error;
    }
    if (problems.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problems });
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
