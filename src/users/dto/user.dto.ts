import { ApiProperty } from '@nestjs/swagger';
import { UserRole } from '../user-role';
import { ProfileDto } from './profile.dto';

export class UserDto {
  /** @example "6f1c2a4e-8b3d-4c5e-9f60-7a8b9c0d1e2f" */
  id: string;

  /**
   * Present only for the user themself and for admins.
   * @example "alice@example.com"
   */
  email?: string;

  /** @example "alice" */
  username: string;

  /** @example "Alice Liddell" */
  fullName: string | null;

  /** @example true */
  isActive: boolean;

  @ApiProperty({ enum: UserRole, example: UserRole.User })
  role: UserRole;

  /** @example "2026-11-21T10:00:00.000Z" */
  createdAt: Date;

  /** @example "2026-11-21T10:00:00.000Z" */
  updatedAt: Date;

  @ApiProperty({ type: ProfileDto, nullable: true })
  profile: ProfileDto | null;
}
