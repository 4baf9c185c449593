import { Module } from '@nestjs/common';
import { TagsModule } from '../tags/tags.module';
import { UsersModule } from '../users/users.module';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';
import { UserPostsController } from './user-posts.controller';

/** Posts and their comments; tagging goes through TagsService, user lookups through UsersService. */
@Module({
  imports: [UsersModule, TagsModule],
  controllers: [PostsController, UserPostsController, CommentsController],
  providers: [PostsService, CommentsService],
  exports: [PostsService],
})
export class PostsModule {}
