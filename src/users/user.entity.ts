import { randomUUID } from 'node:crypto';
import {
  BeforeInsert,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Post } from '../posts/post.entity';
import { Profile } from './profile.entity';
import { UserRole } from './user-role';

@Entity('users')
@Index('IDX_users_createdAt', ['createdAt'])
export class User {
  @PrimaryColumn('uuid')
  id: string;

  /** Stored lower-cased. */
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 255 })
  email: string;

  /** As the user typed it; uniqueness is on `normalizedUsername`. */
  @Column({ type: 'varchar', length: 30 })
  username: string;

  /** Lower-cased username: makes uniqueness, login and sorting case-insensitive on every dialect. */
  @Index('UQ_users_username', { unique: true })
  @Column({ type: 'varchar', length: 30 })
  normalizedUsername: string;

  @Column({ type: 'varchar', length: 255, select: false })
  passwordHash: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  fullName: string | null;

  /** In every token issued at login; a password change increments it, revoking earlier tokens. */
  @Column({ type: 'integer', default: 0, select: false })
  tokenVersion: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'varchar', length: 16, default: UserRole.User })
  role: UserRole;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;

  @OneToOne(() => Profile, (profile) => profile.user)
  profile: Profile | null;

  /** The inverse side of `Post.author`; posts go with their author (ON DELETE CASCADE). */
  @OneToMany('Post', (post: Post) => post.author)
  posts: Post[];

  @BeforeInsert()
  assignId(): void {
    this.id ??= randomUUID();
  }
}
