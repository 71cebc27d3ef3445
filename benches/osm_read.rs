//! OSM reading speed: from opening the file to the planning graph built, on every bundled
//! extract (`data/osm/`), against pyosmium in the same run.
//!
//! `cargo bench --bench osm_read` runs
//! 1. criterion on fiberplan's pipeline (`read_osm` -> villages -> points of presence ->
//!    `build_road_graph`), one group per extract, throughput in bytes;
//! 2. a comparison table: the median of 5 in-process runs (after one warm-up) against
//!    `tools/bench_osm_pyosmium.py` (median of 5, both its modes), as MB/s and nodes/s,
//!    with the peak resident memory of a fresh process doing one run on the file
//!    (`VmHWM`; for pyosmium `ru_maxrss`, interpreter included).
//!
//! The Python used for the peer is `$FIBERPLAN_PYOSMIUM`, else
//! `~/.cache/fiberplan-peers/osm-venv/bin/python` (see the script for its setup); without
//! it the comparison says so and shows fiberplan alone.

use criterion::{Criterion, Throughput};
use fiberplan_io::osm::{
    backbone_from_osm, read_osm, villages_from_places, OsmReadOptions, VillageOptions,
};
use fiberplan_model::CorridorCosts;
use fiberplan_network::roads::{build_road_graph, RoadGraph, RoadGraphOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const FILES: &[&str] = &[
    "almaty_2013.osm.pbf",
    "andorra.osm.pbf",
    "harsdorf.osm.pbf",
    "neudrossenfeld.osm.pbf",
    "neudrossenfeld.osm.gz",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn costs() -> CorridorCosts {
    fiberplan_io::read_costs(&root().join("data/costs.toml"))
        .expect("data/costs.toml")
        .corridor
}

/// The measured pipeline: file to planning graph. Returns the graph and the file's nodes.
fn pipeline(path: &Path, costs: &CorridorCosts) -> (RoadGraph, u64) {
    let osm = read_osm(path, &OsmReadOptions::default()).expect("bundled extract reads");
    let villages = villages_from_places(&osm, &VillageOptions::default());
    let (backbone, _) = backbone_from_osm(&osm);
    let g = build_road_graph(
        &osm,
        &villages,
        &backbone,
        costs,
        &RoadGraphOptions::default(),
    );
    (g, osm.stats.nodes)
}

fn peak_kb() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Child mode: one run on one file, print the peak memory in kB.
fn child(path: &str) {
    let costs = costs();
    let (g, _) = pipeline(Path::new(path), &costs);
    std::hint::black_box(&g);
    println!("{}", peak_kb());
}

fn criterion_runs(c: &mut Criterion, costs: &CorridorCosts) {
    for f in FILES {
        let path = root().join("data/osm").join(f);
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let mut group = c.benchmark_group("osm_read");
        group.throughput(Throughput::Bytes(bytes));
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(2));
        group.bench_function(*f, |b| b.iter(|| pipeline(&path, costs)));
        group.finish();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FIBERPLAN_PYOSMIUM") {
        return Some(p.into());
    }
    let home = std::env::var_os("HOME")?;
    let p = PathBuf::from(home).join(".cache/fiberplan-peers/osm-venv/bin/python");
    p.exists().then_some(p)
}

struct Peer {
    median_s: f64,
    peak_kb: u64,
}

/// pyosmium on one file: (plain, filtered).
fn pyosmium(py: &Path, file: &Path) -> Option<(Peer, Peer, u64)> {
    let out = Command::new(py)
        .arg(root().join("tools/bench_osm_pyosmium.py"))
        .args(["--repeat", "5"])
        .arg(file)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("pyosmium failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let mut plain = None;
    let mut filtered = None;
    let mut base = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let p = Peer {
            median_s: v["median_s"].as_f64()?,
            peak_kb: v["peak_rss_kb"].as_u64()?,
        };
        base = v["interpreter_rss_kb"].as_u64().unwrap_or(0);
        match v["mode"].as_str()? {
            "plain" => plain = Some(p),
            _ => filtered = Some(p),
        }
    }
    Some((plain?, filtered?, base))
}

fn compare(costs: &CorridorCosts) {
    let py = python();
    println!("\n## OSM reading: fiberplan (file to planning graph) vs pyosmium apply_file(locations=True)");
    println!(
        "threads: {}; median of 5 runs after one warm-up",
        rayon::current_num_threads()
    );
    match &py {
        Some(p) => println!("peer: {}", p.display()),
        None => println!("peer: pyosmium not found (set FIBERPLAN_PYOSMIUM): fiberplan alone"),
    }
    println!(
        "\n| extract | MB | nodes | fiberplan ms | MB/s | M nodes/s | peak MB | pyosmium plain ms | filtered ms | MB/s (filtered) | M nodes/s (filtered) | peak MB (filtered) | speed-up vs filtered |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for f in FILES {
        let path = root().join("data/osm").join(f);
        let mb = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let (_, nodes) = pipeline(&path, costs);
        let runs: Vec<f64> = (0..5)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(pipeline(&path, costs));
                t.elapsed().as_secs_f64()
            })
            .collect();
        let ours = median(runs);
        let exe = std::env::current_exe().expect("bench binary");
        let peak = Command::new(exe)
            .env("FIBERPLAN_OSM_BENCH_CHILD", &path)
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .unwrap_or(0);
        let peer = py.as_ref().and_then(|p| pyosmium(p, &path));
        let n = nodes as f64;
        match peer {
            Some((plain, filt, _)) => println!(
                "| {f} | {mb:.2} | {nodes} | {:.1} | {:.1} | {:.2} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {:.1} | {:.1}x |",
                ours * 1e3,
                mb / ours,
                n / ours / 1e6,
                peak as f64 / 1024.0,
                plain.median_s * 1e3,
                filt.median_s * 1e3,
                mb / filt.median_s,
                n / filt.median_s / 1e6,
                filt.peak_kb as f64 / 1024.0,
                filt.median_s / ours
            ),
            None => println!(
                "| {f} | {mb:.2} | {nodes} | {:.1} | {:.1} | {:.2} | {:.1} | - | - | - | - | - | - |",
                ours * 1e3,
                mb / ours,
                n / ours / 1e6,
                peak as f64 / 1024.0
            ),
        }
    }
    if let Some(p) = &py {
        if let Some((_, _, base)) = pyosmium(p, &root().join("data/osm/harsdorf.osm.pbf")) {
            println!(
                "\npyosmium peak memory includes the interpreter with osmium imported: {:.1} MB",
                base as f64 / 1024.0
            );
        }
    }
}

fn main() {
    if let Ok(path) = std::env::var("FIBERPLAN_OSM_BENCH_CHILD") {
        child(&path);
        return;
    }
    let costs = costs();
    let mut c = Criterion::default().configure_from_args();
    criterion_runs(&mut c, &costs);
    c.final_summary();
    compare(&costs);
}
