// The emulator gaps that tests are marked with (test/utils/test-mongo.ts, EMULATOR_GAPS), and the
// one that start.mjs works around, shown with the raw MongoDB driver and nothing of the app:
//
//   node test/mongo-emulator/gap-evidence.mjs                 CongoDB, started here in memory
//   node test/mongo-emulator/gap-evidence.mjs mongodb://…     any server, e.g. a real mongod
//
// It writes to, and then drops, a database named gap_evidence_<pid>.
import { createServer } from 'node:net';
import { MongoClient } from 'mongodb';

let uri = process.argv[2];
let emulator;
if (!uri) {
  const { congodb } = await import('@push.rocks/smartmongo');
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  emulator = new congodb.CongoServer({ port, host: '127.0.0.1' });
  await emulator.start();
  uri = `mongodb://127.0.0.1:${port}`;
}

async function show(label, run) {
  try {
    console.log(`${label}\n  -> ${JSON.stringify(await run())}`);
  } catch (error) {
    console.log(`${label}\n  -> ${error.name} code=${error.code} "${error.message}"`);
  }
}

const client = await new MongoClient(uri, { serverSelectionTimeoutMS: 5000 }).connect();
const db = client.db(`gap_evidence_${process.pid}`);
const contents = db.collection('contents');
try {
  console.log(`server: ${uri}${emulator ? ' (CongoDB, @push.rocks/smartmongo)' : ''}`);
  await contents.createIndex(
    { title: 'text', body: 'text' },
    { name: 'contents_text', weights: { title: 3, body: 1 } },
  );
  await contents.insertMany([
    { title: 'All about mongo', body: '' },
    { title: 'Other', body: 'mentions mongo once' },
    { title: 'Unrelated', body: 'nothing' },
  ]);

  // EMULATOR_GAPS.textIndexListing
  await show("listIndexes: the text index 'contents_text'", async () => {
    const index = (await contents.listIndexes().toArray()).find((i) => i.name === 'contents_text');
    return { key: index.key, weights: index.weights };
  });

  // EMULATOR_GAPS.textSearch
  await show("find({ $text: { $search: 'mongo' } }) sorted by textScore", async () =>
    (
      await contents
        .find({ $text: { $search: 'mongo' } }, { projection: { _id: 0, title: 1 } })
        .sort({ score: { $meta: 'textScore' } })
        .toArray()
    ).map((doc) => doc.title),
  );
  await show("countDocuments({ $text: { $search: 'mongo' } })", () =>
    contents.countDocuments({ $text: { $search: 'mongo' } }),
  );

  // Not a test's gap but the reason start.mjs puts serverMonitoringMode=poll in the URI.
  for (const mode of ['stream', 'poll']) {
    await show(`heartbeats over 2.5 s with serverMonitoringMode=${mode}`, async () => {
      const separator = uri.includes('?') ? '&' : '?';
      const monitored = new MongoClient(
        `${uri}${separator}serverMonitoringMode=${mode}&heartbeatFrequencyMS=500`,
      );
      const seen = [];
      monitored.on('serverHeartbeatFailed', (event) =>
        seen.push(`failed: ${event.failure.message}`),
      );
      monitored.on('connectionPoolCleared', () => seen.push('pool cleared'));
      monitored.on('serverHeartbeatSucceeded', (event) =>
        seen.push(`ok (awaited: ${event.awaited})`),
      );
      await monitored.connect();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await monitored.close();
      return seen;
    });
  }
} finally {
  await db.dropDatabase().catch(() => undefined);
  await client.close();
  await emulator?.stop();
}
