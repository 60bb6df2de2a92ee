import { BadRequestException, PipeTransform } from '@nestjs/common';

/**
 * A numeric row id from the path: 1 … 2^53 − 1 (ids are bigserial; beyond JavaScript's exact integers nothing
 * exists). Anything else is a 400 naming the parameter, never a database error.
 */
export class ParseIdPipe implements PipeTransform<string, number> {
  constructor(private readonly name = 'id') {}

  transform(value: string): number {
    const n = /^[1-9]\d{0,15}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`${this.name} must be a positive whole number below 2^53`] });
    }
    return n;
  }
}
