// Fails unless every package in package-lock.json comes from the npm registry with an integrity
// hash: the emulator must install on a machine that reaches nothing but registry.npmjs.org.
import { readFileSync } from 'node:fs';

const REGISTRY = 'https://registry.npmjs.org/';
const lock = JSON.parse(readFileSync(new URL('package-lock.json', import.meta.url), 'utf8'));
const problems = Object.entries(lock.packages)
  .filter(([path]) => path !== '')
  .flatMap(([path, entry]) => {
    if (entry.link) return [`${path} is a link to ${entry.resolved}`];
    if (entry.resolved !== undefined && !entry.resolved.startsWith(REGISTRY)) {
      return [`${path} resolves to ${entry.resolved}`];
    }
    return entry.integrity ? [] : [`${path} has no integrity hash`];
  });
if (problems.length > 0) {
  console.error(
    `test/mongo-emulator/package-lock.json: not all from ${REGISTRY}\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
console.log(
  `test/mongo-emulator/package-lock.json: ${Object.keys(lock.packages).length - 1} packages, all from ${REGISTRY}`,
);
