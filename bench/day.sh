#!/usr/bin/env bash
# One game day and the binaries: `props run` end to end (embedded, simulated league), the season
# backfill of the simulated league, stripped release binary sizes, Lambda cold start per binary,
# peak RSS per function for one day, and the day's S3/DynamoDB/SQS request counts. Figures go to
# BENCHMARKS.md; this script is how they are reproduced.
#
#   bash bench/day.sh            (RUNS=3 by default; work files in ${BENCH_DIR:-/tmp/props-bench})
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${BENCH_DIR:-/tmp/props-bench}
RUNS=${RUNS:-3}
TARGET=${CARGO_TARGET_DIR:-target}
mkdir -p "$WORK"
command -v hyperfine >/dev/null || { apt-get update -q && apt-get install -y -q hyperfine; }
cargo build --release --workspace --bins
BIN="$TARGET/release"
PROPS="$BIN/props"
BINS=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(" ".join(t["name"] for p in m["packages"] if "/functions/" in p["manifest_path"]
               for t in p["targets"] if "bin" in t["kind"]))')

echo "== one game day end to end (props run, 3 history days, fresh data dir each run)"
hyperfine --runs "$RUNS" --export-markdown "$WORK/day.md" --prepare "rm -rf $WORK/day" \
  "$PROPS --data-dir $WORK/day run --history-days 3"
cat "$WORK/day.md"
/usr/bin/time -v "$PROPS" --data-dir "$WORK/day" run --history-days 3 > "$WORK/day.out" 2> "$WORK/day.time" || true
grep -E "Maximum resident" "$WORK/day.time"

echo "== request counts of the game day and its history (METRICS# items of the state store)"
python3 - "$WORK/day/nba-props-state.sqlite" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = [r[1] for r in db.execute("PRAGMA table_info(items)")]
for row in db.execute("SELECT * FROM items WHERE pk LIKE 'METRICS#%' ORDER BY pk"):
    item = dict(zip(cols, row))
    print(item["pk"], item.get("attrs") or item)
PY

echo "== stripped release binary sizes"
for b in props $BINS; do printf "%-22s %6.1f MB\n" "$b" "$(echo "$(stat -c %s "$BIN/$b") / 1048576" | bc -l)"; done

echo "== cold start: process start -> first poll of the runtime API (20 runs each)"
python3 bench/cold_start.py 20 $(for b in $BINS; do echo "$BIN/$b"; done)

echo "== peak RSS per function for one day (each invocation its own process, bench/day_rss.py)"
rm -rf "$WORK/rss" && mkdir -p "$WORK/rss"
"$PROPS" sim-server --port 0 --now 2025-01-15 > "$WORK/rss/sim.out" 2>&1 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q http "$WORK/rss/sim.out" && break; sleep 0.1; done
SIM_URL=$(grep -o 'http://[0-9.:]*' "$WORK/rss/sim.out" | head -1)
"$PROPS" --data-dir "$WORK/rss/data" backfill --from 2025-01-14 --to 2025-01-14 --source-url "$SIM_URL" > /dev/null
python3 bench/day_rss.py "$PROPS" "$WORK/rss/data" "$SIM_URL" 2025-01-15
kill $SIM_PID

echo "== a full simulated season backfill (2024-10-22..2025-04-13)"
rm -rf "$WORK/simseason"
/usr/bin/time -v "$PROPS" --data-dir "$WORK/simseason" backfill --from 2024-10-22 --to 2025-04-13 \
  2> "$WORK/simseason.time"
grep -E "Elapsed|Maximum resident" "$WORK/simseason.time"
