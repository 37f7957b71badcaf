#!/usr/bin/env bash
# A season through phases 1-3 (backfill from the replay server), then phase 3 alone on the
# embedded backends side by side with DuckDB running the equivalent SQL (bench/phase3.sql) over
# the same raw Parquet files, then phase 4 for the season. Figures go to BENCHMARKS.md; this
# script is how they are reproduced.
#
#   bash bench/season.sh [FROM TO]      (default: the 2024-25 regular season)
#
# Needs ../shared (the replay server and its data). Installs what it lacks: hyperfine (apt)
# and DuckDB (PyPI, into bench/.venv). Work files live in ${BENCH_DIR:-/tmp/props-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
FROM=${1:-2024-10-22}
TO=${2:-2025-04-13}
WORK=${BENCH_DIR:-/tmp/props-bench}
RUNS=${RUNS:-3}
SEASON="$WORK/season-$FROM-$TO"
mkdir -p "$WORK"

command -v hyperfine >/dev/null || { apt-get update -q && apt-get install -y -q hyperfine; }
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q -r bench/requirements.txt
fi
cargo build --release --bin props
PROPS="$(realpath "${CARGO_TARGET_DIR:-target}")/release/props"

# 1. The season's raw tables, once: phases 1-3 in backfill mode against the replay server.
if [ ! -d "$SEASON/nba-props/tables/raw/player_boxscores" ]; then
  python3 ../shared/tools/replay/server.py --port 0 --quiet > "$WORK/replay.url" &
  REPLAY_PID=$!
  trap 'kill $REPLAY_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do grep -q http "$WORK/replay.url" && break; sleep 0.1; done
  URL=$(grep -o 'http://[0-9.:]*' "$WORK/replay.url")
  /usr/bin/time -v "$PROPS" --data-dir "$SEASON" backfill --from "$FROM" --to "$TO" --source-url "$URL" \
    2> "$WORK/backfill.time"
  grep -E "Elapsed|Maximum resident" "$WORK/backfill.time"
  kill $REPLAY_PID
fi

# 2. Phase 3 alone, from the raw tables: a copy of the season without its analytics outputs
#    (or their run history), rebuilt by one scheduled `analytics` invocation over the range.
cat > "$WORK/season-event.json" <<JSON
{"processors": [], "start_date": "$FROM", "end_date": "$TO", "backfill": true}
JSON
reset_copy() {
  echo "rm -rf $WORK/p3 && cp -r $SEASON $WORK/p3 && rm -rf $WORK/p3/nba-props/tables/analytics $WORK/p3/nba-props/tables/precompute $WORK/p3/nba-props-state.sqlite $WORK/duck && mkdir -p $WORK/duck"
}
hyperfine --runs "$RUNS" --export-markdown "$WORK/phase3.md" \
  --prepare "$(reset_copy)" \
  -n "props analytics (embedded)" "$PROPS --data-dir $WORK/p3 invoke analytics --event $WORK/season-event.json" \
  -n "duckdb (same SQL workload)" "bench/.venv/bin/python bench/phase3.py $SEASON $WORK/duck"
cat "$WORK/phase3.md"

# 3. Peak memory of each, once.
eval "$(reset_copy)"
/usr/bin/time -v "$PROPS" --data-dir "$WORK/p3" invoke analytics --event "$WORK/season-event.json" \
  > "$WORK/props-phase3.out" 2> "$WORK/props-phase3.time"
/usr/bin/time -v bench/.venv/bin/python bench/phase3.py "$SEASON" "$WORK/duck" 2> "$WORK/duck.time"
for f in props-phase3 duck; do echo "$f: $(grep -E 'Maximum resident' "$WORK/$f.time")"; done
for t in team_offense_game_summary team_defense_game_summary player_game_summary \
         upcoming_player_game_context upcoming_team_game_context; do
  echo "$t: $(ls "$WORK/p3/nba-props/tables/analytics/$t" 2>/dev/null | wc -l) props partitions, $(ls "$WORK/duck/$t" 2>/dev/null | wc -l) duckdb partitions"
done

# 4. Phase 4 for the season, from the phase-3 tables just rebuilt (their run history kept).
reset_p4() {
  echo "rm -rf $WORK/p3/nba-props/tables/precompute"
}
hyperfine --runs "$RUNS" --export-markdown "$WORK/phase4.md" --prepare "$(reset_p4)" \
  -n "props precompute (embedded)" "$PROPS --data-dir $WORK/p3 invoke precompute --event $WORK/season-event.json"
cat "$WORK/phase4.md"
eval "$(reset_p4)"
/usr/bin/time -v "$PROPS" --data-dir "$WORK/p3" invoke precompute --event "$WORK/season-event.json" \
  > "$WORK/props-phase4.out" 2> "$WORK/props-phase4.time"
echo "phase 4: $(grep -E 'Maximum resident' "$WORK/props-phase4.time"); feature rows: \
$(ls "$WORK/p3/nba-props/tables/precompute/ml_feature_store" | wc -l) partitions"
