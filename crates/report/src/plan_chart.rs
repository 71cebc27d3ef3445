//! `chart.svg` and `chart.png`: the plan's cost and connected households by oblast, and by
//! build year when the plan is phased, as paired horizontal bars; a district report draws
//! the same chart by technology and year. Hand-written SVG like `frontier.svg`, labels in
//! the report language; the PNG is that SVG rasterised by `resvg` with the DejaVu Sans
//! fonts compiled in (the `dejavu` crate), so it needs no system font and is byte-identical
//! on every machine.

use crate::district_packages::DistrictWork;
use crate::frontier::escape;
use crate::i18n::Lang;
use crate::plan_out::PlanContext;
use crate::report_html::int;
use fiberplan_model::Kzt;
use fiberplan_plan::Technology;
use std::collections::BTreeMap;
use std::fmt::Write;

/// One bar pair: a label, the cost and the households connected.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub label: String,
    pub cost_kzt: Kzt,
    pub households: u64,
}

/// The rows by oblast (localised names, outside-every-oblast last) and by year (empty when
/// the plan is not phased).
pub fn rows(ctx: &PlanContext, lang: Lang) -> (Vec<Row>, Vec<Row>) {
    let l = lang.labels();
    let by_oblast = ctx
        .totals()
        .by_oblast
        .into_iter()
        .map(|(o, t)| Row {
            label: crate::report_html::oblast_label(ctx, lang, o.as_deref()),
            cost_kzt: t.cost_total_kzt,
            households: t.households_fibre + t.households_fwa + t.households_satellite,
        })
        .collect();
    let mut by_year: BTreeMap<Option<u16>, (Kzt, u64)> = BTreeMap::new();
    if !ctx.plan.summary.phases.is_empty() {
        for (v, vp) in ctx.villages.iter().zip(&ctx.plan.villages) {
            if vp.technology.is_planned() {
                let e = by_year.entry(vp.phase).or_default();
                e.0 = e.0.saturating_add(vp.cost_kzt);
                e.1 += v.households;
            }
        }
        for r in &ctx.plan.routes {
            let e = by_year.entry(r.phase).or_default();
            e.0 = e.0.saturating_add(r.cost_kzt);
        }
    }
    let by_year = by_year
        .into_iter()
        .map(|(y, (cost_kzt, households))| Row {
            label: y.map_or_else(|| l.unphased.to_string(), |y| y.to_string()),
            cost_kzt,
            households,
        })
        .collect();
    (by_oblast, by_year)
}

const WIDTH: f64 = 900.0;
const LABEL_W: f64 = 210.0;
const BAR_W: f64 = 260.0;
const GAP: f64 = 90.0;
const ROW_H: f64 = 20.0;

/// Length of a bar for `x` of `max` (0 when `max` is 0).
fn bar(x: f64, max: f64) -> f64 {
    if max > 0.0 {
        BAR_W * x / max
    } else {
        0.0
    }
}

/// `chart.svg` for the plan, in `lang`.
pub fn plan_chart_svg(ctx: &PlanContext, lang: Lang) -> String {
    let l = lang.labels();
    let (by_oblast, by_year) = rows(ctx, lang);
    chart_svg(
        l.chart_title,
        &[
            (l.chart_by_oblast, &by_oblast[..]),
            (l.chart_by_year, &by_year[..]),
        ],
        lang,
    )
}

/// A district's chart: cost and households by technology, and by year when the plan is
/// phased. The fibre row's cost holds the district's route stretches too, so the rows of
/// each section add up to the package's total cost.
pub fn district_rows(ctx: &PlanContext, w: &DistrictWork, lang: Lang) -> (Vec<Row>, Vec<Row>) {
    let l = lang.labels();
    let mut by_tech: BTreeMap<Technology, (Kzt, u64)> = BTreeMap::new();
    let mut by_year: BTreeMap<Option<u16>, (Kzt, u64)> = BTreeMap::new();
    for &i in &w.villages {
        let vp = &ctx.plan.villages[i];
        if vp.technology.is_planned() {
            let hh = ctx.villages[i].households;
            for e in [
                by_tech.entry(vp.technology).or_default(),
                by_year.entry(vp.phase).or_default(),
            ] {
                e.0 = e.0.saturating_add(vp.cost_kzt);
                e.1 += hh;
            }
        }
    }
    for p in &w.pieces {
        for e in [
            by_tech.entry(Technology::Fibre).or_default(),
            by_year.entry(ctx.plan.routes[p.route].phase).or_default(),
        ] {
            e.0 = e.0.saturating_add(p.cost_kzt);
        }
    }
    let by_tech = by_tech
        .into_iter()
        .map(|(t, (cost_kzt, households))| Row {
            label: l.technology_name(t.as_str()).to_string(),
            cost_kzt,
            households,
        })
        .collect();
    let by_year = if ctx.plan.summary.phases.is_empty() {
        Vec::new()
    } else {
        by_year
            .into_iter()
            .map(|(y, (cost_kzt, households))| Row {
                label: y.map_or_else(|| l.unphased.to_string(), |y| y.to_string()),
                cost_kzt,
                households,
            })
            .collect()
    };
    (by_tech, by_year)
}

/// A district's chart (see [`district_rows`]), for its `report.html`.
pub fn district_chart_svg(ctx: &PlanContext, w: &DistrictWork, lang: Lang) -> String {
    let l = lang.labels();
    let (by_tech, by_year) = district_rows(ctx, w, lang);
    chart_svg(
        l.chart_title,
        &[
            (l.chart_by_technology, &by_tech[..]),
            (l.chart_by_year, &by_year[..]),
        ],
        lang,
    )
}

/// `svg` (one of these charts) as a PNG. The fonts are compiled in, so the pixels do not
/// depend on the machine's fonts.
pub fn chart_png(svg: &str) -> Vec<u8> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_font_data(dejavu::sans::regular().to_vec());
    db.load_font_data(dejavu::sans::bold().to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    let tree = usvg::Tree::from_str(svg, &opt).expect("the chart writer's SVG parses");
    let size = tree.size().to_int_size();
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).expect("a chart has a non-zero size");
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().expect("an in-memory PNG encodes")
}

/// The chart's SVG: a title and sections of bar pairs (empty sections left out).
fn chart_svg(title: &str, sections: &[(&str, &[Row])], lang: Lang) -> String {
    let l = lang.labels();
    let sections: Vec<(&str, &[Row])> = sections
        .iter()
        .copied()
        .filter(|(_, r)| !r.is_empty())
        .collect();
    let n_rows: usize = sections.iter().map(|(_, r)| r.len() + 2).sum();
    let height = 70.0 + ROW_H * n_rows as f64;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="{WIDTH}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">{}</text>"#,
        WIDTH / 2.0,
        escape(title)
    );
    let cost_x = LABEL_W;
    let hh_x = LABEL_W + BAR_W + GAP;
    let mut y = 50.0;
    for (title, rows) in sections {
        let max_cost = rows.iter().map(|r| r.cost_kzt).max().unwrap_or(0) as f64;
        let max_hh = rows.iter().map(|r| r.households).max().unwrap_or(0) as f64;
        let _ = writeln!(
            s,
            r#"<text x="8" y="{y}" font-weight="bold">{}</text><text x="{cost_x}" y="{y}" font-weight="bold">{}</text><text x="{hh_x}" y="{y}" font-weight="bold">{}</text>"#,
            escape(title),
            escape(l.chart_cost_bn),
            escape(l.chart_households)
        );
        y += ROW_H;
        for r in rows {
            let cost_bn = crate::report_html::dec2(lang, r.cost_kzt as f64 / 1e9);
            let (wc, wh) = (
                bar(r.cost_kzt as f64, max_cost),
                bar(r.households as f64, max_hh),
            );
            let _ = writeln!(
                s,
                r##"<g class="row"><text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="cost" x="{cost_x}" y="{by}" width="{wc:.2}" height="14" fill="#d7191c"/><text x="{cx:.2}" y="{ty}">{cost_bn}</text><rect class="households" x="{hh_x}" y="{by}" width="{wh:.2}" height="14" fill="#1a9641"/><text x="{hx:.2}" y="{ty}">{hh}</text></g>"##,
                lx = LABEL_W - 8.0,
                ty = y + 11.0,
                by = y,
                label = escape(&r.label),
                cx = cost_x + wc + 4.0,
                hx = hh_x + wh + 4.0,
                hh = int(lang, r.households as i64),
            );
            y += ROW_H;
        }
        y += ROW_H;
    }
    s.push_str("</svg>\n");
    s
}
