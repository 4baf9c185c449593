import { Column, CreateDateColumn, Entity, Index, ManyToMany, PrimaryColumn } from 'typeorm';
import type { Post } from '../posts/post.entity';

/** A normalised tag name (see common/tag-names.ts), shared by every post that carries it. */
@Entity('tags')
export class Tag {
  @PrimaryColumn('uuid')
  id: string;

  @Index('UQ_tags_name', { unique: true })
  @Column({ type: 'varchar', length: 50 })
  name: string;

  @CreateDateColumn()
  createdAt: Date;

  /** The inverse side of `Post.tags`, which owns the `post_tags` link table. */
  @ManyToMany('Post', (post: Post) => post.tags, { onDelete: 'CASCADE', onUpdate: 'NO ACTION' })
  posts: Post[];
}
