-- Phase 3 for a whole season in one DuckDB session: the same five tables `analytics`
-- builds, from the same raw Parquet files, written as one Parquet file per table and game
-- date. The formulas follow DESIGN.md §8; it is the comparison workload for BENCHMARKS.md,
-- not a second implementation that anything reads.
-- Variables (set by bench/phase3.py): raw = tables/raw directory, out = output directory.

CREATE TEMP TABLE pb AS SELECT * FROM read_parquet(getvariable('raw') || '/player_boxscores/*/*.parquet');
CREATE TEMP TABLE tb AS SELECT * FROM read_parquet(getvariable('raw') || '/team_boxscores/*/*.parquet');
CREATE TEMP TABLE sched AS SELECT * FROM read_parquet(getvariable('raw') || '/schedule/*/*.parquet');
CREATE TEMP TABLE props AS
  SELECT * FROM read_parquet(getvariable('raw') || '/player_points_props/*/*.parquet', union_by_name = true)
  WHERE NOT after_tipoff;

-- team_offense_game_summary
CREATE TEMP TABLE team_offense AS
SELECT t.game_date, t.game_id, t.season_type, t.team, t.opponent, t.home,
       t.points, o.points AS opponent_points,
       CASE WHEN t.points IS NULL OR o.points IS NULL THEN NULL ELSE t.points > o.points END AS win_flag,
       t.points - o.points AS margin, t.minutes,
       CAST(round(greatest(t.minutes - 240, 0) / 25) AS INTEGER) AS overtime_periods,
       t.fg_made, t.fg_attempted, t.three_made, t.three_attempted, t.ft_made, t.ft_attempted,
       t.off_rebounds, t.def_rebounds, t.rebounds, t.assists, t.steals, t.blocks, t.turnovers,
       t.fg_attempted + 0.44 * t.ft_attempted + t.turnovers - t.off_rebounds AS possessions,
       100.0 * t.points / nullif(t.fg_attempted + 0.44 * t.ft_attempted + t.turnovers - t.off_rebounds, 0) AS offensive_rating,
       (t.fg_attempted + 0.44 * t.ft_attempted + t.turnovers - t.off_rebounds) * 48 / nullif(t.minutes / 5, 0) AS pace,
       t.points / nullif(2 * (t.fg_attempted + 0.44 * t.ft_attempted), 0) AS ts_pct,
       (t.fg_made + 0.5 * t.three_made) / nullif(t.fg_attempted, 0) AS efg_pct
FROM tb t LEFT JOIN tb o ON o.game_id = t.game_id AND o.team = t.opponent;

-- team_defense_game_summary: the opponent's offence seen from the defender
CREATE TEMP TABLE team_defense AS
SELECT d.game_date, d.game_id, d.season_type, d.team, d.opponent, d.home,
       o.points AS points_allowed, o.fg_made AS opp_fg_made, o.fg_attempted AS opp_fg_attempted,
       o.three_made AS opp_three_made, o.three_attempted AS opp_three_attempted,
       o.ft_made AS opp_ft_made, o.ft_attempted AS opp_ft_attempted,
       o.possessions AS opp_possessions, o.offensive_rating AS defensive_rating, o.pace AS opponent_pace,
       o.turnovers AS turnovers_forced
FROM team_offense d JOIN team_offense o ON o.game_id = d.game_id AND o.team = d.opponent;

-- the pre-game line per player and game: preferred book, else the median across books;
-- opening = earliest snapshot, current = latest
CREATE TEMP TABLE latest AS
SELECT game_date, player_lookup, bookmaker, arg_max(line, snapshot_at) AS line, arg_min(line, snapshot_at) AS opening
FROM props GROUP BY ALL;
CREATE TEMP TABLE lines AS
SELECT game_date, player_lookup,
       coalesce(max(line) FILTER (bookmaker = 'draftkings'), max(line) FILTER (bookmaker = 'fanduel'), median(line)) AS points_line,
       coalesce(max(opening) FILTER (bookmaker = 'draftkings'), max(opening) FILTER (bookmaker = 'fanduel'), median(opening)) AS opening_line,
       count(*) AS line_bookmakers
FROM latest GROUP BY ALL;

-- player_game_summary
CREATE TEMP TABLE player_summary AS
SELECT p.game_date, p.game_id, p.season_type, p.player_lookup, p.player_id, p.player_name, p.team, p.opponent, p.home,
       p.minutes AS minutes_played, p.points, p.fg_made, p.fg_attempted, p.three_made, p.three_attempted,
       p.ft_made, p.ft_attempted, p.rebounds, p.assists, p.turnovers,
       (p.fg_made + 0.5 * p.three_made) / nullif(p.fg_attempted, 0) AS efg_pct,
       p.points / nullif(2 * (p.fg_attempted + 0.44 * p.ft_attempted), 0) AS ts_pct,
       least(100.0, 100.0 * (p.fg_attempted + 0.44 * p.ft_attempted + p.turnovers) * (t.minutes / 5)
             / nullif(p.minutes * (t.fg_attempted + 0.44 * t.ft_attempted + t.turnovers), 0)) AS usage_rate,
       p.starter, p.dnp, l.points_line, l.line_bookmakers, l.opening_line, l.points_line - l.opening_line AS line_movement,
       CASE WHEN l.points_line IS NULL OR p.points IS NULL THEN NULL
            WHEN p.points > l.points_line THEN 'OVER' WHEN p.points < l.points_line THEN 'UNDER' ELSE 'PUSH' END
         AS over_under_result,
       p.points - l.points_line AS margin_vs_line
FROM pb p
LEFT JOIN team_offense t ON t.game_id = p.game_id AND t.team = p.team
LEFT JOIN lines l ON l.game_date = p.game_date AND l.player_lookup = p.player_lookup;

-- one row per team and scheduled game
CREATE TEMP TABLE team_games AS
SELECT game_date, game_id, home_team AS team, away_team AS opponent, true AS home FROM sched
UNION ALL SELECT game_date, game_id, away_team, home_team, false FROM sched;

-- a team's played games before each scheduled date
CREATE TEMP TABLE team_history AS
SELECT g.game_date, g.team, h.game_date AS played, h.margin, h.pace, h.offensive_rating
FROM team_games g JOIN team_offense h ON h.team = g.team AND h.game_date < g.game_date
 AND h.game_date >= g.game_date - INTERVAL 200 DAY;

-- upcoming_team_game_context
CREATE TEMP TABLE team_context AS
SELECT g.game_date, g.game_id, g.team, g.opponent, g.home,
       date_diff('day', max(h.played), g.game_date) - 1 AS days_rest,
       coalesce(max(h.played) = g.game_date - INTERVAL 1 DAY, false) AS back_to_back,
       count(h.played) FILTER (h.played >= g.game_date - INTERVAL 7 DAY) AS games_last_7,
       count(h.played) FILTER (h.played >= g.game_date - INTERVAL 14 DAY) AS games_last_14,
       arg_max(h.margin, h.played) AS last_game_margin
FROM team_games g LEFT JOIN team_history h ON h.game_date = g.game_date AND h.team = g.team
GROUP BY g.game_date, g.game_id, g.team, g.opponent, g.home;

-- last-10 team rates before each date
CREATE TEMP TABLE team_last10 AS
SELECT game_date, team, avg(pace) AS pace_last_10, avg(offensive_rating) AS off_rating_last_10
FROM (SELECT *, row_number() OVER (PARTITION BY game_date, team ORDER BY played DESC) AS k FROM team_history)
WHERE k <= 10 GROUP BY ALL;
CREATE TEMP TABLE def_last10 AS
SELECT g.game_date, g.team, avg(d.defensive_rating) AS def_rating_last_10
FROM team_games g JOIN (
  SELECT g2.game_date AS asof, d.*, row_number() OVER (PARTITION BY g2.game_date, g2.team ORDER BY d.game_date DESC) AS k
  FROM team_games g2 JOIN team_defense d ON d.team = g2.team AND d.game_date < g2.game_date
) d ON d.asof = g.game_date AND d.team = g.team AND d.k <= 10
GROUP BY ALL;

-- the players expected: anyone who played for the team in its last 10 games, or has a line
CREATE TEMP TABLE expected AS
SELECT DISTINCT g.game_date, g.game_id, g.team, g.opponent, g.home, p.player_lookup
FROM team_games g
JOIN (SELECT game_date, team, played, row_number() OVER (PARTITION BY game_date, team ORDER BY played DESC) AS k
      FROM team_history) r ON r.game_date = g.game_date AND r.team = g.team AND r.k <= 10
JOIN pb p ON p.team = g.team AND p.game_date = r.played;

-- each expected player's games before the date, newest first
CREATE TEMP TABLE player_history AS
SELECT e.game_date, e.player_lookup, s.game_date AS played, s.points, s.minutes_played, s.dnp,
       row_number() OVER (PARTITION BY e.game_date, e.player_lookup ORDER BY s.game_date DESC) AS k
FROM expected e JOIN player_summary s ON s.player_lookup = e.player_lookup
 AND s.game_date < e.game_date AND s.game_date >= e.game_date - INTERVAL 250 DAY AND NOT s.dnp;

-- upcoming_player_game_context
CREATE TEMP TABLE player_context AS
SELECT e.game_date, e.player_lookup, e.game_id, e.team, e.opponent, e.home,
       date_diff('day', max(h.played), e.game_date) - 1 AS days_rest,
       coalesce(max(h.played) = e.game_date - INTERVAL 1 DAY, false) AS back_to_back,
       count(*) FILTER (h.played >= e.game_date - INTERVAL 7 DAY) AS games_last_7,
       count(*) FILTER (h.played >= e.game_date - INTERVAL 14 DAY) AS games_last_14,
       coalesce(sum(h.minutes_played) FILTER (h.played >= e.game_date - INTERVAL 7 DAY), 0) AS minutes_last_7,
       coalesce(sum(h.minutes_played) FILTER (h.played >= e.game_date - INTERVAL 14 DAY), 0) AS minutes_last_14,
       avg(h.points) FILTER (h.k <= 5) AS points_avg_last_5,
       avg(h.points) FILTER (h.k <= 10) AS points_avg_last_10,
       avg(h.points) AS points_avg_season,
       stddev_pop(h.points) FILTER (h.k <= 10) AS points_std_last_10,
       count(h.played) AS games_played_season,
       any_value(l.points_line) AS current_points_line, any_value(l.opening_line) AS opening_points_line,
       any_value(tl.pace_last_10) AS team_pace_last_10, any_value(ol.pace_last_10) AS opponent_pace_last_10,
       any_value(tl.pace_last_10) - any_value(ol.pace_last_10) AS pace_differential,
       any_value(od.def_rating_last_10) AS opponent_def_rating_last_10
FROM expected e
LEFT JOIN player_history h ON h.game_date = e.game_date AND h.player_lookup = e.player_lookup
LEFT JOIN lines l ON l.game_date = e.game_date AND l.player_lookup = e.player_lookup
LEFT JOIN team_last10 tl ON tl.game_date = e.game_date AND tl.team = e.team
LEFT JOIN team_last10 ol ON ol.game_date = e.game_date AND ol.team = e.opponent
LEFT JOIN def_last10 od ON od.game_date = e.game_date AND od.team = e.opponent
GROUP BY e.game_date, e.player_lookup, e.game_id, e.team, e.opponent, e.home;

-- one Parquet file per table and game date, as the pipeline writes them
COPY team_offense TO (getvariable('out') || '/team_offense_game_summary') (FORMAT parquet, PARTITION_BY (game_date), OVERWRITE_OR_IGNORE);
COPY team_defense TO (getvariable('out') || '/team_defense_game_summary') (FORMAT parquet, PARTITION_BY (game_date), OVERWRITE_OR_IGNORE);
COPY player_summary TO (getvariable('out') || '/player_game_summary') (FORMAT parquet, PARTITION_BY (game_date), OVERWRITE_OR_IGNORE);
COPY player_context TO (getvariable('out') || '/upcoming_player_game_context') (FORMAT parquet, PARTITION_BY (game_date), OVERWRITE_OR_IGNORE);
COPY team_context TO (getvariable('out') || '/upcoming_team_game_context') (FORMAT parquet, PARTITION_BY (game_date), OVERWRITE_OR_IGNORE);
