import { writeFileSync } from 'node:fs';
import { prismRunSummary } from './prism-proxy';
import { findLeaks } from './secrets-watch';
import { tearDownTestMongo } from './test-mongo';

/**
 * Stops the MongoDB emulator if the setup started one, then fails the run if any response or
 * log line of the whole e2e run held a password or a hash.
 */
export default async function globalTeardown(): Promise<void> {
  await tearDownTestMongo();
  const prism = prismRunSummary();
  if (prism) {
    const line =
      `Prism validation proxy: ${prism.requests} requests checked against the OpenAPI document, ` +
      `${prism.requestViolations} request violations (bad requests the suites send on purpose), ` +
      `${prism.responseViolations.length} response violations`;
    console.log(`\n${line}`);
    if (process.env.PRISM_SUMMARY_FILE) writeFileSync(process.env.PRISM_SUMMARY_FILE, `${line}\n`);
  }
  const { problems, logBytes, passwords } = findLeaks();
  console.log(
    `\nsecrets watch: ${passwords} passwords used, ${Math.round(logBytes / 1024)} KiB of logs searched, ${problems.length} leaks`,
  );
  if (problems.length > 0) {
    throw new Error(`secrets leaked:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
}
