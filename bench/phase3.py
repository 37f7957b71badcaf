"""Runs bench/phase3.sql with DuckDB: phase 3 for every date of a backfilled data directory.

usage: phase3.py DATA_DIR OUT_DIR
DATA_DIR is a `props` data directory (its tables live under nba-props/tables/raw); the five
tables are written under OUT_DIR, one Parquet file per table and game date.
"""

import pathlib
import sys

import duckdb


def main() -> int:
    data, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    raw = data / "nba-props" / "tables" / "raw"
    if not (raw / "player_boxscores").is_dir():
        print(f"no raw tables under {raw}: run `props backfill` first", file=sys.stderr)
        return 2
    sql = (pathlib.Path(__file__).parent / "phase3.sql").read_text()
    if not any((raw / "player_points_props").glob("*/*.parquet")):
        # A season without captured lines (2024-25): the same query over an empty snapshot table.
        start = sql.index("CREATE TEMP TABLE props AS")
        end = sql.index(";", start) + 1
        sql = sql[:start] + (
            "CREATE TEMP TABLE props (game_date DATE, player_lookup VARCHAR, bookmaker VARCHAR,"
            " line DOUBLE, snapshot_at TIMESTAMPTZ, after_tipoff BOOLEAN);"
        ) + sql[end:]
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET VARIABLE raw = ?", [str(raw)])
    con.execute("SET VARIABLE out = ?", [str(out)])
    con.execute(sql)
    for table in ("team_offense", "team_defense", "player_summary", "player_context", "team_context"):
        n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        print(f"{table}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
