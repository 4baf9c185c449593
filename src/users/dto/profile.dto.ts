import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';

export class ProfileInputDto {
  /**
   * Free text, up to 2000 characters; `null` clears it.
   * @example "Writes about databases and distributed systems."
   */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  bio?: string | null;

  /**
   * An http or https URL; `null` clears it.
   * @example "https://example.com/avatars/alice.png"
   */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  avatarUrl?: string | null;
}

export class ProfileDto {
  /** @example "Writes about databases and distributed systems." */
  bio: string | null;

  /** @example "https://example.com/avatars/alice.png" */
  avatarUrl: string | null;
}
