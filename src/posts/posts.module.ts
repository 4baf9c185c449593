import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TagsModule } from '../tags/tags.module';
import { Comment } from './comment.entity';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { PostPages } from './post-pages';
import { Post } from './post.entity';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

/** Posts and their comments; tags are got or created through TagsService. */
@Module({
  imports: [TypeOrmModule.forFeature([Post, Comment]), TagsModule],
  controllers: [PostsController, CommentsController],
  providers: [PostsService, PostPages, CommentsService],
  exports: [PostsService],
})
export class PostsModule {}
