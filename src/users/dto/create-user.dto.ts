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
   * 8..128 characters. Never returned or logged.
   * @example "correct horse battery staple"
   */
  @IsString()
  @Length(8, 128)
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
