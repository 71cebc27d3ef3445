//! `frontier.svg`: each scenario's total cost against households served, with the Pareto
//! frontier (the scenarios no other beats on both) drawn as a line. Hand-written SVG: a
//! scatter chart needs no font engine, and the file is byte-identical for the same results.

use std::fmt::Write;

/// One scenario's point.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontierPoint {
    pub id: String,
    pub households: u64,
    pub cost_kzt: i64,
}

/// Scenarios not dominated (no other has at least as many households for less cost),
/// by households.
pub fn pareto(points: &[FrontierPoint]) -> Vec<&FrontierPoint> {
    let mut v: Vec<&FrontierPoint> = points.iter().collect();
    v.sort_by(|a, b| {
        b.households
            .cmp(&a.households)
            .then(a.cost_kzt.cmp(&b.cost_kzt))
            .then(a.id.cmp(&b.id))
    });
    let mut out: Vec<&FrontierPoint> = Vec::new();
    for p in v {
        if out.last().is_none_or(|q| p.cost_kzt < q.cost_kzt) {
            out.push(p);
        }
    }
    out.reverse();
    out
}

fn nice_step(range: f64) -> f64 {
    let raw = range / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

/// The chart as an SVG document.
pub fn frontier_svg(points: &[FrontierPoint], title: &str) -> String {
    let (w, h, l, r, t, b) = (800.0, 500.0, 90.0, 20.0, 40.0, 60.0);
    let max_x = points
        .iter()
        .map(|p| p.households)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let max_y = points.iter().map(|p| p.cost_kzt).max().unwrap_or(1).max(1) as f64 / 1e9;
    let (sx, sy) = (nice_step(max_x), nice_step(max_y));
    let (xmax, ymax) = ((max_x / sx).ceil() * sx, (max_y / sy).ceil() * sy);
    let px = |x: f64| l + (w - l - r) * x / xmax;
    let py = |y: f64| h - b - (h - t - b) * y / ymax;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
        w / 2.0,
        escape(title)
    );
    let mut x = 0.0;
    while x <= xmax + 1e-9 {
        let _ = writeln!(
            s,
            r##"<line x1="{0:.1}" y1="{1}" x2="{0:.1}" y2="{2}" stroke="#ddd"/><text x="{0:.1}" y="{3}" text-anchor="middle">{4}</text>"##,
            px(x),
            t,
            h - b,
            h - b + 16.0,
            x as u64
        );
        x += sx;
    }
    let mut y = 0.0;
    while y <= ymax + 1e-9 {
        let _ = writeln!(
            s,
            r##"<line x1="{0}" y1="{1:.1}" x2="{2}" y2="{1:.1}" stroke="#ddd"/><text x="{3}" y="{4:.1}" text-anchor="end">{5}</text>"##,
            l,
            py(y),
            w - r,
            l - 6.0,
            py(y) + 4.0,
            fmt_num(y)
        );
        y += sy;
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">households served</text>"#,
        (l + w - r) / 2.0,
        h - 18.0
    );
    let _ = writeln!(
        s,
        r#"<text x="18" y="{}" text-anchor="middle" transform="rotate(-90 18 {})">total cost, billion KZT</text>"#,
        (t + h - b) / 2.0,
        (t + h - b) / 2.0
    );
    let front = pareto(points);
    let path: Vec<String> = front
        .iter()
        .map(|p| {
            format!(
                "{:.1},{:.1}",
                px(p.households as f64),
                py(p.cost_kzt as f64 / 1e9)
            )
        })
        .collect();
    if path.len() > 1 {
        let _ = writeln!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#d7191c" stroke-width="2"/>"##,
            path.join(" ")
        );
    }
    for p in points {
        let _ = writeln!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="#2b83ba" fill-opacity="0.7"><title>{}: {} households, {} KZT</title></circle>"##,
            px(p.households as f64),
            py(p.cost_kzt as f64 / 1e9),
            escape(&p.id),
            p.households,
            p.cost_kzt
        );
    }
    let _ = writeln!(s, "</svg>");
    s
}

fn fmt_num(y: f64) -> String {
    if y.fract().abs() < 1e-9 {
        format!("{}", y as i64)
    } else {
        format!("{y:.1}")
    }
}

/// Text for SVG and HTML: `&`, `<` and `>` escaped.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: &str, h: u64, c: i64) -> FrontierPoint {
        FrontierPoint {
            id: id.into(),
            households: h,
            cost_kzt: c,
        }
    }

    #[test]
    fn frontier_drops_dominated_scenarios() {
        let pts = [
            p("a", 100, 10),
            p("b", 200, 30),
            p("c", 150, 40),
            p("d", 200, 25),
            p("e", 50, 12),
        ];
        let ids: Vec<&str> = pareto(&pts).iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "d"]);
        let svg = frontier_svg(&pts, "t");
        assert_eq!(svg.matches("<circle").count(), 5);
        assert!(svg.contains("<polyline"));
    }
}
