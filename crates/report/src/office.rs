//! Office files: CSVs that spreadsheet programs open in any locale, a routes table, totals
//! by oblast and district, and an `.xlsx` workbook per plan and per district.
//!
//! The CSVs stay machine-friendly (comma, `.` decimals) and gain a UTF-8 byte-order mark so
//! that Excel and LibreOffice read the Cyrillic. A semicolon CSV would still garble a
//! Russian-locale Excel (3.04 becomes a date), so the file for the office is the workbook:
//! the same tables as the CSVs, numbers written as numbers.

use crate::clip::corridor_type;
use crate::plan_out::{r3, PlanContext};
use crate::plan_schema::phase_value;
use crate::spreadsheet_safe::SafeCsv;
use fiberplan_model::{District, Kzt};
use fiberplan_plan::Technology;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use std::collections::BTreeMap;

/// The UTF-8 byte-order mark put before every CSV of a plan and its district packages.
pub const BOM: &str = "\u{feff}";

/// `csv` with the byte-order mark in front (once).
pub fn with_bom(csv: &str) -> String {
    if csv.starts_with(BOM) {
        csv.to_string()
    } else {
        format!("{BOM}{csv}")
    }
}

/// One table of a workbook: a sheet name and the CSV text it shows.
pub struct Sheet<'a> {
    /// Sheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: &'a str,
    /// The table as CSV text (a byte-order mark is ignored); the first record is the header.
    pub csv: &'a str,
}

/// Columns written as text even when they look like numbers: identifiers and codes, whose
/// leading zeros and digits must survive a spreadsheet.
fn is_text_column(name: &str) -> bool {
    name == "id"
        || name.ends_with("_id")
        || name.ends_with("_ids")
        || name.contains("kato")
        || name.starts_with("name")
        || name == "folder"
}

/// An `.xlsx` workbook with one sheet per table, in order: header row bold and frozen,
/// numbers as numbers (integers with thousands separators, fractions with 3 decimals),
/// `true` / `false` as booleans, identifiers and codes as text, and an `about` sheet last
/// with `notes` (one line each: what the figures are, which are estimates, sources).
pub fn workbook(sheets: &[Sheet], notes: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // A fixed creation date: the same plan gives a byte-identical workbook.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("fiberplan plan")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let int = Format::new().set_num_format("#,##0");
    let frac = Format::new().set_num_format("#,##0.000");
    let text = Format::new().set_align(FormatAlign::Left);
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(s.name)?;
        let body = s.csv.strip_prefix(BOM).unwrap_or(s.csv);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut text_col: Vec<bool> = Vec::new();
        for (r, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| XlsxError::ParameterError(format!("{}: {e}", s.name)))?;
            let row = u32::try_from(r)
                .map_err(|_| XlsxError::ParameterError(format!("{}: too many rows", s.name)))?;
            for (c, field) in rec.iter().enumerate() {
                // Text cells of a workbook are never formulas: show the text as it was.
                let field = crate::spreadsheet_safe::restore(field);
                let col = u16::try_from(c).map_err(|_| {
                    XlsxError::ParameterError(format!("{}: too many columns", s.name))
                })?;
                if r == 0 {
                    text_col.push(is_text_column(field));
                    ws.write_string_with_format(row, col, field, &bold)?;
                    continue;
                }
                if field.is_empty() {
                    continue;
                }
                if text_col.get(c).copied().unwrap_or(true) {
                    ws.write_string_with_format(row, col, field, &text)?;
                } else if field == "true" || field == "false" {
                    ws.write_boolean(row, col, field == "true")?;
                } else if let Some(x) = number(field) {
                    let f = if field.contains('.') { &frac } else { &int };
                    ws.write_number_with_format(row, col, x, f)?;
                } else {
                    ws.write_string(row, col, field)?;
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    let ws = book.add_worksheet();
    ws.set_name("about")?;
    for (i, line) in notes.iter().enumerate() {
        let row = u32::try_from(i).map_err(|_| XlsxError::ParameterError("notes".into()))?;
        ws.write_string(row, 0, line)?;
    }
    book.save_to_buffer()
}

/// A finite number written as a plain decimal (no exponent, no leading `+`, no `inf`):
/// what the CSV writers print for numbers. Anything else stays text.
fn number(field: &str) -> Option<f64> {
    let digits = field.strip_prefix('-').unwrap_or(field);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    // Integers beyond 2^53 would lose digits in a spreadsheet cell: keep them as text.
    let exact = field.contains('.') || digits.len() <= 15;
    if plain && exact {
        field.parse().ok()
    } else {
        None
    }
}

/// The plan's office files, as (name, contents): `villages.csv` (from `villages_csv`, the
/// plan's final table) and `routes.csv` with their byte-order mark, and with `workbook` also
/// `plan.xlsx`, `chart.svg` and `chart.png`. `plan` and `sweep --plans` both write them through here.
pub fn plan_office_files(
    ctx: &PlanContext,
    villages_csv: &str,
    lang: crate::Lang,
    workbook: bool,
) -> Vec<(&'static str, Vec<u8>)> {
    let routes = ctx.routes_csv();
    let mut files = vec![
        ("villages.csv", with_bom(villages_csv).into_bytes()),
        ("routes.csv", with_bom(&routes).into_bytes()),
    ];
    if workbook {
        files.push(("plan.xlsx", plan_workbook(ctx, villages_csv, &routes)));
        let chart = crate::plan_chart::plan_chart_svg(ctx, lang);
        files.push(("chart.png", crate::plan_chart::chart_png(&chart)));
        files.push(("chart.svg", chart.into_bytes()));
    }
    files
}

/// The plan's workbook `plan.xlsx`: villages (`villages_csv`, the plan's final
/// `villages.csv`), routes (`routes`, its `routes.csv`), bill of quantities, totals by
/// district and by oblast, about.
pub fn plan_workbook(ctx: &PlanContext, villages_csv: &str, routes: &str) -> Vec<u8> {
    let boq = ctx.boq_csv();
    let (districts, oblasts) = ctx.totals_csvs(&ctx.totals());
    let sheets = [
        Sheet {
            name: "villages",
            csv: villages_csv,
        },
        Sheet {
            name: "routes",
            csv: routes,
        },
        Sheet {
            name: "bill of quantities",
            csv: &boq,
        },
        Sheet {
            name: "by district",
            csv: &districts,
        },
        Sheet {
            name: "by oblast",
            csv: &oblasts,
        },
    ];
    let mut notes = notes(ctx);
    notes.push(
        "Totals by district and oblast count each route in the district of its midpoint; \
         the district packages split routes at district boundaries"
            .to_string(),
    );
    workbook(&sheets, &notes).expect("a workbook of in-memory tables is written")
}

/// The workbook's `about` sheet: what the plan is, where its data come from, and which
/// figures are estimates.
pub fn notes(ctx: &PlanContext) -> Vec<String> {
    let s = &ctx.plan.summary;
    let imputed = ctx.villages.iter().filter(|v| v.population_imputed).count();
    let imputed_hh: u64 = ctx
        .villages
        .iter()
        .filter(|v| v.population_imputed)
        .map(|v| v.households)
        .sum();
    let mut n = vec![
        format!(
            "fiberplan plan, mode {}: {} villages, {} households by fibre; total {} KZT",
            s.mode().as_str(),
            s.villages_fibre,
            s.households_fibre,
            s.cost_total_kzt
        ),
        format!("Backbone: {}", ctx.backbone.description),
        format!(
            "Estimates: {imputed} of {} villages ({imputed_hh} households) have an imputed \
             population (column population_imputed = true); household counts are population \
             divided by the household size of the inputs",
            ctx.villages.len()
        ),
        "Money in whole tenge (KZT); lengths in km, costed (drawn length x detour factor \
         where the corridor is a straight-line proxy)"
            .to_string(),
        "The sheets hold the same figures as the CSV files beside this workbook".to_string(),
        crate::plan_out::ATTRIBUTION.to_string(),
    ];
    if ctx.backbone.is_proxy {
        n.push("The backbone is a declared proxy, not the operators' real network".to_string());
    }
    n
}

/// What one area (a district or an oblast) gets in the plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AreaTotals {
    pub villages_total: usize,
    pub households_total: u64,
    pub villages_fibre: usize,
    pub households_fibre: u64,
    pub villages_fwa: usize,
    pub households_fwa: u64,
    pub villages_satellite: usize,
    pub households_satellite: u64,
    pub villages_existing_fibre: usize,
    pub households_existing_fibre: u64,
    /// Routes whose midpoint lies in the area.
    pub routes: usize,
    /// Costed kilometres of those routes.
    pub new_fibre_km: f64,
    pub cost_corridor_kzt: Kzt,
    /// Village equipment, household connections, FWA and satellite of the area's villages.
    pub cost_villages_kzt: Kzt,
    pub cost_total_kzt: Kzt,
}

impl AreaTotals {
    fn add_village(&mut self, households: u64, technology: Technology, cost: Kzt) {
        self.villages_total += 1;
        self.households_total += households;
        match technology {
            Technology::Fibre => {
                self.villages_fibre += 1;
                self.households_fibre += households;
            }
            Technology::Fwa => {
                self.villages_fwa += 1;
                self.households_fwa += households;
            }
            Technology::Satellite => {
                self.villages_satellite += 1;
                self.households_satellite += households;
            }
            Technology::ExistingFibre => {
                self.villages_existing_fibre += 1;
                self.households_existing_fibre += households;
            }
            Technology::None => {}
        }
        if technology != Technology::None {
            self.cost_villages_kzt = add(self.cost_villages_kzt, cost);
        }
    }

    fn add_route(&mut self, costed_m: f64, cost: Kzt) {
        self.routes += 1;
        self.new_fibre_km += costed_m / 1000.0;
        self.cost_corridor_kzt = add(self.cost_corridor_kzt, cost);
    }

    fn finish(&mut self) {
        self.cost_total_kzt = add(self.cost_corridor_kzt, self.cost_villages_kzt);
        self.new_fibre_km = r3(self.new_fibre_km);
    }

    /// The figures as a JSON object, keyed as in `summary.json`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "villages_total": self.villages_total,
            "households_total": self.households_total,
            "villages_fibre": self.villages_fibre,
            "households_fibre": self.households_fibre,
            "villages_fwa": self.villages_fwa,
            "households_fwa": self.households_fwa,
            "villages_satellite": self.villages_satellite,
            "households_satellite": self.households_satellite,
            "villages_existing_fibre": self.villages_existing_fibre,
            "households_existing_fibre": self.households_existing_fibre,
            "routes": self.routes,
            "new_fibre_km": self.new_fibre_km,
            "cost_corridor_kzt": self.cost_corridor_kzt,
            "cost_villages_kzt": self.cost_villages_kzt,
            "cost_total_kzt": self.cost_total_kzt,
        })
    }

    const HEADER: [&'static str; 15] = [
        "villages_total",
        "households_total",
        "villages_fibre",
        "households_fibre",
        "villages_fwa",
        "households_fwa",
        "villages_satellite",
        "households_satellite",
        "villages_existing_fibre",
        "households_existing_fibre",
        "routes",
        "new_fibre_km",
        "cost_corridor_kzt",
        "cost_villages_kzt",
        "cost_total_kzt",
    ];

    fn fields(&self) -> [String; 15] {
        [
            self.villages_total.to_string(),
            self.households_total.to_string(),
            self.villages_fibre.to_string(),
            self.households_fibre.to_string(),
            self.villages_fwa.to_string(),
            self.households_fwa.to_string(),
            self.villages_satellite.to_string(),
            self.households_satellite.to_string(),
            self.villages_existing_fibre.to_string(),
            self.households_existing_fibre.to_string(),
            self.routes.to_string(),
            format!("{}", self.new_fibre_km),
            self.cost_corridor_kzt.to_string(),
            self.cost_villages_kzt.to_string(),
            self.cost_total_kzt.to_string(),
        ]
    }
}

/// Parts of the plan's own checked total: their sums cannot exceed it.
fn add(a: Kzt, b: Kzt) -> Kzt {
    a.checked_add(b)
        .expect("a part of the plan's checked total fits in i64")
}

/// Totals by district (table order; villages and routes outside every district last, under
/// `None`) and by oblast (by name; `None` for outside). A route counts in the district of
/// its midpoint, so its kilometres and cost are not split at boundaries (the district
/// packages clip routes; their kilometres differ for routes that cross a boundary).
pub struct Totals {
    pub by_district: Vec<(Option<usize>, AreaTotals)>,
    pub by_oblast: Vec<(Option<String>, AreaTotals)>,
}

impl PlanContext<'_> {
    /// The plan's totals by district and by oblast.
    pub fn totals(&self) -> Totals {
        let n = self.districts.len();
        let slot = |d: Option<usize>| d.filter(|&d| d < n);
        let mut by_d: BTreeMap<(bool, usize), AreaTotals> = BTreeMap::new();
        let key = |d: Option<usize>| match slot(d) {
            Some(d) => (false, d),
            None => (true, 0),
        };
        for (v, vp) in self.villages.iter().zip(&self.plan.villages) {
            by_d.entry(key(v.district)).or_default().add_village(
                v.households,
                vp.technology,
                vp.cost_kzt,
            );
        }
        for r in &self.plan.routes {
            by_d.entry(key(r.district))
                .or_default()
                .add_route(r.costed_length_m, r.cost_kzt);
        }
        let mut by_o: BTreeMap<(bool, String), AreaTotals> = BTreeMap::new();
        let mut by_district = Vec::new();
        for ((outside, d), t) in by_d {
            let district = (!outside).then_some(d);
            let o = match district {
                Some(d) => (false, self.districts[d].oblast_en.clone()),
                None => (true, String::new()),
            };
            let e = by_o.entry(o).or_default();
            e.villages_total += t.villages_total;
            e.households_total += t.households_total;
            e.villages_fibre += t.villages_fibre;
            e.households_fibre += t.households_fibre;
            e.villages_fwa += t.villages_fwa;
            e.households_fwa += t.households_fwa;
            e.villages_satellite += t.villages_satellite;
            e.households_satellite += t.households_satellite;
            e.villages_existing_fibre += t.villages_existing_fibre;
            e.households_existing_fibre += t.households_existing_fibre;
            e.routes += t.routes;
            e.new_fibre_km += t.new_fibre_km;
            e.cost_corridor_kzt = add(e.cost_corridor_kzt, t.cost_corridor_kzt);
            e.cost_villages_kzt = add(e.cost_villages_kzt, t.cost_villages_kzt);
            by_district.push((district, t));
        }
        for (_, t) in by_district.iter_mut() {
            t.finish();
        }
        let by_oblast = by_o
            .into_iter()
            .map(|((outside, name), mut t)| {
                t.finish();
                ((!outside).then_some(name), t)
            })
            .collect();
        Totals {
            by_district,
            by_oblast,
        }
    }

    /// `routes.csv`: one row per new fibre route, with what it serves (the fibre villages
    /// beyond it, seen from the point of presence that feeds it), its length, cost, build
    /// year and the district of its midpoint.
    pub fn routes_csv(&self) -> String {
        let served = self.served_beyond();
        let mut w = SafeCsv::new();
        w.write_record([
            "id",
            "end_village_id",
            "end_village_name",
            "villages_served",
            "households_served",
            "length_km",
            "drawn_length_km",
            "cost_kzt",
            "year",
            "district_kato",
            "district_ru",
            "district_kk",
            "district_en",
            "oblast_en",
        ]);
        for (i, r) in self.plan.routes.iter().enumerate() {
            let d = r.district.and_then(|d| self.districts.get(d));
            let ds = |f: fn(&District) -> &String| d.map(|d| f(d).clone()).unwrap_or_default();
            let s = &served[i];
            let end = s.end_village.map(|v| &self.villages[v]);
            w.write_record([
                format!("route-{}", i + 1),
                end.map(|v| v.id.clone()).unwrap_or_default(),
                end.map(|v| v.name.clone()).unwrap_or_default(),
                s.villages.to_string(),
                s.households.to_string(),
                format!("{}", r3(r.costed_length_m / 1000.0)),
                format!("{}", r3(r.length_m / 1000.0)),
                r.cost_kzt.to_string(),
                phase_value(r.phase).to_string(),
                ds(|d| &d.kato),
                ds(|d| &d.name_ru),
                ds(|d| &d.name_kk),
                ds(|d| &d.name_en),
                ds(|d| &d.oblast_en),
            ]);
        }
        w.into_string()
    }

    /// For each route: the fibre villages and households that its fibre reaches, counting
    /// everything beyond it seen from the points of presence (the routes form a forest
    /// rooted at them), and the fibre village at its far end.
    fn served_beyond(&self) -> Vec<Served> {
        let routes = &self.plan.routes;
        let mut at_node: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, r) in routes.iter().enumerate() {
            at_node.entry(r.from).or_default().push(i);
            at_node.entry(r.to).or_default().push(i);
        }
        let mut village_at: BTreeMap<u32, usize> = BTreeMap::new();
        for (v, node) in self.graph.village_node.iter().enumerate() {
            if let (Some(node), Some(vp)) = (node, self.plan.villages.get(v)) {
                if vp.technology == Technology::Fibre {
                    village_at.entry(*node).or_insert(v);
                }
            }
        }
        // Orient every route away from a root: points of presence first (in plan order),
        // then any node left (a forest piece without one, which a valid plan does not have).
        let mut far: Vec<Option<u32>> = vec![None; routes.len()];
        let mut order: Vec<usize> = Vec::new();
        let mut roots: Vec<u32> = self.plan.pops.iter().map(|u| u.node).collect();
        roots.extend(routes.iter().map(|r| r.from));
        for root in roots {
            let mut stack = vec![root];
            while let Some(n) = stack.pop() {
                for &i in at_node.get(&n).map(|v| &v[..]).unwrap_or(&[]) {
                    if far[i].is_some() {
                        continue;
                    }
                    let r = &routes[i];
                    let next = if r.from == n { r.to } else { r.from };
                    far[i] = Some(next);
                    order.push(i);
                    stack.push(next);
                }
            }
        }
        // Children before parents: accumulate in reverse discovery order.
        let mut below: BTreeMap<u32, (usize, u64)> = BTreeMap::new();
        let mut out = vec![Served::default(); routes.len()];
        for &i in order.iter().rev() {
            let f = far[i].expect("oriented above");
            let mut s = below.get(&f).copied().unwrap_or((0, 0));
            let end_village = village_at.get(&f).copied();
            if let Some(v) = end_village {
                s.0 += 1;
                s.1 += self.villages[v].households;
            }
            out[i] = Served {
                villages: s.0,
                households: s.1,
                end_village,
            };
            let n = if routes[i].from == f {
                routes[i].to
            } else {
                routes[i].from
            };
            let e = below.entry(n).or_insert((0, 0));
            e.0 += s.0;
            e.1 += s.1;
        }
        out
    }

    /// The totals tables as CSV: by district (with its codes and names) and by oblast.
    pub fn totals_csvs(&self, t: &Totals) -> (String, String) {
        let mut w = SafeCsv::new();
        let mut header = vec![
            "district_kato",
            "district_ru",
            "district_kk",
            "district_en",
            "oblast_en",
        ];
        header.extend(AreaTotals::HEADER);
        w.write_record(&header);
        for (d, a) in &t.by_district {
            let d = d.map(|d| &self.districts[d]);
            let ds = |f: fn(&District) -> &String| d.map(|d| f(d).clone()).unwrap_or_default();
            let mut row = vec![
                ds(|d| &d.kato),
                ds(|d| &d.name_ru),
                ds(|d| &d.name_kk),
                ds(|d| &d.name_en),
                ds(|d| &d.oblast_en),
            ];
            row.extend(a.fields());
            w.write_record(&row);
        }
        let districts = w.into_string();
        let mut w = SafeCsv::new();
        let mut header = vec!["oblast_en"];
        header.extend(AreaTotals::HEADER);
        w.write_record(&header);
        for (o, a) in &t.by_oblast {
            let mut row = vec![o.clone().unwrap_or_default()];
            row.extend(a.fields());
            w.write_record(&row);
        }
        let oblasts = w.into_string();
        (districts, oblasts)
    }

    /// The plan's bill of quantities as CSV (`item,unit,quantity,cost_kzt`): fibre by
    /// corridor type, crossings, and villages and households by technology.
    pub fn boq_csv(&self) -> String {
        let s = &self.plan.summary;
        let mut km_by_type: BTreeMap<String, f64> = BTreeMap::new();
        let (mut bridges, mut tunnels, mut rail) = (0u64, 0u64, 0u64);
        for &c in &self.plan.corridors {
            let cor = &self.graph.corridors[c as usize];
            *km_by_type
                .entry(corridor_type(self.graph, cor))
                .or_default() += cor.costed_length_m / 1000.0;
            bridges += u64::from(cor.bridges);
            tunnels += u64::from(cor.tunnels);
            rail += u64::from(cor.railway_crossings);
        }
        let mut b = Boq::new(&km_by_type);
        b.corridors(
            s.new_fibre_km,
            s.cost_corridor_kzt,
            [bridges, tunnels, rail],
        );
        b.row(
            "village equipment (fibre villages)",
            "villages",
            s.villages_fibre,
            Some(s.cost_equipment_kzt),
        );
        b.row(
            "household connections (fibre)",
            "households",
            s.households_fibre,
            Some(s.cost_households_kzt),
        );
        b.row(
            "fixed wireless (FWA)",
            "households",
            s.households_fwa,
            Some(s.cost_fwa_kzt),
        );
        b.row(
            "satellite",
            "households",
            s.households_satellite,
            Some(s.cost_satellite_kzt),
        );
        b.finish(s.cost_total_kzt)
    }
}

/// A bill of quantities as CSV (`item,unit,quantity,cost_kzt`): fibre by corridor type,
/// the corridors' total and crossings, the rows the caller adds, then the total. The plan
/// and each district package write theirs through it.
pub(crate) struct Boq(SafeCsv);

impl Boq {
    /// Start with one row of fibre kilometres per corridor type.
    pub(crate) fn new(km_by_type: &BTreeMap<String, f64>) -> Self {
        let mut w = SafeCsv::new();
        w.write_record(["item", "unit", "quantity", "cost_kzt"]);
        for (kind, km) in km_by_type {
            let q = format!("{}", r3(*km));
            w.write_record([&format!("fibre along {kind}"), "km", &q, ""]);
        }
        Boq(w)
    }

    /// The corridors' kilometres and cost, and bridge, tunnel and railway crossings.
    pub(crate) fn corridors(&mut self, km: f64, cost: Kzt, [bridges, tunnels, rail]: [u64; 3]) {
        let q = format!("{}", r3(km));
        let w = &mut self.0;
        w.write_record(["fibre corridors, all", "km", &q, &cost.to_string()]);
        for (item, n) in [
            ("bridge crossings", bridges),
            ("tunnels", tunnels),
            ("railway crossings", rail),
        ] {
            w.write_record([item, "count", &n.to_string(), ""]);
        }
    }

    /// One row; `cost` empty when `None`.
    pub(crate) fn row(
        &mut self,
        item: &str,
        unit: &str,
        quantity: impl ToString,
        cost: Option<Kzt>,
    ) {
        let cost = cost.map(|c| c.to_string()).unwrap_or_default();
        self.0
            .write_record([item, unit, &quantity.to_string(), &cost]);
    }

    /// The total row, and the CSV text.
    pub(crate) fn finish(mut self, total: Kzt) -> String {
        self.0
            .write_record(["total", "KZT", "", &total.to_string()]);
        self.0.into_string()
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct Served {
    villages: usize,
    households: u64,
    end_village: Option<usize>,
}
