//! `fiberplan plan`: one plan from villages, the existing network and a cost model.

use super::{data_dir, init_threads, BadInput};
use anyhow::Context;
use fiberplan_io::{
    read_backbone, read_costs, read_national, read_regions, read_villages, NationalOptions, Regions,
};
use fiberplan_model::{Backbone, Village};
use fiberplan_network::corridor_proxy::{self, ProxyOptions};
use fiberplan_network::country_mask::CountryMask;
use fiberplan_network::district_index::DistrictIndex;
use fiberplan_plan::{solve_plan, Objective, PlanRequest};
use fiberplan_report::{write_atomic, AtomicDir, PlanContext};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

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
    /// Connect every reachable village instead of a household target.
    #[arg(long, conflicts_with = "target_households")]
    pub connect_all: bool,
    /// Cost model (TOML). Default: data/costs.toml.
    #[arg(long)]
    pub costs: Option<PathBuf>,
    /// Villages (GeoJSON Points or CSV with id, lon, lat, households or population).
    #[arg(long)]
    pub villages: Option<PathBuf>,
    /// Existing fibre network (GeoJSON: Points of presence, LineStrings of fibre).
    #[arg(long)]
    pub backbone: Option<PathBuf>,
    /// People per household, to turn population into households.
    #[arg(long, default_value_t = 3.5)]
    pub household_size: f64,
    /// Road-circuity factor of the straight-line corridor proxy.
    #[arg(long, default_value_t = 1.3)]
    pub circuity: f64,
    /// Count isolated dwellings as villages (national data).
    #[arg(long)]
    pub include_isolated: bool,
    /// Write the planning graph as a SteinLib file (root = node 1, TP = households).
    #[arg(long)]
    pub export_stp: Option<PathBuf>,
    /// Solver seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Language of the district reports and the map page: ru (default), kk or en.
    #[arg(long, default_value = "ru")]
    pub lang: fiberplan_report::Lang,
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

/// Check settings that clap cannot.
fn check_args(a: &PlanArgs) -> Result<(), BadInput> {
    if !(a.household_size.is_finite() && a.household_size >= 1.0 && a.household_size <= 20.0) {
        return Err(BadInput(format!(
            "--household-size {} must be between 1 and 20",
            a.household_size
        )));
    }
    if !(a.circuity.is_finite() && a.circuity >= 1.0 && a.circuity <= 5.0) {
        return Err(BadInput(format!(
            "--circuity {} must be between 1 and 5",
            a.circuity
        )));
    }
    Ok(())
}

/// Villages outside the bundled country are an error unless the user brings a backbone.
fn check_inside(path: &Path, villages: &[Village], mask: &CountryMask) -> anyhow::Result<()> {
    let pts: Vec<[f64; 2]> = villages.iter().map(|v| v.lonlat).collect();
    if let Some(hint) = fiberplan_io::coords::swapped_hint(&pts, &fiberplan_io::Region::KAZAKHSTAN)
    {
        return Err(fiberplan_io::InputError::file(path, hint).into());
    }
    if let Some(v) = villages.iter().find(|v| !mask.near(v.lonlat, 3)) {
        return Err(fiberplan_io::InputError::file(
            path,
            format!(
                "village {:?} at ({}, {}) is outside Kazakhstan, the bundled region: pass --backbone FILE with the \
                 existing network for villages elsewhere",
                v.id, v.lonlat[0], v.lonlat[1]
            ),
        )
        .into());
    }
    Ok(())
}

pub fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    check_args(&args)?;
    init_threads(args.threads)?;
    let started = Instant::now();
    let mut t = Timer {
        phases: Vec::new(),
        at: started,
    };
    let data = data_dir(args.data.as_deref());
    let kz = data.join("kz");

    let costs_path = args
        .costs
        .clone()
        .unwrap_or_else(|| data.join("costs.toml"));
    let costs = read_costs(&costs_path)?;
    let nopts = NationalOptions {
        household_size: args.household_size,
        include_isolated: args.include_isolated,
    };

    // Villages, backbone and regions: the bundled national data unless the user gives them.
    let (villages, backbone, regions): (Vec<Village>, Backbone, Regions) = match &args.villages {
        None => {
            let nd = read_national(&kz, &nopts)?;
            let backbone = match &args.backbone {
                Some(p) => read_backbone(p)?,
                None => nd.backbone,
            };
            (nd.villages, backbone, nd.regions)
        }
        Some(vpath) => {
            let mut villages = read_villages(vpath, args.household_size)?;
            let regions = read_regions(&kz)?;
            let backbone = match &args.backbone {
                Some(p) => read_backbone(p)?,
                None => {
                    check_inside(vpath, &villages, &CountryMask::new(&regions.country))?;
                    read_national(&kz, &nopts)?.backbone
                }
            };
            let index = DistrictIndex::new(&regions.district_polygons);
            for v in &mut villages {
                v.district = index.locate(v.lonlat);
            }
            (villages, backbone, regions)
        }
    };
    t.lap("read");

    // Corridors stay inside the country when the plan is inside it.
    let mask = CountryMask::new(&regions.country);
    let inside_kz = villages.iter().all(|v| mask.near(v.lonlat, 3));
    let popts = ProxyOptions {
        circuity: args.circuity,
        ..ProxyOptions::default()
    };
    let graph = corridor_proxy::build(
        &villages,
        &backbone,
        inside_kz.then_some(&mask),
        &costs,
        &popts,
    );
    t.lap("graph");

    let objective = match (args.target_households, args.connect_all, &args.villages) {
        (Some(h), _, _) => Objective::Quota { households: h },
        (None, true, _) | (None, false, Some(_)) => Objective::ConnectAll,
        (None, false, None) => Objective::Quota {
            households: PROGRAMME_HOUSEHOLDS,
        },
    };
    let solver = fiberplan_steiner::Options {
        seed: args.seed,
        time_limit: Some(Duration::from_secs(120)),
        ..Default::default()
    };
    let pb = spinner("solving");
    let mut plan = solve_plan(&PlanRequest {
        villages: &villages,
        backbone: &backbone,
        graph: &graph,
        costs: &costs,
        objective,
        solver,
    });
    pb.finish_and_clear();
    plan.assign_districts(&DistrictIndex::new(&regions.district_polygons));
    t.lap("solve");

    let inputs = json!({
        "villages": args.villages.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "bundled: data/kz/populated_places.csv".into()),
        "backbone": args.backbone.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "bundled proxy".into()),
        "costs": costs_path.display().to_string(),
        "corridors": format!("straight-line proxy (Delaunay), circuity {}", args.circuity),
        "household_size": args.household_size,
        "seed": args.seed,
        "graph_nodes": graph.nodes.len(),
        "graph_corridors": graph.corridors.len(),
    });
    let ctx = PlanContext {
        villages: &villages,
        districts: &regions.districts,
        backbone: &backbone,
        graph: &graph,
        plan: &plan,
        inputs,
    };
    let mut out = AtomicDir::new(&args.out)
        .with_context(|| format!("cannot create output folder {}", args.out.display()))?;
    let write = |out: &mut AtomicDir, name: &str, body: String| {
        out.write(name, body.as_bytes())
            .with_context(|| format!("cannot write {}", args.out.join(name).display()))
    };
    write(&mut out, "plan.geojson", ctx.geojson())?;
    write(&mut out, "villages.csv", ctx.villages_csv())?;
    write(&mut out, "summary.json", ctx.summary_json())?;
    let polygons = &regions.district_polygons;
    for (name, body) in fiberplan_report::district_packages(&ctx, polygons, args.lang) {
        write(&mut out, &name, body)?;
    }
    let html = fiberplan_report::plan_html(&ctx, polygons, args.lang);
    write(&mut out, "plan.html", html)?;
    if let Some(p) = &args.export_stp {
        let view = graph.steiner_view(|i| villages[i].households as i64);
        let body = fiberplan_io::stp::write_stp(&view.instance, "fiberplan planning graph: root = node 1 (points of presence contracted), TP = households, weights = corridor cost in KZT");
        write_atomic(p, body.as_bytes())
            .with_context(|| format!("cannot write {}", p.display()))?;
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
    out.commit()
        .with_context(|| format!("cannot move outputs into {}", args.out.display()))?;

    let s = &plan.summary;
    println!(
        "fiberplan plan: {} villages, {} households; backbone: {}",
        s.villages_total, s.households_total, backbone.description
    );
    match s.target_households {
        Some(tg) => println!(
            "  target {} households: {} ({} households in {} villages on fibre)",
            tg,
            if s.households_fibre >= tg {
                "met"
            } else {
                "NOT MET (not enough reachable households)"
            },
            s.households_fibre,
            s.villages_fibre
        ),
        None => println!(
            "  connect all: {} villages, {} households on fibre",
            s.villages_fibre, s.households_fibre
        ),
    }
    println!(
        "  new fibre {:.1} km in {} routes from {} points of presence",
        s.new_fibre_km, s.routes, s.pops_used
    );
    println!(
        "  cost {} KZT (corridors {}, village equipment {}, household connections {})",
        s.cost_total_kzt, s.cost_corridor_kzt, s.cost_equipment_kzt, s.cost_households_kzt
    );
    if let Some(lb) = s.lower_bound {
        println!(
            "  solver {}: objective {} (lower bound {})",
            s.solver, s.objective, lb
        );
    }
    if s.villages_unreachable > 0 {
        println!(
            "  {} villages unreachable from the network (written with unreachable: true)",
            s.villages_unreachable
        );
    }
    let phases: Vec<String> = t
        .phases
        .iter()
        .map(|(n, d)| format!("{n} {:.2}s", d.as_secs_f64()))
        .collect();
    println!(
        "  time {:.2}s ({}); outputs in {}",
        total.as_secs_f64(),
        phases.join(", "),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
