# This project with one PostgreSQL read replica (DATABASE_READ_URLS), as a target of the
# benchmark kit, beside bench/target-primary.sh: the same app on the same primary without the
# replica. The kit's seed uses the machine's cluster, which cannot replicate, so both targets run
# on a primary and a streaming replica of their own (test/replication/cluster.sh), made by the
# first seed in $BENCH_REPLICATION_DIR and left running for the next rounds (stop it with
# `test/replication/cluster.sh stop /tmp/blog-bench-replication`).
#   ../shared/bench/run.sh floor-node bench/target-primary.sh bench/target-replica.sh --scenarios R1,R2
#
# Commits wait until the replica has applied them (synchronous_commit = remote_apply): the kit's
# check writes a post and reads it back at once, which asynchronous replication would not
# promise (README, "Scaling out"). The reads measured are the same either way. On two cores the
# replica cannot add read capacity: the figures show what the routing costs.

source "$TARGET_FILE_DIR/target.sh"

TARGET_PORT=8106
TARGET_DB=bench_blog_api_replica
BENCH_REPLICATION_DIR=${BENCH_REPLICATION_DIR:-/tmp/blog-bench-replication}
export BENCH_REPLICATION_DIR

# The cluster when it is not running yet, then the kit's data on its primary (PG* point there).
TARGET_CLUSTER='
  cluster=test/replication/cluster.sh
  if ! "$cluster" running "$BENCH_REPLICATION_DIR"; then
    "$cluster" stop "$BENCH_REPLICATION_DIR"
    SYNCHRONOUS_COMMIT=remote_apply "$cluster" start "$BENCH_REPLICATION_DIR" >/dev/null
  fi
  source "$BENCH_REPLICATION_DIR/ports"
  export PGPORT=$PRIMARY_PORT
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$PGDATABASE"
'
TARGET_READS='
  export DATABASE_READ_URLS="postgres://postgres@127.0.0.1:$REPLICA_PORT/$PGDATABASE"
  export REDIS_URL=redis://127.0.0.1:6379 RATE_LIMIT_KEY_PREFIX=bench-replica:
'
TARGET_SEED="$TARGET_CLUSTER$TARGET_APP_ENV$TARGET_SEED_STEPS"
TARGET_START="$TARGET_CLUSTER$TARGET_APP_ENV$TARGET_READS$TARGET_START_COMMAND"
