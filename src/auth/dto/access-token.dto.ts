export class AccessTokenDto {
  /** @example "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..." */
  accessToken: string;

  /** @example "Bearer" */
  tokenType: 'Bearer';

  /**
   * Lifetime of the token in seconds.
   * @example 3600
   */
  expiresIn: number;
}
