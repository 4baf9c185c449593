import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuthUser, isAdmin } from '../auth/auth-user';
import { CursorPageDto, PageDto, toPage } from '../common/pagination';
import { parseSort } from '../common/sorting';
import { whereContains } from '../common/text-search';
import { runInTransaction } from '../database/transactions';
import { ListUserPostsQueryDto } from '../posts/dto/list-posts-query.dto';
import { PostDto } from '../posts/dto/post.dto';
import { PostsService } from '../posts/posts.service';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto, UserSortField } from './dto/list-users-query.dto';
import { ProfileInputDto } from './dto/profile.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDto } from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import { Profile } from './profile.entity';
import { UserDeletedEvent } from './user-deleted.event';
import { UserRole } from './user-role';
import { User } from './user.entity';
import { ReadRouting } from '../database/read-replicas';

/** What login needs to know about an account; the hash never leaves the auth flow. */
export interface UserCredentials {
  id: string;
  username: string;
  role: UserRole;
  isActive: boolean;
  passwordHash: string;
  /** Goes into the token; see `User.tokenVersion`. */
  tokenVersion: number;
}

/** A login (username or e-mail) as accounts are found by: usernames match case-insensitively, e-mails are stored lower-cased. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

const SORT_COLUMNS: Record<UserSortField, string> = {
  username: 'user.normalizedUsername',
  createdAt: 'user.createdAt',
};

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly userRepository: Repository<User>,
    private readonly reads: ReadRouting,
    private readonly dataSource: DataSource,
    private readonly passwords: PasswordHasher,
    private readonly events: EventEmitter2,
    private readonly posts: PostsService,
  ) {}

  /** User rows: read from the request's replica in a GET request (ReadRouting). */
  private get users(): Repository<User> {
    return this.reads.repository(this.userRepository);
  }

  async register(dto: CreateUserDto): Promise<UserDto> {
    const passwordHash = await this.passwords.hash(dto.password);
    const now = new Date();
    const user = await runInTransaction(this.dataSource, async (tx) => {
      const created = tx.getRepository(User).create({
        id: randomUUID(),
        email: dto.email,
        username: dto.username,
        normalizedUsername: dto.username.toLowerCase(),
        passwordHash,
        fullName: dto.fullName ?? null,
        isActive: true,
        role: UserRole.User,
        createdAt: now,
        updatedAt: now,
      });
      // insert() writes RETURNING values back into the object it is given, unconverted on MariaDB
      // (isActive comes back as 1); a copy keeps `created` as the typed source of the answer.
      await tx.getRepository(User).insert({ ...created });
      created.profile = dto.profile ? await this.insertProfile(tx, created.id, dto.profile) : null;
      return created;
    });
    return toUserDto(user, { id: user.id, username: user.username, role: user.role });
  }

  async list(query: ListUsersQueryDto, viewer: AuthUser): Promise<PageDto<UserDto>> {
    const { field, direction } = parseSort<UserSortField>(query.sort);
    // offset/limit rather than skip/take: the one-to-one profile cannot multiply rows, so the
    // page needs no separate query of ids (and TypeORM counts only when the page is full).
    const builder = this.users
      .createQueryBuilder('user')
      .leftJoinAndSelect('user.profile', 'profile')
      .orderBy(SORT_COLUMNS[field], direction)
      .addOrderBy('user.id', direction)
      .offset(query.skip)
      .limit(query.limit);
    if (query.search) {
      // Email is searchable only by admins: anyone else could probe who owns an address.
      const columns = ['user.username', 'user.fullName'];
      if (isAdmin(viewer)) columns.push('user.email');
      whereContains(builder, columns, query.search);
    }
    if (query.isActive !== undefined) {
      builder.andWhere('user.isActive = :isActive', { isActive: query.isActive });
    }
    const [users, total] = await builder.getManyAndCount();
    return toPage(
      users.map((user) => toUserDto(user, viewer)),
      total,
      query,
    );
  }

  async findOne(id: string, viewer?: AuthUser): Promise<UserDto> {
    return toUserDto(await this.findEntity(id), viewer);
  }

  /** `GET /users/:id/posts`: 404 for an unknown user, looked up only when the page is empty. */
  async listPosts(
    id: string,
    query: ListUserPostsQueryDto,
    viewer?: AuthUser,
  ): Promise<CursorPageDto<PostDto>> {
    const page = await this.posts.listByAuthor(id, query, viewer);
    if (page.total === 0) await this.findOne(id, viewer);
    return page;
  }

  async update(id: string, dto: UpdateUserDto, caller: AuthUser): Promise<UserDto> {
    const user = await this.findEntity(id);
    assertMayManage(user, caller);
    if ((dto.isActive !== undefined || dto.role !== undefined) && !isAdmin(caller)) {
      throw new ForbiddenException('only admins may change isActive or role');
    }
    const changesOwnCredentials =
      user.id === caller.id && (dto.email !== undefined || dto.password !== undefined);
    if (changesOwnCredentials) {
      await this.assertCurrentPassword(id, dto.currentPassword);
    } else if (dto.currentPassword !== undefined) {
      throw new BadRequestException(
        'currentPassword is only accepted with a change of your own email or password',
      );
    }

    const changes: Partial<User> = {};
    if (dto.email !== undefined) changes.email = dto.email;
    if (dto.username !== undefined) {
      changes.username = dto.username;
      changes.normalizedUsername = dto.username.toLowerCase();
    }
    if (dto.fullName !== undefined) changes.fullName = dto.fullName;
    if (dto.isActive !== undefined) changes.isActive = dto.isActive;
    if (dto.role !== undefined) changes.role = dto.role;
    if (dto.password !== undefined) changes.passwordHash = await this.passwords.hash(dto.password);

    await runInTransaction(this.dataSource, async (tx) => {
      if (Object.keys(changes).length > 0 || dto.profile !== undefined) {
        await tx.getRepository(User).update(id, { ...changes, updatedAt: new Date() });
      }
      // Tokens carry the version they were issued with: every earlier one is now refused.
      if (dto.password !== undefined)
        await tx.getRepository(User).increment({ id }, 'tokenVersion', 1);
      if (dto.profile === null) {
        await tx.getRepository(Profile).delete({ userId: id });
      } else if (dto.profile !== undefined) {
        await this.patchProfile(tx, id, dto.profile);
      }
    });
    return this.findOne(id, caller);
  }

  /** Someone holding only a stolen token must not take the account over: 400 or 403. */
  private async assertCurrentPassword(id: string, currentPassword?: string): Promise<void> {
    if (currentPassword === undefined) {
      throw new BadRequestException('currentPassword is required to change your email or password');
    }
    const { passwordHash } = await this.users
      .createQueryBuilder('user')
      .select('user.id')
      .addSelect('user.passwordHash')
      .where('user.id = :id', { id })
      .getOneOrFail();
    if (!(await this.passwords.verify(passwordHash, currentPassword))) {
      throw new ForbiddenException('currentPassword is wrong');
    }
  }

  async remove(id: string, caller: AuthUser): Promise<void> {
    const user = await this.findEntity(id);
    assertMayManage(user, caller);
    // Profile, posts and comments go with the row through ON DELETE CASCADE foreign keys.
    await this.users.delete(id);
    // Listeners run before the 204 is sent, so a client that sees it sees everything gone.
    await this.events.emitAsync(UserDeletedEvent.eventName, new UserDeletedEvent(id));
  }

  /** Looks an account up by username (case-insensitive) or email, for login. */
  async findCredentials(login: string): Promise<UserCredentials | null> {
    const normalized = normalizeLogin(login);
    const user = await this.users
      .createQueryBuilder('user')
      .select(['user.id', 'user.username', 'user.role', 'user.isActive'])
      .addSelect(['user.passwordHash', 'user.tokenVersion'])
      .where(
        normalized.includes('@') ? 'user.email = :login' : 'user.normalizedUsername = :login',
        {
          login: normalized,
        },
      )
      .getOne();
    return user;
  }

  /**
   * The caller behind a token, or null when the account is gone or deactivated, or when the
   * token's version is no longer the account's (its password changed since). Asked by the auth
   * guard, before ReadRouting routes anything: always on the primary, so that a revocation or a
   * deactivation does not wait for a replica to replay it.
   */
  async findActiveAuthUser(id: string, tokenVersion: number): Promise<AuthUser | null> {
    const user = await this.users.findOne({
      select: { id: true, username: true, role: true },
      where: { id, isActive: true, tokenVersion },
    });
    return user ? { id: user.id, username: user.username, role: user.role } : null;
  }

  /** Grants the admin role; returns false when no such user exists. */
  async promoteToAdmin(username: string): Promise<boolean> {
    const result = await this.users.update(
      { normalizedUsername: username.toLowerCase() },
      { role: UserRole.Admin, updatedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  private async findEntity(id: string): Promise<User> {
    const user = await this.users.findOne({
      where: { id },
      relations: { profile: true },
    });
    if (!user) throw new NotFoundException('user not found');
    return user;
  }

  private async insertProfile(
    tx: EntityManager,
    userId: string,
    input: ProfileInputDto,
  ): Promise<Profile> {
    const profile = tx.getRepository(Profile).create({
      userId,
      bio: input.bio ?? null,
      avatarUrl: input.avatarUrl ?? null,
    });
    await tx.getRepository(Profile).insert({ ...profile });
    return profile;
  }

  /**
   * Creates the profile or changes only the given fields of the existing one, in one upsert:
   * two concurrent first writes then both succeed instead of one failing on the primary key.
   */
  private async patchProfile(
    tx: EntityManager,
    userId: string,
    input: ProfileInputDto,
  ): Promise<void> {
    const changes: Partial<Profile> = {};
    if (input.bio !== undefined) changes.bio = input.bio;
    if (input.avatarUrl !== undefined) changes.avatarUrl = input.avatarUrl;
    await tx
      .getRepository(Profile)
      .upsert(
        { userId, ...changes },
        { conflictPaths: ['userId'], skipUpdateIfNoValuesChanged: true },
      );
  }
}

function assertMayManage(user: User, caller: AuthUser): void {
  if (user.id !== caller.id && !isAdmin(caller)) {
    throw new ForbiddenException('you may only change your own account');
  }
}

export function toUserDto(user: User, viewer?: AuthUser): UserDto {
  const maySeeEmail = viewer !== undefined && (viewer.id === user.id || isAdmin(viewer));
  return {
    id: user.id,
    ...(maySeeEmail ? { email: user.email } : {}),
    username: user.username,
    fullName: user.fullName,
    isActive: user.isActive,
    role: user.role,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    profile: user.profile ? { bio: user.profile.bio, avatarUrl: user.profile.avatarUrl } : null,
  };
}
