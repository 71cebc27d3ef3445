//! `fiberplan plan`: one plan from villages, the existing network and a cost model.

use super::inputs::{InputArgs, SettingsArgs};
use super::{init_threads, BadInput};
use anyhow::Context;
use fiberplan_load::{load, Planner, SolverPolicy};
use fiberplan_model::{Mode, Objective, Phase, Scenario};
use fiberplan_report::{AtomicDir, PlanContext, PlanFiles};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The modes whose fibre tree the solver's proof mode (`--prove`) covers.
const PROVABLE: [Mode; 2] = [Mode::Quota, Mode::ConnectAll];

/// The programme's target: "last mile" fibre into 400,000 households.
pub const PROGRAMME_HOUSEHOLDS: u64 = 400_000;

#[derive(clap::Args, Debug, Clone)]
pub struct PlanArgs {
    /// Output folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Households to bring fibre to (least-cost quota). Default: 400,000 for the national
    /// plan; every village for user villages.
    #[arg(long)]
    pub target_households: Option<u64>,
    /// Connect every reachable village (same as `--mode connect-all`).
    #[arg(long, conflicts_with_all = ["target_households", "mode"])]
    pub connect_all: bool,
    /// What to optimise: quota (fibre households), budget (most fibre households within
    /// --budget-kzt), coverage (--coverage share of the population on fibre or wireless),
    /// connect-all, least-cost (each village on its cheapest technology).
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Budget for `--mode budget`, whole tenge.
    #[arg(long)]
    pub budget_kzt: Option<i64>,
    /// Population share for `--mode coverage`, e.g. 0.99.
    #[arg(long)]
    pub coverage: Option<f64>,
    /// A phase: YEAR:BUDGET_KZT (repeat for several years), e.g. --phase 2026:150000000000.
    #[arg(long = "phase", value_parser = parse_phase)]
    pub phases: Vec<Phase>,
    /// Multiply corridor costs (e.g. 1.3 for trenching 30 % dearer).
    #[arg(long, default_value_t = 1.0)]
    pub corridor_cost_scale: f64,
    /// Multiply fixed-wireless costs.
    #[arg(long, default_value_t = 1.0)]
    pub fwa_cost_scale: f64,
    /// Multiply satellite costs.
    #[arg(long, default_value_t = 1.0)]
    pub satellite_cost_scale: f64,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Write the planning graph as a SteinLib file (root = node 1, TP = households).
    #[arg(long)]
    pub export_stp: Option<PathBuf>,
    /// Solver seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Prove the fibre tree optimal by branch-and-bound (quota and connect-all modes): the outputs then
    /// say "proven optimal", or give the bound the search reached within its node budget (a
    /// count, not the clock).
    #[arg(long)]
    pub prove: bool,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Language of the district reports and the map page: ru (default), kk or en.
    #[arg(long, default_value = "ru")]
    pub lang: fiberplan_report::Lang,
    /// Output formats, comma-separated: geojson (the default; plan.geojson is always
    /// written), gpkg, kmz, ofds. The district packages get the same formats.
    #[arg(long, value_delimiter = ',', default_value = "geojson")]
    pub format: Vec<fiberplan_report::Format>,
    /// Skip the last mile (the GPON access network of every fibre village).
    #[arg(long)]
    pub no_last_mile: bool,
    /// Take-up, percent of the households passed that connect (0, 100]: the last mile is
    /// designed and priced at it (default: data/last_mile.toml's take_up_pct). A scenario
    /// file's take_up_pct is the same figure.
    #[arg(long, conflicts_with = "no_last_mile")]
    pub take_up: Option<f64>,
    /// Multiplies every last-mile unit price of the designs (equipment, cable, trench and
    /// poles, labour, OLT site), > 0 and at most 100; the designs are re-priced, not redone.
    /// A scenario file's last_mile_cost_scale is the same figure.
    #[arg(long, conflicts_with = "no_last_mile", default_value_t = 1.0)]
    pub last_mile_cost_scale: f64,
    #[command(flatten)]
    pub mobile: super::coverage::PlanMobileArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeArg {
    Quota,
    Budget,
    Coverage,
    ConnectAll,
    LeastCost,
}

fn parse_phase(s: &str) -> Result<Phase, String> {
    let (y, b) = s
        .split_once(':')
        .ok_or_else(|| format!("{s:?}: expected YEAR:BUDGET_KZT"))?;
    let year = y
        .trim()
        .parse()
        .map_err(|_| format!("{y:?} is not a year"))?;
    let budget_kzt: i64 = b
        .trim()
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{b:?} is not a whole number of tenge"))?;
    Ok(Phase { year, budget_kzt })
}

/// The scenario the flags describe. Without a mode: the household quota (400,000 for the
/// national plan), or every village for user villages.
fn scenario_of(a: &PlanArgs) -> Result<Scenario, BadInput> {
    let mode = match (
        a.mode,
        a.connect_all,
        a.target_households,
        &a.input.villages,
    ) {
        (Some(m), _, _, _) => match m {
            ModeArg::Quota => Mode::Quota,
            ModeArg::Budget => Mode::Budget,
            ModeArg::Coverage => Mode::Coverage,
            ModeArg::ConnectAll => Mode::ConnectAll,
            ModeArg::LeastCost => Mode::LeastCost,
        },
        (None, true, _, _) => Mode::ConnectAll,
        (None, false, Some(_), _) => Mode::Quota,
        (None, false, None, None) if a.input.osm.is_none() => Mode::Quota,
        (None, false, None, _) => Mode::ConnectAll,
    };
    // A flag the chosen mode does not read is a mistake, not something to ignore.
    let ignored = [
        (
            "--target-households",
            a.target_households.is_some(),
            Mode::Quota,
        ),
        ("--budget-kzt", a.budget_kzt.is_some(), Mode::Budget),
        ("--coverage", a.coverage.is_some(), Mode::Coverage),
    ];
    if let Some((flag, _, needs)) = ignored.iter().find(|(_, given, m)| *given && *m != mode) {
        return Err(BadInput(format!(
            "{flag} is read only by --mode {}, and this plan's mode is {}",
            needs.as_str().replace('_', "-"),
            mode.as_str().replace('_', "-")
        )));
    }
    let s = Scenario {
        mode,
        target_households: Some(a.target_households.unwrap_or(PROGRAMME_HOUSEHOLDS)),
        budget_kzt: a.budget_kzt,
        coverage_share: a.coverage,
        corridor_cost_scale: a.corridor_cost_scale,
        fwa_cost_scale: a.fwa_cost_scale,
        satellite_cost_scale: a.satellite_cost_scale,
        take_up_pct: a.take_up,
        last_mile_cost_scale: a.last_mile_cost_scale,
        phases: a.phases.clone(),
        seed: a.seed,
    };
    if let Some(t) = a.take_up {
        Scenario::check_take_up(t).map_err(|m| BadInput(format!("--take-up: {m}")))?;
    }
    Scenario::check_scale("last_mile_cost_scale", a.last_mile_cost_scale)
        .map_err(|m| BadInput(format!("--last-mile-cost-scale: {m}")))?;
    s.check()
        .map_err(|m| BadInput(format!("scenario: {m} (see --help)")))?;
    Ok(s)
}

struct Timer {
    phases: Vec<(&'static str, Duration)>,
    at: Instant,
}

impl Timer {
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.at));
        self.at = now;
    }
}

fn spinner(msg: &'static str) -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("static template"),
    );
    pb.set_message(msg);
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

/// A fault in an output folder or file (its message names the path): one line, exit 2.
pub(crate) fn out_fault(e: std::io::Error) -> anyhow::Error {
    BadInput(e.to_string()).into()
}

pub fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let spec = args.input.spec(&args.settings)?;
    let scenario = scenario_of(&args)?;
    if args.prove && !PROVABLE.contains(&scenario.mode) {
        return Err(BadInput(format!(
            "--prove proves the trees of the {} modes; this plan's mode is {}",
            PROVABLE.map(|m| m.as_str().replace('_', "-")).join(" and "),
            scenario.mode.as_str().replace('_', "-")
        ))
        .into());
    }
    init_threads(args.threads)?;
    AtomicDir::precheck(&args.out).map_err(out_fault)?;
    let started = Instant::now();
    let mut t = Timer {
        phases: Vec::new(),
        at: started,
    };
    let pb = args
        .input
        .osm
        .is_some()
        .then(|| spinner("reading OpenStreetMap extract and building the road graph"));
    let inputs = load(&spec)?;
    if let Some(pb) = pb {
        pb.finish_and_clear();
    }
    // The load layer reads the inputs and builds the planning graph in one call: one phase
    // (a separate "graph" lap would always read 0 s).
    t.lap("read_and_graph");
    if let Some(target) = scenario
        .target_households
        .filter(|_| scenario.mode == Mode::Quota)
    {
        let households: u64 = inputs.villages.iter().map(|v| v.households).sum();
        if target > households {
            eprintln!(
                "fiberplan plan: warning: --target-households {target} is above the inputs' {households} households: the quota cannot be met"
            );
        }
    }
    let planner = Planner::new(
        &inputs,
        SolverPolicy {
            prove: args.prove,
            ..SolverPolicy::PLAN
        },
    );
    let pb = spinner("solving");
    let mut plan = planner.plan(&scenario)?;
    pb.finish_and_clear();
    t.lap("solve");
    let last_mile = if args.no_last_mile {
        None
    } else {
        let pb = spinner("designing the last mile");
        let osm = args.input.osm.as_deref();
        let lm = super::village::plan_last_mile(
            &planner,
            &scenario,
            &mut plan,
            osm,
            args.input.data.as_deref(),
        )?;
        pb.finish_and_clear();
        t.lap("last_mile");
        Some(lm)
    };
    let mobile = if args.mobile.mobile_roads {
        let Some(osm) = args.input.osm.as_deref() else {
            return Err(BadInput(
                "--mobile-roads needs --osm EXTRACT: Kazakhstan's own OSM extract is the real input \
                 for roads; the national road proxy is for benchmarks only, never a plan"
                    .into(),
            )
            .into());
        };
        let pb = spinner("siting mobile coverage along the roads");
        let mut planned = vec![false; inputs.graph.nodes.len()];
        for &c in &plan.corridors {
            let cor = &inputs.graph.corridors[c as usize];
            planned[cor.a as usize] = true;
            planned[cor.b as usize] = true;
        }
        let radio = args.mobile.radio();
        let data = super::data_dir(args.input.data.as_deref());
        let run = super::coverage::run_roads(super::coverage::RoadsJob {
            lines: super::coverage::osm_roads(osm, false)?,
            ref_classes: None,
            inputs: &inputs,
            radio: &radio,
            data: &data,
            target: args.mobile.mobile_target,
            sample_m: 100.0,
            planned: Some(planned),
            roads_from: json!({"file": osm.display().to_string(), "from": "OpenStreetMap extract", "tertiary": false}),
        })?;
        pb.finish_and_clear();
        t.lap("mobile_roads");
        Some(run)
    } else {
        None
    };
    // The rooted view and the solver's caches are not needed to write: a country's graph
    // is hundreds of MiB in them, freed before the outputs are built (issue 19).
    let stp = args.export_stp.as_ref().map(|_| {
        fiberplan_io::stp::write_stp(&planner.view().instance, "fiberplan planning graph: root = node 1 (points of presence contracted), TP = households, weights = corridor cost in KZT")
    });
    drop(planner);
    let (villages, backbone, regions, graph) = (
        &inputs.villages,
        &inputs.backbone,
        &inputs.regions,
        &inputs.graph,
    );
    let inputs = json!({
        "villages": inputs.villages_from,
        "backbone": backbone.description,
        "costs": inputs.costs_path.display().to_string(),
        "corridors": inputs.corridors,
        "household_size": inputs.settings.household_size,
        "seed": args.seed,
        "graph_nodes": graph.nodes.len(),
        "graph_corridors": graph.corridors.len(),
    });
    let ctx = PlanContext {
        villages,
        districts: &regions.districts,
        backbone,
        graph,
        plan: &plan,
        inputs,
        mobile: mobile.as_ref().map(|m| &m.geojson),
        scenario: &scenario,
    };
    // Faults in the output folder name their path and exit 2 (`out_fault`).
    let mut out = AtomicDir::new(&args.out).map_err(out_fault)?;
    let write = |out: &mut AtomicDir, name: &str, body: String| {
        out.write(name, body.as_bytes()).map_err(out_fault)
    };
    let (mut csv, mut summary) = (ctx.villages_csv(), ctx.summary_json());
    if let Some(m) = &last_mile {
        (csv, summary) = fiberplan_report::last_mile_out::plan_outputs(&csv, &summary, m)
            .map_err(|e| BadInput(e.to_string()))?;
        // Nationally and per district package, from one text per village.
        fiberplan_report::last_mile_out::write_last_mile_maps(
            &mut out,
            villages,
            &regions.districts,
            m,
        )
        .map_err(out_fault)?;
    }
    // The mobile coverage map's text: the national file now, its district packages below.
    let mut coverage_text = None;
    if let Some(run) = &mobile {
        let mut v: serde_json::Value = serde_json::from_str(&summary)?;
        v["mobile_roads"] = run.summary.clone();
        summary = serde_json::to_string_pretty(&v)? + "\n";
        let text = serde_json::to_string(&run.geojson)?;
        out.write_parts("coverage.geojson", &[text.as_bytes(), b"\n"])
            .map_err(out_fault)?;
        coverage_text = Some(text);
    }
    // The plan's own files (data, office files, district packages, map, report), with the
    // stages' columns and figures in villages.csv and summary.json.
    let polygons = &regions.district_polygons;
    let texts = fiberplan_report::PlanTexts {
        villages_csv: &csv,
        summary_json: &summary,
        last_mile: last_mile.as_ref(),
    };
    fiberplan_report::write_plan(&mut out, &ctx, polygons, args.lang, PlanFiles::All, texts)
        .map_err(|e| out_fault(e.source))?;
    let bytes =
        |out: &mut AtomicDir, name: &str, body: &[u8]| out.write(name, body).map_err(out_fault);
    // The mobile coverage map split by district beside the plan's own package files.
    use fiberplan_report::district_packages::feature_packages;
    if let Some(text) = &coverage_text {
        for (name, body) in feature_packages(&ctx, polygons, "coverage.geojson", text)? {
            write(&mut out, &name, body)?;
        }
    }
    // The last mile's bill of quantities: national, and per district package.
    if let Some(m) = &last_mile {
        use fiberplan_report::last_mile_out::{boq_csv, district_files};
        let all: Vec<usize> = (0..villages.len()).collect();
        let national = boq_csv(villages, m, &all).map_err(|e| BadInput(e.to_string()))?;
        write(&mut out, "last_mile_boq.csv", national)?;
        let files =
            district_files(villages, &regions.districts, m).map_err(|e| BadInput(e.to_string()))?;
        for (name, body) in files {
            bytes(&mut out, &name, &body)?;
        }
    }
    // --format: GeoPackage, KMZ, OFDS beside plan.geojson, nationally and per district.
    let (f, lang) = (&args.format, args.lang);
    fiberplan_report::formats::write_formats(&ctx, f, lang, &mut out, "")
        .and_then(|()| fiberplan_report::formats::write_district_formats(&ctx, f, lang, &mut out))
        .context("cannot write the --format files")?;
    if let (Some(p), Some(body)) = (&args.export_stp, stp) {
        // Part of the commit: staged now, in place with the folder (inside it when under --out).
        out.write_file(p, body.as_bytes()).map_err(out_fault)?;
    }
    t.lap("write");
    let total = started.elapsed();
    let timings = json!({
        "phases_s": t.phases.iter().map(|(n, d)| ((*n).to_string(), json!((d.as_secs_f64() * 1000.0).round() / 1000.0))).collect::<serde_json::Map<_, _>>(),
        "total_s": (total.as_secs_f64() * 1000.0).round() / 1000.0,
        "threads": rayon::current_num_threads(),
    });
    write(
        &mut out,
        "timings.json",
        serde_json::to_string_pretty(&timings)? + "\n",
    )?;
    out.commit().map_err(out_fault)?;

    let s = &plan.summary;
    // A closed stdout (`| head`) ends the report quietly: the outputs are already in place.
    let mut so = std::io::stdout().lock();
    writeln!(
        so,
        "fiberplan plan: {} villages, {} households; backbone: {}",
        s.villages_total, s.households_total, backbone.description
    )?;
    let techs = format!(
        "fibre {} villages ({} households), FWA {} ({}), satellite {} ({})",
        s.villages_fibre,
        s.households_fibre,
        s.villages_fwa,
        s.households_fwa,
        s.villages_satellite,
        s.households_satellite
    );
    match s.objective {
        Objective::Quota { target_households } => {
            let met = if s.target_met() {
                "met"
            } else {
                "NOT MET (not enough reachable households)"
            };
            writeln!(
                so,
                "  target {target_households} households on fibre: {met}; {techs}"
            )?
        }
        Objective::Budget { budget_kzt } => writeln!(
            so,
            "  budget {budget_kzt} KZT: fibre costs {} KZT; {techs}",
            s.cost_fibre_kzt()
        )?,
        Objective::Coverage { coverage_share } => writeln!(
            so,
            "  coverage target {:.1} %: {:.2} % of the population on fibre or FWA; {techs}",
            100.0 * coverage_share,
            100.0 * s.coverage_share
        )?,
        Objective::ConnectAll => writeln!(so, "  connect all: {techs}")?,
        Objective::LeastCost => writeln!(so, "  least-cost mix over the horizon: {techs}")?,
    }
    for (year, spent) in &s.phases {
        writeln!(so, "  phase {year}: {spent} KZT")?;
    }
    if s.villages_unphased > 0 {
        writeln!(
            so,
            "  {} fibre villages fit in no phase budget (phase: 0)",
            s.villages_unphased
        )?;
    }
    writeln!(
        so,
        "  new fibre {:.1} km in {} routes from {} points of presence",
        s.new_fibre_km, s.routes, s.pops_used
    )?;
    writeln!(
        so,
        "  cost {} KZT (corridors {}, village equipment {}, household connections {}, FWA {}, satellite {})",
        s.cost_total_kzt,
        s.cost_corridor_kzt,
        s.cost_equipment_kzt,
        s.cost_households_kzt,
        s.cost_fwa_kzt,
        s.cost_satellite_kzt
    )?;
    if let Some(lb) = s.lower_bound {
        writeln!(
            so,
            "  solver {}: objective {} (lower bound {})",
            s.solver, s.solver_objective, lb
        )?;
    }
    if s.villages_unreachable > 0 {
        writeln!(
            so,
            "  {} villages unreachable from the network (written with unreachable: true)",
            s.villages_unreachable
        )?;
    }
    let phases: Vec<String> = t
        .phases
        .iter()
        .map(|(n, d)| format!("{n} {:.2}s", d.as_secs_f64()))
        .collect();
    writeln!(
        so,
        "  time {:.2}s ({}); outputs in {}",
        total.as_secs_f64(),
        phases.join(", "),
        args.out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
