import { BadRequestException } from '@nestjs/common';
import { ParseHexObjectIdPipe } from './object-id-param';

describe('ParseHexObjectIdPipe', () => {
  const pipe = new ParseHexObjectIdPipe('id');

  it('accepts a 24-hex ObjectId, in either case, as lower-case text', () => {
    expect(pipe.transform('665f1c2a4e8b3d4c5e9f607a')).toBe('665f1c2a4e8b3d4c5e9f607a');
    expect(pipe.transform('665F1C2A4E8B3D4C5E9F607A')).toBe('665f1c2a4e8b3d4c5e9f607a');
  });

  it.each([
    ['a word', 'not-an-id'],
    ['a 12-character string (ObjectId.isValid would take it)', 'aaaaaaaaaaaa'],
    ['23 hex digits', '665f1c2a4e8b3d4c5e9f607'],
    ['25 hex digits', '665f1c2a4e8b3d4c5e9f607ab'],
    ['non-hex characters', '665f1c2a4e8b3d4c5e9f607z'],
    ['an operator object', { $gt: '' }],
    ['nothing', undefined],
  ])('rejects %s with a 400 naming the parameter', (_case, value) => {
    expect(() => pipe.transform(value)).toThrow(
      new BadRequestException('id must be a 24-character hexadecimal ObjectId'),
    );
  });
});
