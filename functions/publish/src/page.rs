//! The day's HTML page: self-contained (inline CSS and SVG, no script, nothing fetched), so it
//! can be served straight from the bucket or opened from disk.

use std::fmt::Write as _;

use props_core::tables::rows::predictions::Outcome;

use crate::chart::mae_chart;
use crate::report::{DayReport, LONG_WINDOW, Record};

pub fn escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn num(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:.digits$}"))
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{:.1}%", v * 100.0))
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1100px}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #eee;text-align:left}\
th{background:#f6f6f6}td.n{text-align:right;font-variant-numeric:tabular-nums}.over{color:#0a7d32;font-weight:600}\
.under{color:#b3261e;font-weight:600}.ok{color:#0a7d32}.miss{color:#b3261e}.muted{color:#777}";

fn record_cells(r: &Record) -> String {
    format!(
        r#"<td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>"#,
        r.predictions,
        r.picks,
        pct(r.win_rate),
        num(r.mae, 2),
        pct(r.roi)
    )
}

pub fn render(r: &DayReport) -> String {
    let mut h = String::with_capacity(32 * 1024);
    let date = r.date;
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>NBA points props — {date}</title><link rel="icon" href="data:,"><style>{STYLE}</style></head><body><h1>NBA player points — {date}</h1>"#
    );

    let picks = r.actionable();
    let _ = write!(h, r#"<h2 id="picks">Tonight's picks ({})</h2>"#, picks.len());
    if picks.is_empty() {
        h.push_str(r#"<p class="muted">No actionable picks for this date.</p>"#);
    } else {
        h.push_str("<table><thead><tr><th>Player</th><th>Team</th><th>Opp</th><th>System</th><th>Pick</th><th>Line</th><th>Prediction</th><th>Edge</th><th>Confidence</th></tr></thead><tbody>");
        for p in picks {
            let class = if p.recommendation.as_str() == "OVER" { "over" } else { "under" };
            let _ = write!(
                h,
                r#"<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td class="{class}">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{:.0}</td></tr>"#,
                escape(&p.player_lookup),
                escape(&p.team),
                if p.home { "vs " } else { "@ " },
                escape(&p.opponent),
                escape(&p.system_id),
                p.recommendation.as_str(),
                num(p.line, 1),
                num(p.predicted_points, 1),
                p.line_margin.map_or_else(|| "–".into(), |m| format!("{m:+.1}")),
                p.confidence
            );
        }
        h.push_str("</tbody></table>");
    }

    let y = date.prev();
    let graded_picks: Vec<_> = r.results.iter().filter(|a| a.recommendation.is_pick()).collect();
    let _ = write!(
        h,
        r#"<h2 id="results">Results for {y} ({} graded predictions, {} picks)</h2>"#,
        r.results.len(),
        graded_picks.len()
    );
    if graded_picks.is_empty() {
        h.push_str(r#"<p class="muted">No graded picks for this date.</p>"#);
    } else {
        h.push_str("<table><thead><tr><th>Player</th><th>System</th><th>Pick</th><th>Line</th><th>Prediction</th><th>Actual</th><th>Result</th></tr></thead><tbody>");
        for a in graded_picks {
            let class = match a.outcome {
                Outcome::Correct => "ok",
                Outcome::Incorrect => "miss",
                _ => "muted",
            };
            let _ = write!(
                h,
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td class="{class}">{}{}</td></tr>"#,
                escape(&a.player_lookup),
                escape(&a.system_id),
                a.recommendation.as_str(),
                num(a.line, 1),
                num(a.predicted_points, 1),
                a.actual_points.map_or_else(|| "–".into(), |p| p.to_string()),
                a.outcome.as_str(),
                a.void_reason.as_deref().map(|v| format!(" ({})", escape(v))).unwrap_or_default()
            );
        }
        h.push_str("</tbody></table>");
    }

    h.push_str(r#"<h2 id="performance">System performance</h2>"#);
    h.push_str(r#"<table><thead><tr><th rowspan="2">System</th><th colspan="5">Last 7 days</th><th colspan="5">Last 30 days</th></tr><tr><th>Pred.</th><th>Picks</th><th>Win rate</th><th>MAE</th><th>ROI</th><th>Pred.</th><th>Picks</th><th>Win rate</th><th>MAE</th><th>ROI</th></tr></thead><tbody>"#);
    if r.performance.is_empty() {
        h.push_str(r#"<tr><td colspan="11" class="muted">No graded days yet.</td></tr>"#);
    }
    for s in &r.performance {
        let _ = write!(
            h,
            "<tr><td>{}</td>{}{}</tr>",
            escape(&s.system_id),
            record_cells(&s.last_7),
            record_cells(&s.last_30)
        );
    }
    h.push_str("</tbody></table><figure>");
    h.push_str(&mae_chart(&r.performance, date.minus_days(LONG_WINDOW), y));
    h.push_str("<figcaption class=\"muted\">Daily MAE (points) per system, last 30 days.</figcaption></figure>");

    let _ = write!(
        h,
        r#"<h2 id="health">Pipeline health for {date}</h2><table><thead><tr><th>Phase</th><th>Completed processors</th></tr></thead><tbody>"#
    );
    for p in &r.health {
        let done = if p.completed.is_empty() {
            r#"<span class="muted">none</span>"#.to_string()
        } else {
            p.completed.iter().map(|(k, v)| format!("{} ({})", escape(k), escape(v))).collect::<Vec<_>>().join(", ")
        };
        let _ = write!(h, "<tr><td>{}</td><td>{done}</td></tr>", p.phase);
    }
    h.push_str("</tbody></table></body></html>\n");
    h
}
