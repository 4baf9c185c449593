# This project on Fastify (HTTP_PLATFORM=fastify) as a target of the side-by-side benchmark kit,
# next to bench/target.sh (the same app on Express, the default); the kit names a target after
# its file. Everything but the platform, the port and the database is bench/target.sh's.
#   ../shared/bench/run.sh floor-node peer-nest-typeorm-tuned bench/target.sh bench/target-fastify.sh

source "$TARGET_FILE_DIR/target.sh"

TARGET_PORT=8104
TARGET_DB=bench_blog_api_fastify
TARGET_APP_ENV="$TARGET_APP_ENV"'
  export HTTP_PLATFORM=fastify
'
TARGET_SEED="$TARGET_APP_ENV$TARGET_SEED_STEPS"
TARGET_START="$TARGET_APP_ENV$TARGET_START_COMMAND"
