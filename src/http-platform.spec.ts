import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const PLATFORM_PACKAGE = String.raw`(express|fastify|@fastify\/[\w.-]+|@nestjs\/platform-[\w.-]+)`;
const NAMES_A_PLATFORM = new RegExp(
  String.raw`(from\s+|require\(\s*|import\(\s*)['"]${PLATFORM_PACKAGE}['"]`,
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('platform-neutral code', () => {
  it('names an HTTP platform in src/http-platform.ts only', () => {
    const src = join(__dirname);
    const naming = sourceFiles(src)
      .filter((file) => NAMES_A_PLATFORM.test(readFileSync(file, 'utf8')))
      .map((file) => relative(src, file));
    expect(naming).toEqual(['http-platform.ts']);
  });
});
