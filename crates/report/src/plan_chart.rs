//! `chart.svg`: the plan's cost and connected households by oblast, and by build year when
//! the plan is phased, as paired horizontal bars. Hand-written SVG like `frontier.svg`: no
//! font engine, byte-identical for the same plan, labels in the report language.

use crate::frontier::escape;
use crate::i18n::Lang;
use crate::plan_out::PlanContext;
use crate::report_html::int;
use fiberplan_model::Kzt;
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
    let mut names: BTreeMap<&str, String> = BTreeMap::new();
    for d in ctx.districts {
        names
            .entry(d.oblast_en.as_str())
            .or_insert_with(|| lang.oblast_name(d));
    }
    let by_oblast = ctx
        .totals()
        .by_oblast
        .into_iter()
        .map(|(o, t)| Row {
            label: match &o {
                Some(o) => names.get(o.as_str()).cloned().unwrap_or_else(|| o.clone()),
                None => l.outside_oblasts.to_string(),
            },
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
    let sections: Vec<(&str, &[Row])> = [
        (l.chart_by_oblast, &by_oblast[..]),
        (l.chart_by_year, &by_year[..]),
    ]
    .into_iter()
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
        escape(l.chart_title)
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
            let cost_bn = r.cost_kzt as f64 / 1e9;
            let (wc, wh) = (
                bar(r.cost_kzt as f64, max_cost),
                bar(r.households as f64, max_hh),
            );
            let _ = writeln!(
                s,
                r##"<g class="row"><text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="cost" x="{cost_x}" y="{by}" width="{wc:.2}" height="14" fill="#d7191c"/><text x="{cx:.2}" y="{ty}">{cost_bn:.2}</text><rect class="households" x="{hh_x}" y="{by}" width="{wh:.2}" height="14" fill="#1a9641"/><text x="{hx:.2}" y="{ty}">{hh}</text></g>"##,
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
