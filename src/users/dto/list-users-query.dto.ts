import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination';
import { ToBoolean } from '../../common/query-transforms';
import { sortValues } from '../../common/sorting';

export const USER_SORT_FIELDS = ['username', 'createdAt'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];
const USER_SORT_VALUES = sortValues(USER_SORT_FIELDS);

export class ListUsersQueryDto extends PaginationQueryDto {
  /**
   * Case-insensitive literal "contains" over username, email and full name.
   * @example "ali"
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /** @example true */
  @IsOptional()
  @ToBoolean()
  @IsBoolean()
  isActive?: boolean;

  /**
   * A field, `-` prefix for descending.
   * @example "-createdAt"
   */
  @IsOptional()
  @IsIn(USER_SORT_VALUES, { message: `sort must be one of: ${USER_SORT_VALUES.join(', ')}` })
  sort: string = '-createdAt';
}
