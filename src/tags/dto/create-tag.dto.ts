import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { MAX_TAG_NAME_LENGTH, normalizeTagName, TAG_NAME_PATTERN } from '../../common/tag-names';

export class CreateTagDto {
  /**
   * Normalised before use: trimmed, lower-cased, each inner run of whitespace one `-`; then
   * 1..50 of `a-z`, `0-9` and `-`. Unique.
   * @example "Many to Many"
   */
  @Transform(({ value }) => (typeof value === 'string' ? normalizeTagName(value) : value))
  @IsString()
  @Matches(TAG_NAME_PATTERN, {
    message: `name must be 1..${MAX_TAG_NAME_LENGTH} letters, digits or "-" once trimmed and lower-cased`,
  })
  name: string;
}
