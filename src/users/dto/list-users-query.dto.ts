import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQueryDto } from '../../common/pagination';
import { ToBoolean } from '../../common/query-transforms';
import { sortValues } from '../../common/sorting';

export const USER_SORT_FIELDS = ['username', 'createdAt'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];
const USER_SORT_VALUES = sortValues(USER_SORT_FIELDS);

export class ListUsersQueryDto extends PaginationQueryDto {
  /**
   * Case-insensitive literal "contains" over username and full name (and e-mail, for admins),
   * e.g. `ali`.
   */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  /** `true`: active accounts only; `false`: deactivated ones only. */
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
