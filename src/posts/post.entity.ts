import { randomUUID } from 'node:crypto';
import {
  BeforeInsert,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryColumn,
  UpdateDateColumn,
  VirtualColumn,
} from 'typeorm';
import { LongTextColumn } from '../database/long-text-column';
import { COUNT_TRANSFORMER, countOfReferencingRows } from '../database/virtual-columns';
import { Tag } from '../tags/tag.entity';
import { User } from '../users/user.entity';
import { Comment } from './comment.entity';

export const MAX_SLUG_LENGTH = 255;

/**
 * The indexes serve the list endpoint's filters and sorts, each ending in `id` (the tie-break of
 * every sort and of keyset cursors) so that a page of ids is read from the index alone:
 * anonymous readers (`published`), an author's posts, admins and signed-in readers (`createdAt`),
 * and the `publishedAt` sort (with `published` first for anonymous readers, without it for signed-in
 * readers and admins, who also see drafts). `published` alone is the narrow index that the totals
 * of anonymous lists count.
 */
@Entity('posts')
@Index('IDX_posts_published_createdAt_id', ['published', 'createdAt', 'id'])
@Index('IDX_posts_authorId_createdAt_id', ['authorId', 'createdAt', 'id'])
@Index('IDX_posts_createdAt_id', ['createdAt', 'id'])
@Index('IDX_posts_published_publishedAt_id', ['published', 'publishedAt', 'id'])
@Index('IDX_posts_published', ['published'])
@Index('IDX_posts_publishedAt_id', ['publishedAt', 'id'])
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

  /** The foreign key of `author`, as a column of its own: the indexes above lead with it. */
  @Column('uuid')
  authorId: string;

  @ManyToOne(() => User, (user) => user.posts, { onDelete: 'CASCADE', onUpdate: 'NO ACTION' })
  @JoinColumn({ name: 'authorId', foreignKeyConstraintName: 'FK_posts_authorId' })
  author: User;

  @OneToMany(() => Comment, (comment) => comment.post)
  comments: Comment[];

  /**
   * The link table `post_tags` (postId, tagId): its primary key serves "the tags of these posts",
   * `IDX_post_tags_tagId` "the posts with this tag". Deleting a post or a tag removes its links,
   * never the other side.
   */
  @ManyToMany(() => Tag, (tag) => tag.posts, { onDelete: 'CASCADE', onUpdate: 'NO ACTION' })
  @JoinTable({
    name: 'post_tags',
    joinColumn: { name: 'postId', foreignKeyConstraintName: 'FK_post_tags_postId' },
    inverseJoinColumn: { name: 'tagId', foreignKeyConstraintName: 'FK_post_tags_tagId' },
  })
  tags: Tag[];

  /** Selected with the post, as a subquery on the comments' (postId, createdAt, id) index. */
  @VirtualColumn({
    type: 'int',
    query: (post) => countOfReferencingRows('comments', 'postId', post),
    transformer: COUNT_TRANSFORMER,
  })
  commentCount: number;

  @CreateDateColumn()
  createdAt: Date;

  @UpdateDateColumn()
  updatedAt: Date;

  @BeforeInsert()
  assignId(): void {
    this.id ??= randomUUID();
  }
}
