import { IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsString, MaxLength } from 'class-validator';
import { Omittable } from '../../common/omittable.decorator';
import { UserRole } from '../user-role';
import { CreateUserDto } from './create-user.dto';

const NULLABLE_FIELDS = ['fullName', 'profile'] as const;

/**
 * Partial update. Absent fields are untouched. `null` clears the nullable fields (`fullName`,
 * `profile` and the profile's own fields) and is a 400 for the others, hence
 * `skipNullProperties: false` on everything but the nullable ones.
 */
export class UpdateUserDto extends IntersectionType(
  PartialType(OmitType(CreateUserDto, NULLABLE_FIELDS), { skipNullProperties: false }),
  PickType(CreateUserDto, NULLABLE_FIELDS),
) {
  /**
   * Admins only: deactivated users cannot log in.
   * @example false
   */
  @Omittable()
  @IsBoolean()
  isActive?: boolean;

  /**
   * Admins only.
   * @example "admin"
   */
  @Omittable()
  @IsEnum(UserRole)
  role?: UserRole;

  /**
   * Required when you change your own `email` or `password` (missing: 400, wrong: 403); not
   * accepted otherwise. Admins changing another account do not send it. A password change
   * revokes every token issued before it.
   * @example "plum orbit canvas 47"
   */
  @Omittable()
  @IsString()
  @MaxLength(128)
  currentPassword?: string;
}
