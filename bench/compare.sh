#!/usr/bin/env bash
# npm run bench:compare: the side-by-side kit (BENCH_KIT_DIR, default ../shared/bench) with
# floor-node (the baseline of the ratio columns), peer-nest-typeorm-tuned, peer-fastapi and this
# project on both platforms (bench/target.sh: Express, bench/target-fastify.sh: Fastify).
# Extra arguments go to the kit's run.sh, e.g. `npm run bench:compare -- --rounds 1`.
set -euo pipefail
cd "$(dirname "$0")/.."
kit=${BENCH_KIT_DIR:-../shared/bench}
if [ ! -x "$kit/run.sh" ]; then
  echo "bench:compare: no benchmark kit at $kit (set BENCH_KIT_DIR to its folder)" >&2
  exit 2
fi
exec "$kit/run.sh" floor-node peer-nest-typeorm-tuned peer-fastapi bench/target.sh \
  bench/target-fastify.sh "$@"
