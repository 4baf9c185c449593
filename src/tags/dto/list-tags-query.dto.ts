import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination';
import { sortValues } from '../../common/sorting';

export const TAG_SORT_FIELDS = ['name', 'postCount'] as const;
export type TagSortField = (typeof TAG_SORT_FIELDS)[number];
const TAG_SORT_VALUES = sortValues(TAG_SORT_FIELDS);

export class ListTagsQueryDto extends PaginationQueryDto {
  /**
   * Case-insensitive literal "contains" over the name, e.g. `type`.
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /**
   * `name` or `postCount` (published posts), `-` prefix for descending; ties by name.
   * @example "-postCount"
   */
  @IsOptional()
  @IsIn(TAG_SORT_VALUES, { message: `sort must be one of: ${TAG_SORT_VALUES.join(', ')}` })
  sort: string = 'name';
}
