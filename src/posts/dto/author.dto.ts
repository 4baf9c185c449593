/** The public identity of a post's or comment's author. */
export class AuthorDto {
  /** @example "6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f" */
  id: string;

  /** @example "alice" */
  username: string;
}
