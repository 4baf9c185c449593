// The vocabulary of the demo data: plain ASCII, so lengths in characters are lengths in bytes.

// prettier-ignore
export const FIRST_NAMES = [
  'Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Karl',
  'Laura', 'Mallory', 'Nina', 'Oscar', 'Peggy', 'Quentin', 'Rupert', 'Sybil', 'Trent', 'Uma',
  'Victor', 'Walter', 'Xena', 'Yusuf', 'Zoe', 'Amara', 'Bruno', 'Chen', 'Dara', 'Emeka', 'Farah',
  'Goran', 'Hana', 'Ines', 'Jonas', 'Kenji', 'Lena', 'Mateo', 'Noor', 'Olga', 'Priya', 'Rafael',
  'Sana', 'Tomas', 'Ulla', 'Vera', 'Wei', 'Yara', 'Zeynep',
] as const;

// prettier-ignore
export const LAST_NAMES = [
  'Smith', 'Nguyen', 'Garcia', 'Muller', 'Rossi', 'Kowalski', 'Okafor', 'Tanaka', 'Silva',
  'Johansson', 'Dubois', 'Novak', 'Haddad', 'Ivanova', 'Kim', 'Patel', 'Lopez', 'Andersen',
  'Costa', 'Fischer', 'Horvat', 'Jensen', 'Khan', 'Larsen', 'Mendes', 'Nakamura', 'Ortiz',
  'Petrov', 'Quinn', 'Reyes', 'Schmidt', 'Torres', 'Urban', 'Varga', 'Weber', 'Yilmaz', 'Zhang',
] as const;

/** Tag names as people type them; the seed normalises them like the API does. */
// prettier-ignore
export const TAG_NAMES = [
  'TypeScript', 'NestJS', 'PostgreSQL', 'SQLite', 'MariaDB', 'MongoDB', 'TypeORM', 'Node JS',
  'REST', 'OpenAPI', 'Testing', 'Performance', 'Security', 'Docker', 'Kubernetes', 'Redis',
  'Caching', 'Indexes', 'Transactions', 'Migrations', 'Authentication', 'JWT', 'Validation',
  'Logging', 'Observability', 'CI', 'Deployment', 'Architecture', 'Design Patterns', 'Refactoring',
  'Databases', 'SQL', 'NoSQL', 'GraphQL', 'Web Sockets', 'Queues', 'Microservices', 'Monoliths',
  'Career', 'Open Source', 'Tutorials', 'Debugging', 'Concurrency', 'Pagination', 'Search',
  'Full Text', 'Backups', 'Linux', 'Networking', 'HTTP', 'API Design', 'Error Handling',
  'Rate Limiting', 'Data Modeling', 'Many to Many', 'Express', 'JavaScript', 'Tooling',
  'Code Review', 'Productivity',
] as const;

export const TITLE_OPENINGS = [
  'Designing',
  'Understanding',
  'A gentle introduction to',
  'Lessons learned from',
  'Ten mistakes with',
  'Getting started with',
  'Scaling',
  'Testing',
  'Debugging',
  'Rethinking',
  'What I wish I knew about',
  'A practical guide to',
  'Benchmarking',
  'Securing',
  'Migrating to',
  'Notes on',
  'Demystifying',
  'Keeping it simple with',
  'Deep dive:',
  'Why we chose',
] as const;

export const TITLE_SUBJECTS = [
  'many-to-many relations',
  'keyset pagination',
  'database migrations',
  'connection pools',
  'unique constraints',
  'JWT authentication',
  'request validation',
  'structured logging',
  'rate limiting',
  'graceful shutdown',
  'full-text search',
  'composite indexes',
  'transactions',
  'optimistic locking',
  'soft deletes',
  'time zones',
  'UUID primary keys',
  'error handling',
  'OpenAPI documents',
  'end-to-end tests',
  'slow queries',
  'N+1 queries',
  'caching layers',
  'feature flags',
  'background jobs',
  'schema design',
  'API versioning',
  'health checks',
  'flexible schemas',
  'bulk inserts',
] as const;

export const TITLE_ENDINGS = [
  '',
  '',
  '',
  ' in practice',
  ' the hard way',
  ' at scale',
  ' for beginners',
  ' without tears',
  ' in NestJS',
  ' on PostgreSQL',
  ' with TypeORM',
  ': a checklist',
  ' in production',
  ', revisited',
] as const;

export const SENTENCES = [
  'The first version worked well until the data grew past a few thousand rows.',
  'An index that matches the sort order turned a full scan into a handful of page reads.',
  'Every write runs in one transaction, so a failure leaves nothing half done.',
  'We measured before changing anything, and the numbers surprised us.',
  'The database already knows which values are unique; let it say so.',
  'A migration that cannot be reverted is a migration nobody dares to run on a Friday.',
  'Validation at the edge keeps bad input from ever reaching the service layer.',
  'Connection pools are small on purpose: the database does the real work.',
  'Keyset pagination costs the same on page one and on page four hundred.',
  'Structured logs answered questions we did not know we would ask.',
  'Tests that read like the contract are the ones people keep up to date.',
  'The slow part was not the query but the objects we built from its rows.',
  'Time zones are easy as long as everything is stored in UTC.',
  'A small, boring design survived three rewrites of everything around it.',
  'Rate limits protect the service and, just as much, its other users.',
  'We replaced a clever cache with a better index and deleted two hundred lines.',
  'The error message names the field, so nobody has to open the logs.',
  'Readers never see a draft, and authors never lose one.',
  'A health check that lies is worse than no health check at all.',
  'Bulk inserts in chunks kept memory flat and the run under a minute.',
  'The ORM is a convenience, not a reason to forget what SQL is sent.',
  'Choosing boring technology left energy for the interesting problems.',
  'A cursor is opaque to clients, which leaves the server free to change it.',
  'Most performance problems were found by counting statements per request.',
] as const;

export const COMMENT_BODIES = [
  'Great write-up, thanks!',
  'This saved me an afternoon of debugging.',
  'Could you share the schema you ended up with?',
  'We hit exactly the same problem last year.',
  'Interesting. How does this behave under concurrent writes?',
  'I would add an index on the foreign key as well.',
  'Clear and to the point. Bookmarked.',
  'Did you measure the difference on MariaDB too?',
  'The part about transactions finally made it click for me.',
  'Nice. A follow-up on testing this would be welcome.',
  'Small typo in the third paragraph, otherwise excellent.',
  'How did you handle the migration on a live database?',
] as const;

export const BIOS = [
  'Backend developer who likes small, boring services.',
  'Writes about databases, testing and the occasional outage.',
  'Platform engineer. Coffee, SQL and long walks.',
  'Learning in public, one post at a time.',
  'Open source maintainer and recovering framework collector.',
  'Builds APIs by day and keyboards by night.',
] as const;
