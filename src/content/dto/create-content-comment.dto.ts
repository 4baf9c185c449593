import { IsString, Length } from 'class-validator';
import { MAX_COMMENT_BODY_LENGTH } from '../content.schema';

export class CreateContentCommentDto {
  /**
   * 1..5000 characters.
   * @example "The section on multikey indexes saved my afternoon."
   */
  @IsString()
  @Length(1, MAX_COMMENT_BODY_LENGTH)
  body: string;
}
