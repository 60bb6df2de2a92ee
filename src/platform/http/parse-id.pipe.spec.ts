import { BadRequestException } from '@nestjs/common';
import { ParseIdPipe } from './parse-id.pipe';

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();
  it('passes row ids through as numbers', () => {
    expect(pipe.transform('1')).toBe(1);
    expect(pipe.transform('9007199254740991')).toBe(9007199254740991);
  });
  it('refuses everything a bigint column could not hold or a row id cannot be', () => {
    for (const bad of ['0', '-1', '1.5', '1e3', '0x1F', '007', '9007199254740992', '99999999999999999999', '9223372036854775808', '', 'abc']) {
      expect(() => pipe.transform(bad)).toThrow(BadRequestException);
    }
  });
});
