import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { User } from './user.entity';

/** One-to-one with `users`, sharing its primary key; removed with its user by the foreign key. */
@Entity('profiles')
export class Profile {
  @PrimaryColumn('uuid')
  userId: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  bio: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  avatarUrl: string | null;

  @OneToOne(() => User, (user) => user.profile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'userId', foreignKeyConstraintName: 'FK_profiles_userId' })
  user: User;
}
