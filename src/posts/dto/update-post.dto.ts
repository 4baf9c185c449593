import { PartialType } from '@nestjs/swagger';
import { CreatePostDto } from './create-post.dto';

/**
 * Partial: absent fields are untouched, `null` is a 400. `tags` replaces the whole set.
 * Publishing sets `publishedAt` the first time; unpublishing keeps it.
 */
export class UpdatePostDto extends PartialType(CreatePostDto, { skipNullProperties: false }) {}
