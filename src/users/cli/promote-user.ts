import '../../config/load-env';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../app.module';
import { UsersService } from '../users.service';

/** `npm run user:promote -- <username>`: grants the admin role, on the app's own configuration. */
async function main(): Promise<number> {
  const username = process.argv[2];
  if (!username) {
    console.error('usage: npm run user:promote -- <username>');
    return 2;
  }
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    const promoted = await app.get(UsersService).promoteToAdmin(username);
    if (!promoted) {
      console.error(`no user named "${username}"`);
      return 1;
    }
    console.log(`${username} is now an admin`);
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
