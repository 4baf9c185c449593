import { Type } from 'class-transformer';
import {
  IsEmail,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ToLowerCase, Trim } from '../../common/query-transforms';
import { IsNotWeakPassword } from '../password-strength';
import { ProfileInputDto } from './profile.dto';

export class CreateUserDto {
  /**
   * Stored lower-cased; unique.
   * @example "alice@example.com"
   */
  @ToLowerCase()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(255)
  email: string;

  /**
   * 3..30 of letters, digits, `_`, `.`, `-`; unique case-insensitively.
   * @example "alice"
   */
  @Trim()
  @IsString()
  @Length(3, 30)
  @Matches(/^[A-Za-z0-9_.-]+$/, {
    message: 'username may only contain letters, digits, "_", "." and "-"',
  })
  username: string;

  /**
   * 8..128 characters, and not weak: the zxcvbn strength estimator must put it at 10^8 guesses or
   * more (its score 3 of 4), judging its first 32 characters, with the username, e-mail and name
   * as known words. Eight random characters pass; `12345678`, `Password123!` or a single word do
   * not, and the 400 says why. Never returned or logged.
   * @example "plum orbit canvas 47"
   */
  @IsString()
  @Length(8, 128)
  @IsNotWeakPassword()
  password: string;

  /** @example "Alice Liddell" */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  fullName?: string | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProfileInputDto)
  profile?: ProfileInputDto | null;
}
