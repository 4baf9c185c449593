import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  /**
   * Username or email.
   * @example "alice"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  login: string;

  /** @example "plum orbit canvas 47" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}
