# This project on Express (the default platform) as a target of the side-by-side benchmark kit
# (../shared/bench, see its README); bench/target-fastify.sh is the same app on Fastify:
#   ../shared/bench/check.sh bench/target.sh
#   ../shared/bench/run.sh floor-node peer-nest-typeorm-tuned bench/target.sh bench/target-fastify.sh
# or `npm run bench:compare`, which runs the kit from $BENCH_KIT_DIR (default ../shared/bench).
#
# Sourced by the kit's bash with BENCH_DIR, TARGET_FILE and TARGET_FILE_DIR set; the commands are
# run later with `bash -c` in TARGET_DIR with PORT, DATABASE_URL, PG* in the environment.

TARGET_DIR=..
TARGET_PORT=8103
TARGET_DB=bench_blog_api
TARGET_ID_FORMAT=uuid          # ids are UUIDs (contract section 0)
TARGET_W1_AUTHOR_FIELD=0       # the author comes from the token; unknown body fields are 400

# Production mode, a pool of 10 like the reference targets, no request or query logging
# (request lines are logged at info), MongoDB off, limits that a benchmark does not trip.
TARGET_APP_ENV='
  export NODE_ENV=production
  export JWT_SECRET=bench-only-secret-not-for-production-use JWT_EXPIRES_IN=2h
  export DB_POOL_SIZE=10 DB_LOGGING=false LOG_LEVEL=warn
  export WRITE_RATE_LIMIT=10000000
  export DATABASE_URL="postgres://${DATABASE_URL#*://}"
  unset MONGODB_URI REDIS_URL LOG_FILE
'

TARGET_SETUP='set -e; [ -d node_modules ] || npm ci --include=dev --no-audit --no-fund; npm run build'

# Schema through the app's own migrations (compiled data source), then the shared data set.
TARGET_SEED_STEPS='
  set -euo pipefail
  source "$BENCH_DIR/lib/pg.sh"
  recreate_db "$PGDATABASE"
  node node_modules/typeorm/cli.js migration:run -d dist/ormconfig.js
  "$BENCH_DIR/seed/load.sh" "$TARGET_FILE_DIR/target-map.sql"
'
TARGET_SEED="$TARGET_APP_ENV$TARGET_SEED_STEPS"

# The production start (npm run start:prod): V8 flags that keep the heap near its live size (see
# BENCHMARKS.md, "Memory").
TARGET_START_COMMAND='
  exec node --max-semi-space-size=4 --heap-growing-percent=30 dist/src/main.js
'
TARGET_START="$TARGET_APP_ENV$TARGET_START_COMMAND"

TARGET_TOKEN_CMD='"$BENCH_DIR/lib/contract-token.sh"'
