import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SchemaTypes, Types } from 'mongoose';

export const CONTENT_STATUSES = ['draft', 'published', 'archived'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

export const MAX_CONTENT_TITLE_LENGTH = 200;
export const MAX_CONTENT_BODY_LENGTH = 100_000;
export const MAX_COMMENT_BODY_LENGTH = 5000;
/**
 * Comments are embedded, so they count against MongoDB's 16 MB document limit: at 5000
 * characters each, 1000 of them stay well inside it whatever the body and metadata hold.
 */
export const MAX_COMMENTS_PER_CONTENT = 1000;

@Schema({ versionKey: false })
export class ContentComment {
  _id: Types.ObjectId;

  /** A relational user id. */
  @Prop({ required: true })
  authorId: string;

  @Prop({ required: true, minlength: 1, maxlength: MAX_COMMENT_BODY_LENGTH })
  body: string;

  /** Set by the service when the comment is pushed, never by the caller. */
  @Prop({ required: true })
  createdAt: Date;
}

export const ContentCommentSchema = SchemaFactory.createForClass(ContentComment);

/**
 * One document of the `contents` collection. `createdAt`/`updatedAt` are kept by the schema's
 * timestamps; `minimize: false` keeps an empty `metadata` as `{}` instead of dropping the field.
 */
@Schema({ collection: 'contents', timestamps: true, minimize: false, versionKey: false })
export class Content {
  _id: Types.ObjectId;

  @Prop({ required: true, minlength: 1, maxlength: MAX_CONTENT_TITLE_LENGTH })
  title: string;

  @Prop({ default: '', maxlength: MAX_CONTENT_BODY_LENGTH })
  body: string;

  @Prop({ type: String, required: true, enum: CONTENT_STATUSES, default: 'draft' })
  status: ContentStatus;

  /** A relational user id (the users table is the source of truth; no reference is enforced). */
  @Prop({ required: true })
  authorId: string;

  @Prop({ type: [String], default: [] })
  tags: string[];

  @Prop({ type: SchemaTypes.Mixed, default: () => ({}) })
  metadata: Record<string, unknown>;

  @Prop({ type: [ContentCommentSchema], default: [] })
  comments: ContentComment[];

  createdAt: Date;
  updatedAt: Date;
}

export const ContentSchema = SchemaFactory.createForClass(Content);

// Full-text search for `q`; a title hit ranks above a body hit.
ContentSchema.index(
  { title: 'text', body: 'text' },
  { name: 'contents_text', weights: { title: 3, body: 1 } },
);
// A user's documents, newest first (GET /content?authorId=…, and user deletion).
ContentSchema.index({ authorId: 1, createdAt: -1 });
// Multikey: `tag` filters and the stats' tag counts.
ContentSchema.index({ tags: 1 });
// The default listing of what anonymous callers may see, newest first.
ContentSchema.index({ status: 1, createdAt: -1 });
