import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PostsModule } from '../posts/posts.module';
import { PasswordHasher } from './password-hasher';
import { Profile } from './profile.entity';
import { User } from './user.entity';
import { UserPostsController } from './user-posts.controller';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Accounts and profiles; a user's posts are the posts module's, asked through PostsService. */
@Module({
  imports: [TypeOrmModule.forFeature([User, Profile]), PostsModule],
  controllers: [UsersController, UserPostsController],
  providers: [UsersService, PasswordHasher],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
