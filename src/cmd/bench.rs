//! `fiberplan bench`: the national-scale benchmark (issue 8).
//!
//! `generate` writes the benchmark input: the bundled Kazakhstan villages (households as
//! prizes) and points of presence (contracted into node 1) on a road proxy with junctions
//! that are not villages, densified to OSM-like node spacing ([`road_proxy`]), as SteinLib.
//! The file is made from the seed, so it is never committed; it goes under /tmp.
//! `generate --roads-out FILE.geojson [--roads-km K]` writes the same proxy's roads as a
//! map (issue 15's programme-scale benchmark of `coverage roads`): RFC 7946 LineStrings,
//! one per straight proxy road, with `id`, `class` and `km`, and a top-level `note` saying
//! that they are generated, not real roads. With `--roads-km`, only the network that
//! [`road_proxy::grow`] grows from the largest village, joining villages from the most
//! households down by shortest paths until it holds K km, so a benchmark has a network of
//! about K km. Classes: the village whose joining added a road decides
//! ([`road_proxy::ProxyClass::of_households`]); roads on no joining path are `local`.
//!
//! `run` times each phase of reading and solving one instance (file read, parse with the
//! CSR build, solve, writing the tree) and the peak resident memory (VmHWM), and prints one
//! JSON line. The solver's own reductions are timed again on their own after the run (the
//! `after_run` figures: they are not part of the total or the peak), so one can see how the
//! solve splits between reductions and search.

use super::BadInput;
use anyhow::Context;
use fiberplan_io::stp::{format_fixed, parse_fixed, parse_stp, write_stp, StpInstance};
use fiberplan_io::{read_national, NationalOptions};
use fiberplan_model::LonLat;
use fiberplan_network::country_mask::CountryMask;
use fiberplan_network::geodesy::distance_m;
use fiberplan_network::road_proxy::{self, RoadProxyOptions};
use fiberplan_report::write_atomic;
use fiberplan_steiner::{
    solve_pcst, solve_quota, solve_steiner, Cost, Graph, NodeId, Options, Solution,
};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// National-scale benchmark: generate the input, time a run.
#[derive(clap::Subcommand, Debug)]
pub enum BenchCmd {
    /// Write the national benchmark instance (villages and points of presence on a
    /// densified road proxy with junctions) as SteinLib, deterministic from the seed.
    Generate(GenerateArgs),
    /// Read and solve one instance, timing each phase; prints one JSON line.
    Run(RunArgs),
    /// A scenario sweep at national scale: household quotas x corridor price factors on
    /// one prize instance, one shared reduction; prints one JSON line with the rate.
    Sweep(SweepArgs),
}

/// `fiberplan bench generate`.
#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// Output .stp file (large: put it under /tmp).
    #[arg(long, required_unless_present = "roads_out")]
    pub out: Option<PathBuf>,
    /// Also (or only) write the proxy's roads as GeoJSON LineStrings with `class` and `id`
    /// (a generated proxy for benchmarks of `coverage roads`, not real roads).
    #[arg(long, value_name = "FILE.geojson")]
    pub roads_out: Option<PathBuf>,
    /// Write only the network grown from the largest village, joining villages from the
    /// most households down by shortest paths, until it holds this many km.
    #[arg(long, value_name = "K", requires = "roads_out")]
    pub roads_km: Option<f64>,
    /// Seed of the junctions and of the roads kept.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Longest piece of road between consecutive nodes, metres.
    #[arg(long, default_value_t = 300.0)]
    pub spacing_m: f64,
    /// Road junctions that are not villages.
    #[arg(long, default_value_t = RoadProxyOptions::default().junctions)]
    pub junctions: usize,
    /// Bundled data folder (default: see `fiberplan plan --help`).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

/// `fiberplan bench run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Instance (.stp or .gr).
    pub file: PathBuf,
    /// Prize instances: least-cost tree holding at least this much prize (file units).
    #[arg(long, value_name = "H", conflicts_with_all = ["quota_share", "connect_all"])]
    pub quota: Option<String>,
    /// Prize instances: the quota as a share of all prizes (0.5: half the households).
    #[arg(long, value_name = "F", conflicts_with = "connect_all")]
    pub quota_share: Option<f64>,
    /// Prize instances: connect every node with a prize (a Steiner tree over them and the
    /// root) instead of the prize-collecting objective.
    #[arg(long)]
    pub connect_all: bool,
    /// Write the tree here in PACE 2018 form (default: formatted and discarded).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Solver seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: RAYON_NUM_THREADS when set, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Skip the after-run timing of the reductions and the CSR build on their own.
    #[arg(long)]
    pub no_phase_detail: bool,
}

/// `fiberplan bench sweep`.
#[derive(clap::Args, Debug)]
pub struct SweepArgs {
    /// Prize instance (.stp with TP lines, e.g. from `bench generate`).
    pub file: PathBuf,
    /// Household quotas: this many, evenly spaced up to `--max-share` of all prizes.
    #[arg(long, default_value_t = 40)]
    pub targets: usize,
    /// Largest quota as a share of all prizes.
    #[arg(long, default_value_t = 0.6)]
    pub max_share: f64,
    /// Uniform corridor price factors (a factor scales every edge alike, so the trees of
    /// one quota are shared across factors, as `fiberplan sweep` shares them).
    #[arg(long, value_delimiter = ',', default_value = "0.8,0.9,1.0,1.15,1.3")]
    pub price_factors: Vec<f64>,
    /// Solver effort per scenario (as in seeds/bench.toml).
    #[arg(long, default_value_t = 1)]
    pub effort: u32,
    /// Solver seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: RAYON_NUM_THREADS when set, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write one CSV row per scenario here.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs a `bench` subcommand.
pub fn run(cmd: BenchCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCmd::Generate(a) => generate(a),
        BenchCmd::Run(a) => run_bench(a),
        BenchCmd::Sweep(a) => sweep(a),
    }
}

fn generate(a: GenerateArgs) -> anyhow::Result<ExitCode> {
    if !(a.spacing_m.is_finite() && a.spacing_m >= 1.0) {
        return Err(BadInput("--spacing-m must be at least 1 metre".into()).into());
    }
    if let Some(k) = a.roads_km {
        if !(k.is_finite() && k > 0.0 && k <= 10_000_000.0) {
            return Err(BadInput(format!("--roads-km {k} is outside (0, 10000000]")).into());
        }
    }
    let started = Instant::now();
    let data = super::data_dir(a.data.as_deref());
    let nd = read_national(&data.join("kz"), &NationalOptions::default())?;
    let read_s = started.elapsed().as_secs_f64();
    let mask = CountryMask::new(&nd.regions.country);
    let villages: Vec<(LonLat, Cost)> = nd
        .villages
        .iter()
        .map(|v| (v.lonlat, v.households as Cost))
        .collect();
    let pops: Vec<LonLat> = nd.backbone.pops.iter().map(|p| p.lonlat).collect();
    let opts = RoadProxyOptions {
        seed: a.seed,
        spacing_m: a.spacing_m,
        junctions: a.junctions,
        ..RoadProxyOptions::default()
    };
    let t = Instant::now();
    let (proxy, net) = road_proxy::build_with_roads(&villages, &pops, &mask, &opts);
    let build_s = t.elapsed().as_secs_f64();
    let s = &proxy.stats;
    let comment = format!(
        "fiberplan bench generate --seed {} --spacing-m {} --junctions {}: bundled Kazakhstan \
         villages (households as prizes) and points of presence (contracted into node 1) on a \
         Delaunay road proxy with {} junctions, densified; {} nodes, {} edges, {} km of road",
        a.seed,
        a.spacing_m,
        a.junctions,
        s.junctions,
        s.nodes,
        s.edges,
        s.road_m / 1000
    );
    let t = Instant::now();
    if let Some(out) = &a.out {
        let text = write_stp(&proxy.instance, &comment);
        std::fs::write(out, text.as_bytes())
            .with_context(|| format!("{}: cannot write", out.display()))?;
    }
    let write_s = t.elapsed().as_secs_f64();
    let roads = match &a.roads_out {
        Some(path) => {
            let t = Instant::now();
            let mut r = write_roads(path, &net, &a)?;
            r["roads_s"] = serde_json::json!(t.elapsed().as_secs_f64());
            r
        }
        None => serde_json::Value::Null,
    };
    let v = serde_json::json!({
        "out": a.out.as_ref().map(|p| p.display().to_string()),
        "seed": a.seed,
        "spacing_m": a.spacing_m,
        "villages": s.villages,
        "pops": s.pops,
        "junctions": s.junctions,
        "delaunay_edges": s.delaunay_edges,
        "roads": s.roads,
        "road_km": s.road_m / 1000,
        "nodes": s.nodes,
        "edges": s.edges,
        "terminals": proxy.instance.terminals.len(),
        "households": proxy.instance.total_prize(),
        "branching_non_terminals": s.branching_non_terminals,
        "read_s": read_s,
        "build_s": build_s,
        "write_s": write_s,
        "roads": roads,
        "peak_rss_mib": peak_rss_mib(),
    });
    println!("{v}");
    Ok(ExitCode::SUCCESS)
}

/// Writes the proxy's roads as GeoJSON (all of them, or the grown network of about
/// `--roads-km`) and returns their figures.
fn write_roads(
    path: &std::path::Path,
    net: &road_proxy::ProxyRoads,
    a: &GenerateArgs,
) -> anyhow::Result<serde_json::Value> {
    use road_proxy::ProxyClass;
    let max_m = a.roads_km.map(|k| (k * 1000.0).round() as i64);
    let growth = road_proxy::grow(net, max_m);
    // Micro-degrees (about 0.1 m): the lengths below are those of the written coordinates.
    let round = |p: LonLat| [(p[0] * 1e6).round() / 1e6, (p[1] * 1e6).round() / 1e6];
    let mut features = Vec::new();
    let mut by_class = [0.0f64; 3];
    let mut count = [0usize; 3];
    for (i, road) in net.roads.iter().enumerate() {
        let class = match (growth.class[i], max_m) {
            (None, Some(_)) => continue,
            (c, _) => c.unwrap_or(ProxyClass::Local),
        };
        let [p, q] = road.ends.map(|e| round(net.points[e as usize]));
        let km = distance_m(p, q) / 1000.0;
        let k = class as usize;
        by_class[k] += km;
        count[k] += 1;
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [p, q]},
            "properties": {
                "id": format!("r{i}"),
                "class": class.as_str(),
                "ref": "",
                "km": (km * 1000.0).round() / 1000.0,
                "spanning_tree": road.spanning,
                "joins_village_households": growth.joined_by[i]
                    .map(|v| net.households[v as usize]),
            }
        }));
    }
    let total_km: f64 = by_class.iter().sum();
    let n_features = features.len();
    let what = match a.roads_km {
        Some(k) => format!(
            "the network grown from the largest village, joining villages from the most \
             households down by shortest paths over the proxy's roads until it holds {k} km \
             (it stops on the first path that reaches it)"
        ),
        None => "every road of the proxy".to_string(),
    };
    let note = format!(
        "GENERATED PROXY, NOT REAL ROADS: straight lines between the bundled Kazakhstan \
         villages, points of presence and random junctions (crates/network/src/road_proxy.rs), \
         for benchmarks only; never use it in a plan: Kazakhstan's own OpenStreetMap extract is \
         the real input. This file holds {what}. class: the village whose joining added the \
         road decides: republican from {} households, oblast from {}, local below (and roads on \
         no joining path).",
        road_proxy::REPUBLICAN_HOUSEHOLDS,
        road_proxy::OBLAST_HOUSEHOLDS
    );
    let fc = serde_json::json!({
        "type": "FeatureCollection",
        "note": note,
        "generator": {
            "command": "fiberplan bench generate",
            "seed": a.seed,
            "junctions": a.junctions,
            "roads_km": a.roads_km,
            "republican_households": road_proxy::REPUBLICAN_HOUSEHOLDS,
            "oblast_households": road_proxy::OBLAST_HOUSEHOLDS,
        },
        "features": features,
    });
    let mut text = serde_json::to_string(&fc).context("serialising the roads")?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    let r1 = |x: f64| (x * 10.0).round() / 10.0;
    Ok(serde_json::json!({
        "roads_out": path.display().to_string(),
        "roads_km_asked": a.roads_km,
        "features": n_features,
        "road_km": r1(total_km),
        "km_by_class": {
            "republican": r1(by_class[0]),
            "oblast": r1(by_class[1]),
            "local": r1(by_class[2]),
        },
        "roads_by_class": {
            "republican": count[0],
            "oblast": count[1],
            "local": count[2],
        },
        "villages_on_network": growth.villages,
        "households_on_network": growth.households,
        "villages_unreachable": growth.unreachable,
    }))
}

/// Which problem a run solves.
enum Mode {
    Steiner,
    Pcst,
    Quota(Cost),
}

fn run_bench(a: RunArgs) -> anyhow::Result<ExitCode> {
    super::check_threads(a.threads)?;
    let started = Instant::now();
    let (mut stp, read_s, parse_s) = read_instance(&a.file)?;

    let total_prize = stp.instance.total_prize();
    let mode = if let Some(q) = &a.quota {
        Mode::Quota(parse_fixed(q, stp.decimals).with_context(|| {
            format!("--quota {q}: not a non-negative number in the file's units")
        })?)
    } else if let Some(f) = a.quota_share {
        if !(0.0..=1.0).contains(&f) {
            return Err(BadInput("--quota-share must be between 0 and 1".into()).into());
        }
        Mode::Quota((total_prize as f64 * f).ceil() as Cost)
    } else if a.connect_all || !stp.prize_collecting {
        Mode::Steiner
    } else {
        Mode::Pcst
    };
    if matches!(mode, Mode::Quota(_)) && !stp.prize_collecting {
        return Err(BadInput(format!(
            "{}: a quota needs an instance with prizes (TP lines)",
            a.file.display()
        ))
        .into());
    }
    let t = Instant::now();
    if matches!(mode, Mode::Steiner) && stp.prize_collecting {
        // Every node with a prize becomes a terminal.
        let inst = &mut stp.instance;
        let root = inst.root;
        let mut terms: Vec<NodeId> = (0..inst.prizes.len() as NodeId)
            .filter(|&v| inst.prizes[v as usize] > 0 && Some(v) != root)
            .chain(inst.terminals.iter().copied())
            .collect();
        terms.sort_unstable();
        terms.dedup();
        inst.terminals = terms;
        inst.prizes = Vec::new();
    }
    let prepare_s = t.elapsed().as_secs_f64();
    let opts = Options {
        seed: a.seed,
        threads: a.threads,
        trace: super::steiner::trace_from_env(),
        ..Options::default()
    };
    let t = Instant::now();
    let inst = &stp.instance;
    let sol: Solution = match mode {
        Mode::Steiner => solve_steiner(inst, &opts),
        Mode::Pcst => solve_pcst(inst, &opts),
        Mode::Quota(q) => solve_quota(inst, q, &opts),
    };
    let solve_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut tree = String::new();
    let _ = writeln!(tree, "VALUE {}", stp.format_value(sol.objective));
    let g = &inst.graph;
    for &e in &sol.edges {
        let (u, v, _) = g.edge(e);
        let _ = writeln!(tree, "{} {}", u + 1, v + 1);
    }
    if let Some(path) = &a.out {
        write_atomic(path, tree.as_bytes())
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    drop(tree);
    let write_s = t.elapsed().as_secs_f64();
    let total_s = started.elapsed().as_secs_f64();
    let peak = peak_rss_mib();

    let fmt = |v: Cost| format_fixed(v, stp.decimals);
    let gap = sol
        .lower_bound
        .filter(|&lb| lb > 0)
        .map(|lb| 100.0 * (sol.objective - lb) as f64 / lb as f64);
    let (mode_name, quota) = match mode {
        Mode::Steiner => ("steiner", None),
        Mode::Pcst => ("pcst", None),
        Mode::Quota(q) => ("quota", Some(fmt(q))),
    };
    let mut v = serde_json::json!({
        "file": a.file.display().to_string(),
        "nodes": g.num_nodes(),
        "edges": g.num_edges(),
        "terminals": inst.terminals.len(),
        "mode": mode_name,
        "quota": quota,
        "total_prize": fmt(total_prize),
        "cost": fmt(sol.cost),
        "prize": fmt(sol.prize),
        "objective": fmt(sol.objective),
        "lower_bound": sol.lower_bound.map(fmt),
        "gap_pct": gap,
        "solver": &sol.solver,
        "cut_short": sol.cut_short,
        "unreachable": sol.unreachable.len(),
        "tree_edges": sol.edges.len(),
        "threads": opts.threads.unwrap_or_else(rayon::current_num_threads),
        "read_s": read_s,
        "parse_csr_s": parse_s,
        "prepare_s": prepare_s,
        "solve_s": solve_s,
        "write_s": write_s,
        "total_s": total_s,
        "peak_rss_mib": peak,
    });
    if !a.no_phase_detail {
        // Informational, after the measured run: the CSR build and the solver's reductions
        // on their own (the solve above includes its reductions).
        let t = Instant::now();
        let rebuilt = Graph::from_edges(g.num_nodes(), g.edges());
        let csr_s = t.elapsed().as_secs_f64();
        drop(rebuilt);
        // The reduction the solver ran for this problem.
        let t = Instant::now();
        let red = match &mode {
            Mode::Steiner => {
                let mut terminals = vec![false; g.num_nodes()];
                for &t in inst.terminals.iter().chain(&inst.root) {
                    terminals[t as usize] = true;
                }
                fiberplan_steiner::reduce::reduce_steiner(g, &terminals, 16)
            }
            Mode::Pcst => {
                fiberplan_steiner::reduce::reduce_pcst(g, &inst.prize_vec(), inst.root, 16)
            }
            Mode::Quota(_) => fiberplan_steiner::quota::rooted_prize_reduction(inst).0,
        };
        let reduce_s = t.elapsed().as_secs_f64();
        drop(red);
        // The sizes are the solver's own figures.
        let reduced = sol.reduced.unwrap_or_default();
        v["after_run"] = serde_json::json!({
            "csr_build_s": csr_s,
            "reduce_s": reduce_s,
            "reduced_nodes": reduced.nodes,
            "reduced_edges": reduced.edges,
        });
    }
    println!("{v}");
    Ok(ExitCode::SUCCESS)
}

/// Reads a SteinLib or PACE file, timing the file read and the parse (with the CSR build).
fn read_instance(path: &std::path::Path) -> anyhow::Result<(StpInstance, f64, f64)> {
    let t = Instant::now();
    let text = std::fs::read_to_string(path)
        .map_err(|e| fiberplan_io::InputError::file(path, format!("cannot read: {e}")))?;
    let read_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let stp: StpInstance = parse_stp(&text).map_err(|e| e.at(path))?;
    Ok((stp, read_s, t.elapsed().as_secs_f64()))
}

fn sweep(a: SweepArgs) -> anyhow::Result<ExitCode> {
    super::check_threads(a.threads)?;
    super::check_effort(a.effort)?;
    if a.targets == 0 || !(a.max_share > 0.0 && a.max_share <= 1.0) {
        return Err(
            BadInput("--targets must be at least 1 and --max-share in (0, 1]".into()).into(),
        );
    }
    // Factors as integer per-mille, so scaled costs stay integers.
    let mut factors = Vec::new();
    for &f in &a.price_factors {
        if !(f.is_finite() && f > 0.0 && f <= 100.0) {
            return Err(BadInput(format!("--price-factors: {f} is not in (0, 100]")).into());
        }
        factors.push((f * 1000.0).round() as Cost);
    }
    let started = Instant::now();
    let (stp, read_s, parse_s) = read_instance(&a.file)?;
    if !stp.prize_collecting {
        return Err(BadInput(format!(
            "{}: a sweep of quotas needs an instance with prizes (TP lines)",
            a.file.display()
        ))
        .into());
    }
    let inst = &stp.instance;
    let total = inst.total_prize();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    // One reduction for every scenario: quota trees live on the prize nodes and the root.
    let t = Instant::now();
    let (red, rinst) = fiberplan_steiner::quota::rooted_prize_reduction(inst);
    let reduce_s = t.elapsed().as_secs_f64();
    let quotas: Vec<Cost> = (1..=a.targets)
        .map(|i| (total as f64 * a.max_share * i as f64 / a.targets as f64).ceil() as Cost)
        .collect();
    let opts = Options {
        seed: a.seed,
        threads: Some(1),
        effort: a.effort,
        reduce: false,
        lower_bound: false,
        ..Options::default()
    };
    // Scenarios in parallel, each solve on one thread; results in quota order.
    let t = Instant::now();
    let solved: Vec<(Cost, Cost)> = pool.install(|| {
        use rayon::prelude::*;
        quotas
            .par_iter()
            .map(|&q| {
                let s = solve_quota(&rinst, q, &opts);
                (s.cost, s.prize)
            })
            .collect()
    });
    let solve_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let fmt = |v: Cost| format_fixed(v, stp.decimals);
    let mut csv = String::from("quota,price_factor,cost,prize\n");
    for (&q, &(cost, prize)) in quotas.iter().zip(&solved) {
        for (&f, &pm) in a.price_factors.iter().zip(&factors) {
            let scaled = ((cost as i128 * pm as i128 + 500) / 1000) as Cost;
            let _ = writeln!(csv, "{},{f},{},{}", fmt(q), fmt(scaled), fmt(prize));
        }
    }
    if let Some(path) = &a.out {
        write_atomic(path, csv.as_bytes())
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    let write_s = t.elapsed().as_secs_f64();
    let total_s = started.elapsed().as_secs_f64();
    let scenarios = quotas.len() * factors.len();
    let v = serde_json::json!({
        "file": a.file.display().to_string(),
        "nodes": inst.graph.num_nodes(),
        "edges": inst.graph.num_edges(),
        "reduced_nodes": red.graph.num_nodes(),
        "reduced_edges": red.graph.num_edges(),
        "total_prize": fmt(total),
        "scenarios": scenarios,
        "solves": quotas.len(),
        "effort": a.effort,
        "threads": pool.current_num_threads(),
        "read_s": read_s,
        "parse_csr_s": parse_s,
        "reduce_s": reduce_s,
        "solve_s": solve_s,
        "write_s": write_s,
        "total_s": total_s,
        "scenarios_per_s_solve": scenarios as f64 / (reduce_s + solve_s),
        "scenarios_per_s_total": scenarios as f64 / total_s,
        "peak_rss_mib": peak_rss_mib(),
    });
    println!("{v}");
    Ok(ExitCode::SUCCESS)
}

/// Peak resident set size of this process so far (VmHWM), MiB; None off Linux.
fn peak_rss_mib() -> Option<f64> {
    let kb = fiberplan_load::Resident::now().peak_kb?;
    Some((kb as f64 / 1024.0 * 10.0).round() / 10.0)
}
