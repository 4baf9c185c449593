import { Comment } from '../posts/comment.entity';
import { PostTag } from '../tags/post-tag.entity';
import { Post } from '../posts/post.entity';
import { Tag } from '../tags/tag.entity';
import { Profile } from '../users/profile.entity';
import { User } from '../users/user.entity';

/** Every entity of the relational schema, listed once for the app and the migration CLI. */
export const ENTITIES = [User, Profile, Post, Tag, PostTag, Comment];
