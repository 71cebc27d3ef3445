//! OSM reading speed: from opening the file to the planning graph built, on every bundled
//! extract (`data/osm/`), against pyosmium in the same run.
//!
//! `cargo bench --bench osm_read` runs
//! 1. criterion on fiberplan's pipeline (`read_osm` -> villages -> points of presence ->
//!    `build_road_graph`), one group per extract, throughput in bytes;
//! 2. a comparison table: 7 interleaved rounds per extract, each running fiberplan in
//!    process, then `tools/bench_osm_pyosmium.py` once in each of its modes (so that all
//!    see the same machine load), medians after one warm-up, as MB/s and nodes/s, with the
//!    peak resident memory of a fresh process doing one run on the file (`VmHWM`; for
//!    pyosmium `ru_maxrss`, interpreter included).
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
    )
    .expect("the bundled extracts have a few classes");
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

/// One pyosmium run of `mode` on `file` in a fresh process: (seconds, peak kB, interpreter kB).
fn pyosmium(py: &Path, file: &Path, mode: &str) -> Option<(f64, u64, u64)> {
    let out = Command::new(py)
        .arg(root().join("tools/bench_osm_pyosmium.py"))
        .args(["--repeat", "1", "--mode", mode])
        .arg(file)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("pyosmium failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next()?).ok()?;
    Some((
        v["median_s"].as_f64()?,
        v["peak_rss_kb"].as_u64()?,
        v["interpreter_rss_kb"].as_u64().unwrap_or(0),
    ))
}

/// Rounds of the comparison: each round runs fiberplan, pyosmium plain and pyosmium
/// filtered once, one after the other, so that all three see the same machine load.
const ROUNDS: usize = 7;

fn compare(costs: &CorridorCosts) {
    let py = python();
    println!("\n## OSM reading: fiberplan (file to planning graph) vs pyosmium apply_file(locations=True)");
    println!(
        "threads: {}; median of {ROUNDS} interleaved rounds (fiberplan, pyosmium plain, pyosmium filtered) after one warm-up",
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
    let mut base_kb = 0;
    for f in FILES {
        let path = root().join("data/osm").join(f);
        let mb = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        let (_, nodes) = pipeline(&path, costs);
        let (mut ours, mut plain, mut filt) = (Vec::new(), Vec::new(), Vec::new());
        let mut filt_peak = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            std::hint::black_box(pipeline(&path, costs));
            ours.push(t.elapsed().as_secs_f64());
            if let Some(py) = &py {
                if let Some((s, _, _)) = pyosmium(py, &path, "plain") {
                    plain.push(s);
                }
                if let Some((s, peak, base)) = pyosmium(py, &path, "filtered") {
                    filt.push(s);
                    filt_peak = filt_peak.max(peak);
                    base_kb = base;
                }
            }
        }
        let ours = median(ours);
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
        let n = nodes as f64;
        if plain.is_empty() || filt.is_empty() {
            println!(
                "| {f} | {mb:.2} | {nodes} | {:.1} | {:.1} | {:.2} | {:.1} | - | - | - | - | - | - |",
                ours * 1e3,
                mb / ours,
                n / ours / 1e6,
                peak as f64 / 1024.0
            );
            continue;
        }
        let (plain, filt) = (median(plain), median(filt));
        println!(
            "| {f} | {mb:.2} | {nodes} | {:.1} | {:.1} | {:.2} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {:.1} | {:.1}x |",
            ours * 1e3,
            mb / ours,
            n / ours / 1e6,
            peak as f64 / 1024.0,
            plain * 1e3,
            filt * 1e3,
            mb / filt,
            n / filt / 1e6,
            filt_peak as f64 / 1024.0,
            filt / ours
        );
    }
    if base_kb > 0 {
        println!(
            "\npyosmium peak memory includes the interpreter with osmium imported: {:.1} MB",
            base_kb as f64 / 1024.0
        );
    }
    if let Ok(l) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "load average at the end: {}",
            l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
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
