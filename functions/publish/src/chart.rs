//! An inline SVG line chart: each system's daily MAE over the window. Pure markup, no script.

use props_core::GameDate;

use crate::page::escape;
use crate::report::SystemPerformance;

const W: f64 = 640.0;
const H: f64 = 220.0;
const PAD: f64 = 36.0;
/// One colour per system, in the page's legend order.
const COLOURS: [&str; 6] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

pub fn mae_chart(systems: &[SystemPerformance], from: GameDate, to: GameDate) -> String {
    let span = from.days_until(to).max(1) as f64;
    let values: Vec<f64> = systems.iter().flat_map(|s| s.daily_mae.iter().map(|(_, m)| *m)).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let (lo, hi) = if values.is_empty() { (0.0, 10.0) } else { ((lo - 0.5).max(0.0).floor(), (hi + 0.5).ceil()) };
    let x = |d: GameDate| PAD + (W - 2.0 * PAD) * from.days_until(d) as f64 / span;
    let y = |v: f64| H - PAD - (H - 2.0 * PAD) * (v - lo) / (hi - lo).max(1e-9);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="Daily MAE by system">"#
    );
    svg.push_str(&format!(
        r##"<line x1="{PAD}" y1="{b}" x2="{r}" y2="{b}" stroke="#999"/><line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{b}" stroke="#999"/>"##,
        b = H - PAD,
        r = W - PAD
    ));
    for (v, label) in [(lo, lo), (hi, hi)] {
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#555">{label:.0}</text>"##,
            PAD - 4.0,
            y(v) + 4.0
        ));
    }
    svg.push_str(&format!(
        r##"<text x="{PAD}" y="{}" font-size="11" fill="#555">{from}</text><text x="{}" y="{}" font-size="11" text-anchor="end" fill="#555">{to}</text>"##,
        H - PAD + 16.0,
        W - PAD,
        H - PAD + 16.0
    ));
    if values.is_empty() {
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="13" text-anchor="middle" fill="#555">no graded days yet</text>"##,
            W / 2.0,
            H / 2.0
        ));
    }
    for (i, s) in systems.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let points: Vec<String> = s.daily_mae.iter().map(|(d, m)| format!("{:.1},{:.1}", x(*d), y(*m))).collect();
        if points.len() > 1 {
            svg.push_str(&format!(
                r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"><title>{}</title></polyline>"#,
                points.join(" "),
                escape(&s.system_id)
            ));
        }
        for p in &points {
            let (cx, cy) = p.split_once(',').unwrap_or(("0", "0"));
            svg.push_str(&format!(r#"<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>"#));
        }
        svg.push_str(&format!(
            r##"<rect x="{}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}" font-size="11" fill="#333">{}</text>"##,
            W - PAD - 110.0,
            PAD + 14.0 * i as f64 - 20.0,
            W - PAD - 96.0,
            PAD + 14.0 * i as f64 - 11.0,
            escape(&s.system_id)
        ));
    }
    svg.push_str("</svg>");
    svg
}
