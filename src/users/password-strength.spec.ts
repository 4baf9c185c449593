import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { JUDGED_PASSWORD_LENGTH, passwordWeakness } from './password-strength';

const FULL_KEYBOARD =
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!"#$%&()*+,-./:;<=>?@[]^_{|}~';
const randomCharacters = (length: number) =>
  Array.from({ length }, () => FULL_KEYBOARD[randomInt(FULL_KEYBOARD.length)]).join('');

describe('passwordWeakness', () => {
  it.each(['12345678', 'password', 'Password123!', 'iloveyou123', 'Summer2024!', 'monkeybanana'])(
    'finds %j weak and says why',
    (password) => {
      expect(passwordWeakness(password)).toMatch(/^password is too weak: .+; use a longer/);
    },
  );

  it('passes 8 random characters of the keyboard but for the rare draw that spells something', () => {
    // A random draw sometimes holds a word, a date or a sequence (`xijkl`): 0.44 % of 10,000 here.
    const draws = Array.from({ length: 1_000 }, () => randomCharacters(8));
    const weak = draws.filter((password) => passwordWeakness(password));
    expect(weak.length).toBeLessThanOrEqual(20);
  });

  it('counts the account’s own words as known', () => {
    expect(passwordWeakness('zanzibar-quill')).toBeUndefined();
    expect(passwordWeakness('zanzibar-quill', ['zanzibar-quill'])).toMatch(
      /contains your username, e-mail or name/,
    );
  });

  it(`judges only the first ${JUDGED_PASSWORD_LENGTH} characters`, () => {
    const weakStart = '1'.repeat(JUDGED_PASSWORD_LENGTH);
    expect(passwordWeakness(weakStart + randomCharacters(40))).toMatch(/too weak/);
    expect(
      passwordWeakness(randomCharacters(JUDGED_PASSWORD_LENGTH) + '1'.repeat(90)),
    ).toBeUndefined();
  });
});

describe('@IsNotWeakPassword on the user DTOs', () => {
  const messages = (dto: object) =>
    validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));

  it('gives the registration the estimator’s reason, judged with its username and name', () => {
    const dto = plainToInstance(CreateUserDto, {
      email: 'winifred@example.com',
      username: 'winifred',
      password: 'winifred1990',
      fullName: 'Winifred Q',
    });
    expect(messages(dto)).toEqual([expect.stringMatching(/password is too weak: .*username/)]);
  });

  it('applies to a new password in a PATCH as well', () => {
    expect(messages(plainToInstance(UpdateUserDto, { password: '12345678' }))).toEqual([
      expect.stringMatching(/password is too weak/),
    ]);
    expect(messages(plainToInstance(UpdateUserDto, { password: 'plum orbit canvas 47' }))).toEqual(
      [],
    );
  });

  it('leaves a value that is not a string to @IsString', () => {
    const dto = plainToInstance(CreateUserDto, {
      email: 'x@example.com',
      username: 'xavier',
      password: 12345678,
    });
    expect(messages(dto)).toEqual([
      'password must be longer than or equal to 8 and shorter than or equal to 128 characters',
      'password must be a string',
    ]);
  });
});
