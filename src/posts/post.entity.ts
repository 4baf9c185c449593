import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { LongTextColumn } from '../database/long-text-column';
import { User } from '../users/user.entity';

export const MAX_SLUG_LENGTH = 255;

/**
 * The indexes serve the list endpoint's filters and sorts, each ending in `id` (the tie-break of
 * every sort and of keyset cursors) so that a page of ids is read from the index alone:
 * anonymous readers (`published`), an author's posts, admins and signed-in readers (`createdAt`),
 * and the `publishedAt` sort. `published` alone is the narrow index that the totals of anonymous
 * lists count.
 */
@Entity('posts')
@Index('IDX_posts_published_createdAt_id', ['published', 'createdAt', 'id'])
@Index('IDX_posts_authorId_createdAt_id', ['authorId', 'createdAt', 'id'])
@Index('IDX_posts_createdAt_id', ['createdAt', 'id'])
@Index('IDX_posts_published_publishedAt_id', ['published', 'publishedAt', 'id'])
@Index('IDX_posts_published', ['published'])
export class Post {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Derived from the title at creation; unique; kept when the title changes. */
  @Index('UQ_posts_slug', { unique: true })
  @Column({ type: 'varchar', length: MAX_SLUG_LENGTH })
  slug: string;

  @LongTextColumn()
  content: string;

  @Column({ type: 'boolean', default: false })
  published: boolean;

  /** Set the first time the post is published; kept if it is unpublished later. */
  @Column({ type: Date, nullable: true })
  publishedAt: Date | null;

  @Column('uuid')
  authorId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'authorId', foreignKeyConstraintName: 'FK_posts_authorId' })
  author: User;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;
}
