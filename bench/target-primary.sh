# bench/target-replica.sh without its replica: the same app on the same primary of the benchmark's
# own replication cluster, every read on the primary. Run the two in one kit run:
#   ../shared/bench/run.sh floor-node bench/target-primary.sh bench/target-replica.sh --scenarios R1,R2

source "$TARGET_FILE_DIR/target-replica.sh"

TARGET_PORT=8107
TARGET_DB=bench_blog_api_primary
TARGET_START="$TARGET_CLUSTER$TARGET_APP_ENV$TARGET_START_COMMAND"
