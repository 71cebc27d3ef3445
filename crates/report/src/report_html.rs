//! `report.html` of a district package: a page an akimat officer can read and print —
//! summary, villages by phase and technology, bill of quantities, the last mile's bill of
//! quantities per fibre village with a small access map of each, village list and a small
//! inline SVG map. No scripts, no external resources.

use crate::district_packages::{DistrictTotals, DistrictWork};
use crate::i18n::{Labels, Lang};
use crate::last_mile_out::PlanLastMile;
use crate::plan_out::PlanContext;
use fiberplan_access::{CableType, VillageDesign};
use fiberplan_model::{District, LonLat};
use fiberplan_plan::Technology;
use geo::{Coord, LineString, Simplify};
use std::fmt::Write;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Why a village has fibre already (what says so), or why it is not on fibre, in figures: fibre's marginal cost per household against
/// the alternative's (`Оптика 8 367 107 / Спутник 1 356 022 (₸ на домохозяйство)`). Empty
/// for fibre villages and where neither figure is known.
pub fn reason(
    l: &crate::i18n::Labels,
    lang: Lang,
    v: &fiberplan_model::Village,
    vp: &fiberplan_plan::VillagePlan,
) -> String {
    if let Some(b) = v.existing_fibre {
        return l.existing_basis(b).to_string();
    }
    let households = v.households;
    if vp.technology == Technology::Fibre || households == 0 {
        return String::new();
    }
    let per_hh = |x: i64| int(lang, x / households as i64);
    let mut parts = Vec::new();
    if let Some(f) = vp.fibre_marginal_kzt {
        parts.push(format!("{} {}", l.tech_fibre, per_hh(f)));
    }
    if let Some((t, c)) = vp.alternative {
        parts.push(format!("{} {}", l.technology_name(t.as_str()), per_hh(c)));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("{} ({})", parts.join(" / "), l.per_household)
}

/// Whole number with thousands grouped: `1 234 567` (no-break spaces) in ru/kk,
/// `1,234,567` in en.
pub fn int(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = if lang == Lang::En { "," } else { "\u{a0}" };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Kilometres with 2 decimals, decimal comma in ru/kk.
pub fn km(lang: Lang, x: f64) -> String {
    dec2(lang, x)
}

/// A figure with 2 decimals, decimal comma in ru/kk.
pub fn dec2(lang: Lang, x: f64) -> String {
    let s = format!("{x:.2}");
    if lang == Lang::En {
        s
    } else {
        s.replace('.', ",")
    }
}

/// Douglas-Peucker simplification of a ring or line, in degrees.
pub fn simplify(line: &[LonLat], eps: f64) -> Vec<LonLat> {
    let ls = LineString::from(
        line.iter()
            .map(|p| Coord { x: p[0], y: p[1] })
            .collect::<Vec<_>>(),
    );
    ls.simplify(eps).0.iter().map(|c| [c.x, c.y]).collect()
}

fn phase_label(l: &Labels, p: Option<u16>) -> String {
    p.map(|y| y.to_string())
        .unwrap_or_else(|| l.unphased.to_string())
}

const CSS: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2em;color:#222;max-width:60em}\
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}\
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:.25em .6em}\
th{background:#eee;text-align:left}td.n{text-align:right;white-space:nowrap}tr.total td{font-weight:bold}\
.note{color:#555;font-size:.85em}svg{border:1px solid #ccc;background:#fafaf5}";

/// Technology colours of the report map and `plan.html`: the GeoJSON's `marker-color`.
pub fn technology_colour(t: Technology) -> &'static str {
    crate::plan_out::technology_colour(t)
}

pub use crate::plan_out::{POP_COLOUR, ROUTE_COLOUR};

/// One district's `report.html`.
pub fn district_report(
    ctx: &PlanContext,
    d: Option<&District>,
    w: &DistrictWork,
    t: &DistrictTotals,
    polygons: &[Vec<Vec<LonLat>>],
    lang: Lang,
    last_mile: Option<&PlanLastMile>,
) -> String {
    let l = lang.labels();
    let name = d
        .map(|d| lang.district_name(d))
        .unwrap_or_else(|| "—".into());
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(&name),
        esc(l.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(l.title));
    let _ = writeln!(
        h,
        "<p><b>{}:</b> {} ({}){}</p>",
        esc(l.district),
        esc(&name),
        esc(d.map(|d| d.kato.as_str()).unwrap_or("")),
        d.map(|d| format!(
            " &nbsp; <b>{}:</b> {}",
            esc(l.oblast),
            esc(&lang.oblast_name(d))
        ))
        .unwrap_or_default()
    );

    // Summary.
    let _ = writeln!(h, "<h2>{}</h2>\n<table id=\"summary\">", esc(l.summary));
    let row = |h: &mut String, k: &str, v: String| {
        let _ = writeln!(h, "<tr><th>{}</th><td class=\"n\">{}</td></tr>", esc(k), v);
    };
    row(
        &mut h,
        l.connected_villages,
        int(lang, t.villages_connected as i64),
    );
    row(
        &mut h,
        l.connected_households,
        int(lang, t.households_connected as i64),
    );
    row(&mut h, l.new_fibre_km, km(lang, t.new_fibre_km));
    row(&mut h, l.route_sections, int(lang, t.route_sections as i64));
    row(&mut h, l.cost_corridors, int(lang, t.cost_corridor_kzt));
    row(&mut h, l.cost_villages, int(lang, t.cost_villages_kzt));
    let _ = writeln!(
        h,
        "<tr class=\"total\"><th>{}, {}</th><td class=\"n\">{}</td></tr>\n</table>",
        esc(l.total),
        esc(l.cost_kzt),
        int(lang, t.cost_total_kzt)
    );

    // Chart: cost and households by technology (and year).
    let _ = writeln!(h, "<h2>{}</h2>", esc(l.chart_title));
    h.push_str(&crate::plan_chart::district_chart_svg(ctx, w, lang));

    // Map.
    let _ = writeln!(h, "<h2>{}</h2>", esc(l.map));
    h.push_str(&svg_map(ctx, w, polygons));
    let _ = writeln!(
        h,
        "<p class=\"note\"><span style=\"color:{ROUTE_COLOUR}\">━</span> {} &nbsp; <span style=\"color:{}\">●</span> {} &nbsp; <span style=\"color:{}\">●</span> {} &nbsp; <span style=\"color:{POP_COLOUR}\">■</span> {}</p>",
        esc(l.new_routes),
        technology_colour(Technology::Fibre),
        esc(l.tech_fibre),
        technology_colour(Technology::None),
        esc(l.tech_none),
        esc(l.pops)
    );

    // Villages by phase and technology.
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"by-phase\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(l.by_phase_tech),
        esc(l.phase),
        esc(l.technology),
        esc(l.villages),
        esc(l.households),
        esc(l.cost_kzt)
    );
    let (mut nv, mut nh, mut nc) = (0usize, 0u64, 0i64);
    for (&(phase, tech), &(n, hh, cost)) in &t.by_phase_tech {
        nv += n;
        nh += hh;
        nc += cost;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&phase_label(l, phase)),
            esc(l.technology_name(tech.as_str())),
            int(lang, n as i64),
            int(lang, hh as i64),
            int(lang, cost)
        );
    }
    let _ = writeln!(
        h,
        "<tr class=\"total\"><td colspan=\"2\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n</table>",
        esc(l.total),
        int(lang, nv as i64),
        int(lang, nh as i64),
        int(lang, nc)
    );

    // Bill of quantities.
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"bill\">\n<tr><th>{}</th><th>{}</th></tr>",
        esc(l.bill),
        esc(l.corridor_type),
        esc(l.quantity)
    );
    for (k, v) in &t.km_by_type {
        let _ = writeln!(
            h,
            "<tr><td>{}, {}</td><td class=\"n\">{}</td></tr>",
            esc(&l.corridor_type_name(k)),
            esc(l.km),
            km(lang, *v)
        );
    }
    let _ = writeln!(
        h,
        "<tr class=\"total\"><td>{}</td><td class=\"n\">{}</td></tr>",
        esc(l.new_fibre_km),
        km(lang, t.new_fibre_km)
    );
    for (k, v) in [
        (l.bridges, t.bridges as i64),
        (l.tunnels, t.tunnels as i64),
        (l.railway_crossings, t.railway_crossings as i64),
        (l.connected_villages, t.villages_connected as i64),
        (l.connected_households, t.households_connected as i64),
    ] {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(k),
            int(lang, v)
        );
    }
    for (k, v) in [
        (l.cost_corridors, t.cost_corridor_kzt),
        (l.cost_villages, t.cost_villages_kzt),
    ] {
        let _ = writeln!(
            h,
            "<tr><td>{}, {}</td><td class=\"n\">{}</td></tr>",
            esc(k),
            esc(l.cost_kzt),
            int(lang, v)
        );
    }
    let _ = writeln!(
        h,
        "<tr class=\"total\"><td>{}, {}</td><td class=\"n\">{}</td></tr>\n</table>",
        esc(l.total),
        esc(l.cost_kzt),
        int(lang, t.cost_total_kzt)
    );

    if let Some(lm) = last_mile {
        h.push_str(&last_mile_section(ctx, w, lm, lang));
    }

    // Village list: connected first (by phase), then the rest, by name.
    let mut order: Vec<usize> = w.villages.clone();
    let vname = |i: usize| lang.village_name(&ctx.villages[i]);
    order.sort_by_cached_key(|&i| {
        let vp = &ctx.plan.villages[i];
        (
            vp.technology,
            vp.phase,
            vname(i),
            ctx.villages[i].id.clone(),
        )
    });
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"villages\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(l.village_list),
        esc(l.name),
        esc(l.village_id),
        esc(l.households),
        esc(l.technology),
        esc(l.phase),
        esc(l.cost_kzt),
        esc(l.reason),
        esc(l.rural_okrug)
    );
    for i in order {
        let (v, vp) = (&ctx.villages[i], &ctx.plan.villages[i]);
        let tech = if vp.unreachable {
            format!(
                "{} ({})",
                l.technology_name(vp.technology.as_str()),
                l.unreachable
            )
        } else {
            l.technology_name(vp.technology.as_str()).to_string()
        };
        let phase = if vp.technology == Technology::None {
            String::new()
        } else {
            phase_label(l, vp.phase)
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&vname(i)),
            esc(&v.id),
            if v.population_imputed {
                format!("{} ({})", int(lang, v.households as i64), esc(l.estimate))
            } else {
                int(lang, v.households as i64)
            },
            esc(&tech),
            esc(&phase),
            int(lang, vp.cost_kzt),
            esc(&reason(l, lang, v, vp)),
            esc(&v.rural_okrug)
        );
    }
    h.push_str("</table>\n");
    let imputed = w
        .villages
        .iter()
        .any(|&i| ctx.villages[i].population_imputed);
    end_with_notes(h, ctx, lang, imputed)
}

/// An oblast's name in `lang` (from the district table), or "outside every oblast".
pub(crate) fn oblast_label(ctx: &PlanContext, lang: Lang, oblast_en: Option<&str>) -> String {
    match oblast_en {
        Some(o) => ctx
            .districts
            .iter()
            .find(|d| d.oblast_en == o)
            .map(|d| lang.oblast_name(d))
            .unwrap_or_else(|| o.to_string()),
        None => lang.labels().outside_oblasts.to_string(),
    }
}

/// The plan's national `report.html`: the headline figures with the solution's quality,
/// the chart, totals by oblast and the notes on data and assumptions.
pub fn national_report(ctx: &PlanContext, lang: Lang) -> String {
    let l = lang.labels();
    let s = &ctx.plan.summary;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(l.national_report),
        esc(l.title)
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1>\n<p>{}</p>",
        esc(l.title),
        esc(l.national_report)
    );

    let _ = writeln!(h, "<h2>{}</h2>\n<table id=\"summary\">", esc(l.summary));
    let row = |h: &mut String, k: &str, v: String| {
        let _ = writeln!(h, "<tr><th>{}</th><td class=\"n\">{}</td></tr>", esc(k), v);
    };
    let villages = s.villages_fibre + s.villages_fwa + s.villages_satellite;
    let households = s.households_fibre + s.households_fwa + s.households_satellite;
    row(&mut h, l.connected_villages, int(lang, villages as i64));
    row(&mut h, l.connected_households, int(lang, households as i64));
    for (t, n, hh) in [
        (l.tech_fibre, s.villages_fibre, s.households_fibre),
        (l.tech_fwa, s.villages_fwa, s.households_fwa),
        (
            l.tech_satellite,
            s.villages_satellite,
            s.households_satellite,
        ),
        (
            l.tech_existing,
            s.villages_existing_fibre,
            s.households_existing_fibre,
        ),
    ] {
        if n > 0 {
            row(
                &mut h,
                &format!("{t}: {}, {}", l.villages, l.households),
                format!("{} / {}", int(lang, n as i64), int(lang, hh as i64)),
            );
        }
    }
    row(&mut h, l.new_fibre_km, km(lang, s.new_fibre_km));
    row(&mut h, l.route_sections, int(lang, s.routes as i64));
    row(&mut h, l.cost_corridors, int(lang, s.cost_corridor_kzt));
    row(
        &mut h,
        l.cost_villages,
        int(lang, s.cost_total_kzt - s.cost_corridor_kzt),
    );
    let _ = writeln!(
        h,
        "<tr class=\"total\"><th>{}, {}</th><td class=\"n\">{}</td></tr>",
        esc(l.total),
        esc(l.cost_kzt),
        int(lang, s.cost_total_kzt)
    );
    let _ = writeln!(
        h,
        "<tr><th>{}</th><td>{}</td></tr>\n</table>",
        esc(l.quality),
        esc(&quality_note(ctx, lang))
    );

    let _ = writeln!(h, "<h2>{}</h2>", esc(l.chart_title));
    h.push_str(&crate::plan_chart::plan_chart_svg(ctx, lang));

    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table id=\"by-oblast\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(l.chart_by_oblast),
        esc(l.oblast),
        esc(l.connected_villages),
        esc(l.connected_households),
        esc(l.new_fibre_km),
        esc(l.cost_kzt)
    );
    for (o, t) in &ctx.totals().by_oblast {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&oblast_label(ctx, lang, o.as_deref())),
            int(lang, (t.villages_fibre + t.villages_fwa + t.villages_satellite) as i64),
            int(lang, (t.households_fibre + t.households_fwa + t.households_satellite) as i64),
            km(lang, t.new_fibre_km),
            int(lang, t.cost_total_kzt)
        );
    }
    h.push_str("</table>\n");
    let imputed = ctx.villages.iter().any(|v| v.population_imputed);
    end_with_notes(h, ctx, lang, imputed)
}

/// A report's closing notes (estimates when `imputed`, lengths, the existing network, the
/// attribution) and the end of the page.
fn end_with_notes(mut h: String, ctx: &PlanContext, lang: Lang, imputed: bool) -> String {
    let l = lang.labels();
    if imputed {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(l.estimate_note));
    }
    let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(l.length_note));
    if let Some(note) = price_scale_note(ctx, lang) {
        let _ = writeln!(
            h,
            "<p class=\"note\" id=\"price-scales\">{}</p>",
            esc(&note)
        );
    }
    let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(&ctx.backbone_note(lang)));
    let _ = writeln!(
        h,
        "<p class=\"note\">{}</p>\n</body>\n</html>",
        esc(l.attribution)
    );
    h
}

/// How far the plan can be from the best one, in `lang`'s words: "proven optimal" when the
/// certified lower bound reaches the solver's objective, else the certified gap. The report
/// and the map panel say the same.
pub(crate) fn quality_note(ctx: &PlanContext, lang: Lang) -> String {
    let l = lang.labels();
    let s = &ctx.plan.summary;
    match s.gap_pct() {
        _ if s.proven_optimal() => l.proven_optimal.to_string(),
        Some(g) => l.at_most_above.replace("{gap}", &dec2(lang, g)),
        None => l.no_bound.to_string(),
    }
}

/// The scenario's price scales other than 1, in `lang`'s words (`None` at the cost model's
/// own prices); `summary.json`'s `pricing` gives the rules behind them. The report and the
/// map panel say the same.
pub(crate) fn price_scale_note(ctx: &PlanContext, lang: Lang) -> Option<String> {
    let l = lang.labels();
    let s = ctx.scenario;
    let scaled: Vec<String> = [
        (l.scale_corridor, s.corridor_cost_scale),
        (l.scale_fwa, s.fwa_cost_scale),
        (l.scale_satellite, s.satellite_cost_scale),
        (l.scale_last_mile, s.last_mile_cost_scale),
    ]
    .into_iter()
    .filter(|&(_, x)| x != 1.0)
    .map(|(name, x)| {
        let x = format!("{x}");
        let x = if lang == Lang::En {
            x
        } else {
            x.replace('.', ",")
        };
        format!("{name} ×{x}")
    })
    .collect();
    (!scaled.is_empty()).then(|| format!("{} {}.", l.price_scales, scaled.join("; ")))
}

/// A small SVG map: the district outline, its route stretches, villages and points of presence.
fn svg_map(ctx: &PlanContext, w: &DistrictWork, polygons: &[Vec<Vec<LonLat>>]) -> String {
    const W: f64 = 560.0;
    const H: f64 = 400.0;
    let mut pts: Vec<LonLat> = polygons.iter().flatten().flatten().copied().collect();
    for p in &w.pieces {
        pts.extend_from_slice(&p.geometry);
    }
    for &i in &w.villages {
        pts.push(ctx.villages[i].lonlat);
    }
    if pts.is_empty() {
        return String::new();
    }
    let (mut lo, mut hi) = (pts[0], pts[0]);
    for p in &pts {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let kx = ((lo[1] + hi[1]) / 2.0).to_radians().cos().max(0.1);
    let span_x = ((hi[0] - lo[0]) * kx).max(1e-4);
    let span_y = (hi[1] - lo[1]).max(1e-4);
    let s = ((W - 20.0) / span_x).min((H - 20.0) / span_y);
    let xy = |p: LonLat| {
        (
            10.0 + (p[0] - lo[0]) * kx * s,
            H - 10.0 - (p[1] - lo[1]) * s,
        )
    };
    let path = |line: &[LonLat]| {
        let mut d = String::new();
        for (k, p) in line.iter().enumerate() {
            let (x, y) = xy(*p);
            let _ = write!(d, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { " L" });
        }
        d
    };
    let eps = span_y.max(span_x / kx) / 600.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\">\n"
    );
    for poly in polygons {
        let mut d = String::new();
        for ring in poly {
            d.push_str(&path(&simplify(ring, eps)));
            d.push_str(" Z ");
        }
        let _ = writeln!(
            svg,
            "<path d=\"{}\" fill=\"#eef3e8\" stroke=\"#555\" stroke-width=\"1\" fill-rule=\"evenodd\"/>",
            d.trim_end()
        );
    }
    for p in &w.pieces {
        let _ = writeln!(
            svg,
            "<path class=\"route\" d=\"{}\" fill=\"none\" stroke=\"{ROUTE_COLOUR}\" stroke-width=\"2\"/>",
            path(&p.geometry)
        );
    }
    for &i in &w.villages {
        let (v, vp) = (&ctx.villages[i], &ctx.plan.villages[i]);
        let (x, y) = xy(v.lonlat);
        let r = if vp.technology == Technology::None {
            1.5
        } else {
            3.5
        };
        let _ = writeln!(
            svg,
            "<circle class=\"village\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"{}\"><title>{}</title></circle>",
            technology_colour(vp.technology),
            esc(if v.name.is_empty() { &v.id } else { &v.name })
        );
    }
    for &j in &w.pops {
        let (x, y) = xy(ctx.plan.pops[j].lonlat);
        let _ = writeln!(
            svg,
            "<rect class=\"pop\" x=\"{:.1}\" y=\"{:.1}\" width=\"6\" height=\"6\" fill=\"{POP_COLOUR}\"/>",
            x - 3.0,
            y - 3.0
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// The last mile's part of a district report: one row per designed fibre village of the
/// district (OLT site, splitters by ratio, feeder / distribution / drop cable km, ONTs,
/// worst optical margin, flagged lines, premises mapped and modelled, cost) with the
/// district's total, then per village the OLT's site and reason and its access map
/// ([`access_map_svg`]). Empty when the district has no designed village.
pub fn last_mile_section(
    ctx: &PlanContext,
    w: &DistrictWork,
    lm: &PlanLastMile,
    lang: Lang,
) -> String {
    let (l, m) = (lang.labels(), lang.last_mile_labels());
    let design = |i: usize| lm.designs.get(i).and_then(Option::as_deref);
    let mut order: Vec<usize> = w
        .villages
        .iter()
        .copied()
        .filter(|&i| design(i).is_some())
        .collect();
    if order.is_empty() {
        return String::new();
    }
    let vname = |i: usize| lang.village_name(&ctx.villages[i]);
    order.sort_by_cached_key(|&i| (vname(i), ctx.villages[i].id.clone()));
    let mut h = String::new();
    let take_up = {
        let t = format!("{}", lm.take_up_pct);
        if lang == Lang::En {
            t
        } else {
            t.replace('.', ",")
        }
    };
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p>{}</p>\n<table id=\"last-mile\">",
        esc(m.title),
        esc(&m.intro.replace("{take_up}", &take_up))
    );
    let _ = write!(h, "<tr>");
    for head in [
        l.name,
        l.village_id,
        m.olt_site,
        m.splitters,
        m.feeder_km,
        m.distribution_km,
        m.drop_km,
        m.onts,
        m.worst_margin_db,
        m.lines_flagged,
        m.premises_mapped,
        m.premises_modelled,
        l.cost_kzt,
    ] {
        let _ = write!(h, "<th>{}</th>", esc(head));
    }
    let _ = writeln!(h, "</tr>");
    let cells = |b: &fiberplan_access::Boq| {
        let km_of = |t: CableType| km(lang, b.cable_type_dm(t) as f64 / 10_000.0);
        format!(
            "<td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            esc(&b.splitters_label()),
            km_of(CableType::Feeder),
            km_of(CableType::Distribution),
            km_of(CableType::Drop),
            int(lang, b.onts as i64),
            b.worst_margin_db.map_or("—".to_string(), |x| dec2(lang, x)),
            int(lang, b.lines_flagged as i64),
            int(lang, (b.premises - b.premises_modelled) as i64),
            int(lang, b.premises_modelled as i64),
            int(lang, b.cost.total_kzt)
        )
    };
    for &i in &order {
        let d = design(i).expect("filtered above");
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td>{}</tr>",
            esc(&vname(i)),
            esc(&ctx.villages[i].id),
            esc(m.site_name(d.olt.site.as_str())),
            cells(&d.boq)
        );
    }
    // The district's sum; a sum beyond 64 bits cannot happen here (the national sum, which
    // holds it, was checked first), and would only leave the row out.
    if let Ok(t) = lm.total(order.iter().copied()) {
        let _ = writeln!(
            h,
            "<tr class=\"total\"><td colspan=\"3\">{}</td>{}</tr>",
            esc(l.total),
            cells(&t)
        );
    }
    h.push_str("</table>\n");
    let (mut modelled, mut osm) = (false, false);
    for &i in &order {
        let d = design(i).expect("filtered above");
        modelled |= d.boq.premises_modelled > 0;
        osm |= d.streets_from_osm || d.boq.premises > d.boq.premises_modelled;
        let _ = writeln!(
            h,
            "<details class=\"access\"><summary>{} ({}): {}</summary>\n<p><b>{}:</b> {} — {}</p>",
            esc(&vname(i)),
            esc(&ctx.villages[i].id),
            esc(m.map),
            esc(m.olt_site),
            esc(m.site_name(d.olt.site.as_str())),
            esc(&d.olt.reason)
        );
        h.push_str(&access_map_svg(d, lang));
        h.push_str("</details>\n");
    }
    let _ = writeln!(
        h,
        "<p class=\"note\"><span style=\"color:{STREET_COLOUR}\">━</span> {} &nbsp; <span style=\"color:{FEEDER_COLOUR}\">━</span> {} &nbsp; <span style=\"color:{DISTRIBUTION_COLOUR}\">━</span> {} &nbsp; <span style=\"color:{SPLITTER_COLOUR}\">■</span> {} &nbsp; <span style=\"color:{PREMISE_COLOUR}\">●</span> {} &nbsp; <span style=\"color:{MODELLED_COLOUR}\">●</span> {} &nbsp; <span style=\"color:{IDLE_COLOUR}\">●</span> {}</p>",
        esc(m.streets),
        esc(m.feeder),
        esc(m.distribution),
        esc(m.splitter),
        esc(m.premise_mapped),
        esc(m.premise_modelled),
        esc(m.not_connected)
    );
    if modelled {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(m.modelled_note));
    }
    if osm {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(m.osm_attribution));
    }
    h
}

/// An SVG path of `lines` in whole pixels (`xy`), each simplified with tolerance `eps` in
/// degrees and repeated pixels dropped.
fn pixel_path(
    lines: &mut dyn Iterator<Item = &Vec<LonLat>>,
    xy: &dyn Fn(LonLat) -> (i64, i64),
    eps: f64,
) -> String {
    let mut out = String::new();
    for line in lines {
        let mut last = None;
        for p in simplify(line, eps) {
            let q = xy(p);
            if last == Some(q) {
                continue;
            }
            let _ = write!(
                out,
                "{}{} {}",
                if last.is_none() { "M" } else { "L" },
                q.0,
                q.1
            );
            last = Some(q);
        }
    }
    out
}

/// Streets of an access map.
pub const STREET_COLOUR: &str = "#bbbbbb";
/// Feeder cable (OLT to the first-stage splitters).
pub const FEEDER_COLOUR: &str = "#d7191c";
/// Distribution cable (splitters to the premises' street points).
pub const DISTRIBUTION_COLOUR: &str = "#1a9641";
pub const SPLITTER_COLOUR: &str = "#7b3294";
/// Premises from mapped buildings, connected.
pub const PREMISE_COLOUR: &str = "#333333";
/// Premises of the declared layout model, connected.
pub const MODELLED_COLOUR: &str = "#f28e2b";
/// Premises passed but not connected at the take-up.
pub const IDLE_COLOUR: &str = "#c8c8c8";

/// A village's access network as a small inline SVG (240 x 240): its streets, feeder and
/// distribution cables, splitters (with their ratio), the OLT when it stands in the village,
/// and its premises, mapped and modelled in their own colours and labelled (`<title>`).
/// Coordinates are whole pixels and premises falling on the same pixel are drawn once, so
/// a village of thousands of premises stays a few kilobytes; drops are not drawn.
pub fn access_map_svg(d: &VillageDesign, lang: Lang) -> String {
    const S: f64 = 240.0;
    const PAD: f64 = 8.0;
    let m = lang.last_mile_labels();
    let mut pts: Vec<LonLat> = d.premises.iter().map(|p| p.lonlat).collect();
    pts.extend(d.splitters.iter().map(|s| s.lonlat));
    for c in &d.cables {
        if c.cable_type != CableType::Drop {
            pts.extend_from_slice(&c.coords);
        }
    }
    pts.extend(d.streets.iter().flatten().copied());
    let Some(&first) = pts.first() else {
        return String::new();
    };
    let (mut lo, mut hi) = (first, first);
    for p in &pts {
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let kx = ((lo[1] + hi[1]) / 2.0).to_radians().cos().max(0.1);
    let span = ((hi[0] - lo[0]) * kx).max(hi[1] - lo[1]).max(1e-6);
    let k = (S - 2.0 * PAD) / span;
    let xy = |p: LonLat| -> (i64, i64) {
        (
            (PAD + (p[0] - lo[0]) * kx * k).round() as i64,
            (S - PAD - (p[1] - lo[1]) * k).round() as i64,
        )
    };
    let eps = span / kx.max(1e-9) / 400.0;
    let line_path = |lines: &mut dyn Iterator<Item = &Vec<LonLat>>| pixel_path(lines, &xy, eps);
    let mut svg = format!(
        "<svg class=\"access-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{S}\" height=\"{S}\" viewBox=\"0 0 {S} {S}\">\n"
    );
    let layer = |svg: &mut String, d_attr: String, colour: &str, width: f64, title: &str| {
        if !d_attr.is_empty() {
            let _ = writeln!(
                svg,
                "<path d=\"{d_attr}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{width}\" stroke-linecap=\"round\"><title>{}</title></path>",
                esc(title)
            );
        }
    };
    let streets = line_path(&mut d.streets.iter());
    layer(&mut svg, streets, STREET_COLOUR, 1.0, m.streets);
    for (t, colour, width, title) in [
        (
            CableType::Distribution,
            DISTRIBUTION_COLOUR,
            1.5,
            m.distribution,
        ),
        (CableType::Feeder, FEEDER_COLOUR, 2.0, m.feeder),
    ] {
        let lines = line_path(
            &mut d
                .cables
                .iter()
                .filter(|c| c.cable_type == t)
                .map(|c| &c.coords),
        );
        layer(&mut svg, lines, colour, width, title);
    }
    // Premises: one dot per pixel and kind (mapped or modelled, connected or not).
    let mut dots: std::collections::BTreeMap<(bool, bool), std::collections::BTreeSet<(i64, i64)>> =
        Default::default();
    for p in &d.premises {
        dots.entry((p.modelled, p.connected_households > 0))
            .or_default()
            .insert(xy(p.lonlat));
    }
    for ((modelled, connected), set) in &dots {
        let colour = match (modelled, connected) {
            (_, false) => IDLE_COLOUR,
            (false, true) => PREMISE_COLOUR,
            (true, true) => MODELLED_COLOUR,
        };
        let mut path = String::new();
        for (x, y) in set {
            let _ = write!(path, "M{x} {y}h0");
        }
        let what = if *modelled {
            m.premise_modelled
        } else {
            m.premise_mapped
        };
        let title = if *connected {
            what.to_string()
        } else {
            format!("{what}, {}", m.not_connected)
        };
        let class = if *modelled {
            "premises-modelled"
        } else {
            "premises"
        };
        let _ = writeln!(
            svg,
            "<path class=\"{class}\" d=\"{path}\" stroke=\"{colour}\" stroke-width=\"3\" stroke-linecap=\"round\"><title>{}</title></path>",
            esc(&title)
        );
    }
    for s in &d.splitters {
        let (x, y) = xy(s.lonlat);
        let _ = writeln!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"5\" height=\"5\" fill=\"{SPLITTER_COLOUR}\"><title>{} 1:{}</title></rect>",
            x - 2,
            y - 2,
            esc(m.splitter),
            s.ratio
        );
    }
    if d.olt.site == fiberplan_access::OltSite::Village {
        let (x, y) = xy(d.olt.lonlat);
        let _ = writeln!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{FEEDER_COLOUR}\"><title>OLT</title></rect>",
            x - 4,
            y - 4
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands_per_language() {
        assert_eq!(int(Lang::En, 68_542_308_095), "68,542,308,095");
        assert_eq!(int(Lang::Ru, 1_234), "1\u{a0}234");
        assert_eq!(int(Lang::Kk, 999), "999");
        assert_eq!(int(Lang::En, -1_000), "-1,000");
        assert_eq!(km(Lang::Ru, 4.3317), "4,33");
        assert_eq!(km(Lang::En, 4.3317), "4.33");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
        assert_eq!(esc("Қарабұлақ"), "Қарабұлақ");
    }
}
