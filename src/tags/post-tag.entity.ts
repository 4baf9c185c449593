import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Post } from '../posts/post.entity';
import { Tag } from './tag.entity';

/**
 * The many-to-many link between posts and tags, as an entity of its own rather than a TypeORM
 * `@JoinTable`: that way its keys and index carry our names and links are written in one
 * multi-row INSERT. Tagging belongs to the tags module; posts ask TagsService for it. The primary key (postId, tagId) serves "tags of these posts"; the tag-side
 * index serves "posts with this tag" and tag post counts. Both foreign keys cascade: deleting a
 * post or a tag removes its links, never the other side.
 */
@Entity('post_tags')
@Index('IDX_post_tags_tagId', ['tagId'])
export class PostTag {
  @PrimaryColumn('uuid')
  postId: string;

  @PrimaryColumn('uuid')
  tagId: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId', foreignKeyConstraintName: 'FK_post_tags_postId' })
  post: Post;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tagId', foreignKeyConstraintName: 'FK_post_tags_tagId' })
  tag: Tag;
}
