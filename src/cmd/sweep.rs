//! `fiberplan sweep` and `fiberplan merge`: many scenarios over one read-only planning graph.
//!
//! Each scenario's result row is made durable as soon as it is solved, in
//! `OUT/results.d/<id>.<key>.row`, where the key hashes the inputs' bytes, the settings and
//! the scenario. A restarted sweep skips rows whose file exists; changed inputs change every
//! key, so old rows are never mixed in. `results.csv` and `frontier.svg` are written when
//! every scenario of the run (or of its shard) has its row.

use super::inputs::{read_inputs, InputSpec};
use super::{data_dir, init_threads, BadInput};
use anyhow::Context;
use fiberplan_io::read_scenario_file;
use fiberplan_plan::sweep::{content_key, expand, result_row, RESULTS_HEADER};
use fiberplan_plan::{solve_plan, PlanRequest};
use fiberplan_report::frontier::{frontier_svg, FrontierPoint};
use fiberplan_report::write_atomic;
use indicatif::{ParallelProgressIterator, ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Debug, Clone)]
pub struct SweepArgs {
    /// Scenario file (TOML): inputs, a base scenario, a grid and Monte Carlo draws.
    pub file: PathBuf,
    /// Output folder.
    #[arg(long, default_value = "out/sweep")]
    pub out: PathBuf,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run only shard I of N (0-based, as Kubernetes' JOB_COMPLETION_INDEX): scenarios whose
    /// position in the file modulo N is I.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Solve at most this many new scenarios, then stop (rerun to continue).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Solver work multiplier per scenario (sweeps favour speed; `plan` uses 4).
    #[arg(long, default_value_t = 1)]
    pub effort: u32,
    /// Also write each scenario's full plan (plan.geojson, summary.json) under plans/<id>/.
    #[arg(long)]
    pub plans: bool,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct MergeArgs {
    /// Output folders of sweep shards (each holding results.csv).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write the merged results.csv and frontier.svg.
    #[arg(long)]
    pub out: PathBuf,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected I/N, e.g. 0/3"))?;
    let i: usize = i
        .parse()
        .map_err(|_| format!("{i:?} is not a shard index"))?;
    let n: usize = n
        .parse()
        .map_err(|_| format!("{n:?} is not a shard count"))?;
    if n == 0 || i >= n {
        return Err(format!("shard {i}/{n}: need 0 <= I < N"));
    }
    Ok((i, n))
}

/// Bytes of every input file, for the content key.
fn input_bytes(paths: &[PathBuf]) -> anyhow::Result<Vec<u8>> {
    let mut all = Vec::new();
    for p in paths {
        all.extend_from_slice(p.to_string_lossy().len().to_le_bytes().as_slice());
        all.extend(std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?);
    }
    Ok(all)
}

pub fn run(a: SweepArgs) -> anyhow::Result<ExitCode> {
    init_threads(a.threads)?;
    let started = Instant::now();
    let file = read_scenario_file(&a.file)?;
    let scenarios = expand(&file).map_err(|m| BadInput(format!("{}: {m}", a.file.display())))?;
    let base = a.file.parent().unwrap_or(Path::new("."));
    let rel = |p: &Option<String>| p.as_ref().map(|p| base.join(p));
    let (villages, backbone, costs) = (
        rel(&file.inputs.villages),
        rel(&file.inputs.backbone),
        rel(&file.inputs.costs),
    );
    let household_size = file.inputs.household_size.unwrap_or(3.5);
    let circuity = file.inputs.circuity.unwrap_or(1.3);
    let data = data_dir(a.data.as_deref());
    let inputs = read_inputs(&InputSpec {
        villages: villages.as_deref(),
        backbone: backbone.as_deref(),
        costs: costs.as_deref(),
        data: &data,
        household_size,
        include_isolated: false,
    })?;
    let graph = inputs.proxy_graph(circuity);
    let view = graph.steiner_view(|i| inputs.villages[i].households as i64);

    // Everything a row depends on besides the scenario itself.
    let kz = data.join("kz");
    let mut files = vec![inputs.costs_path.clone()];
    match &villages {
        Some(v) => files.push(v.clone()),
        None => files.push(kz.join("populated_places.csv")),
    }
    match &backbone {
        Some(b) => files.push(b.clone()),
        None => files.push(kz.join("railway_stations.geojson")),
    }
    files.push(kz.join("oblasts_2024.geojson"));
    files.push(kz.join("districts_2024.geojson"));
    let settings = format!(
        "fiberplan {} hh={household_size} circuity={circuity} effort={}",
        env!("CARGO_PKG_VERSION"),
        a.effort
    );
    let digest = content_key(&[&input_bytes(&files)?, settings.as_bytes()]);

    let mine: Vec<&(String, fiberplan_model::Scenario)> = scenarios
        .iter()
        .enumerate()
        .filter(|(k, _)| a.shard.is_none_or(|(i, n)| k % n == i))
        .map(|(_, s)| s)
        .collect();
    let rows_dir = a.out.join("results.d");
    std::fs::create_dir_all(&rows_dir)
        .with_context(|| format!("cannot create {}", rows_dir.display()))?;
    let row_path = |id: &str, s: &fiberplan_model::Scenario| {
        let key = content_key(&[digest.as_bytes(), format!("{id} {s:?}").as_bytes()]);
        rows_dir.join(format!("{id}.{}.row", &key[..16]))
    };
    let todo: Vec<&&(String, fiberplan_model::Scenario)> = mine
        .iter()
        .filter(|(id, s)| !row_path(id, s).exists())
        .take(a.limit.unwrap_or(usize::MAX))
        .collect();
    let skipped = mine.len()
        - mine
            .iter()
            .filter(|(id, s)| !row_path(id, s).exists())
            .count();

    let pb = ProgressBar::new(todo.len() as u64);
    pb.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} scenarios, {per_sec}, ETA {eta}")
            .expect("static template"),
    );
    let cache = fiberplan_plan::SolveCache::default();
    let solve_start = Instant::now();
    todo.par_iter().progress_with(pb.clone()).try_for_each(|(id, s)| -> anyhow::Result<()> {
        let solver = fiberplan_steiner::Options { seed: s.seed, effort: a.effort, ..Default::default() };
        let plan = solve_plan(&PlanRequest {
            villages: &inputs.villages,
            backbone: &inputs.backbone,
            graph: &graph,
            view: &view,
            costs: &inputs.costs,
            scenario: s,
            solver,
            cache: Some(&cache),
        });
        if a.plans {
            let ctx = fiberplan_report::PlanContext {
                villages: &inputs.villages,
                districts: &inputs.regions.districts,
                backbone: &inputs.backbone,
                graph: &graph,
                plan: &plan,
                inputs: serde_json::json!({ "scenario_file": a.file.display().to_string(), "scenario": id }),
            };
            let dir = a.out.join("plans").join(id);
            std::fs::create_dir_all(&dir)?;
            write_atomic(&dir.join("plan.geojson"), ctx.geojson().as_bytes())?;
            write_atomic(&dir.join("summary.json"), ctx.summary_json().as_bytes())?;
        }
        let row = result_row(id, s, &plan) + "\n";
        let p = row_path(id, s);
        write_atomic(&p, row.as_bytes()).with_context(|| format!("cannot write {}", p.display()))
    })?;
    pb.finish_and_clear();
    let solved = todo.len();
    let secs = solve_start.elapsed().as_secs_f64();

    let mut so = std::io::stdout().lock();
    let missing = mine
        .iter()
        .filter(|(id, s)| !row_path(id, s).exists())
        .count();
    if missing > 0 {
        writeln!(so,
            "fiberplan sweep: {solved} scenarios solved, {skipped} already done, {missing} left: run the same command again to continue"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = Vec::with_capacity(mine.len());
    for (id, s) in &mine {
        let p = row_path(id, s);
        rows.push(
            std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?,
        );
    }
    write_results(&a.out, &rows, &format!("{} scenarios", rows.len()))?;
    writeln!(so,
        "fiberplan sweep: {} scenarios ({solved} solved in {secs:.1}s, {:.1} per second; {skipped} already done); {} threads; total {:.1}s; results in {}",
        rows.len(),
        if secs > 0.0 { solved as f64 / secs } else { 0.0 },
        rayon::current_num_threads(),
        started.elapsed().as_secs_f64(),
        a.out.join("results.csv").display()
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Write `results.csv` (header + rows in id order) and `frontier.svg`.
fn write_results(out: &Path, rows: &[String], title: &str) -> anyhow::Result<()> {
    let mut csv = String::from(RESULTS_HEADER);
    csv.push('\n');
    for r in rows {
        csv.push_str(r);
    }
    write_atomic(&out.join("results.csv"), csv.as_bytes())
        .with_context(|| format!("cannot write {}", out.join("results.csv").display()))?;
    let cols: Vec<&str> = RESULTS_HEADER.split(',').collect();
    let col = |n: &str| cols.iter().position(|c| *c == n).expect("known column");
    let (id, hf, hw, hs, cost) = (
        col("scenario_id"),
        col("households_fibre"),
        col("households_fwa"),
        col("households_satellite"),
        col("cost_total_kzt"),
    );
    let points: Vec<FrontierPoint> = rows
        .iter()
        .map(|r| {
            let f: Vec<&str> = r.trim_end().split(',').collect();
            let n = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
            FrontierPoint {
                id: f[id].to_string(),
                households: n(hf) + n(hw) + n(hs),
                cost_kzt: f.get(cost).and_then(|x| x.parse().ok()).unwrap_or(0),
            }
        })
        .collect();
    let svg = frontier_svg(
        &points,
        &format!("fiberplan sweep: cost against households served ({title})"),
    );
    write_atomic(&out.join("frontier.svg"), svg.as_bytes())
        .with_context(|| format!("cannot write {}", out.join("frontier.svg").display()))?;
    Ok(())
}

pub fn merge(a: MergeArgs) -> anyhow::Result<ExitCode> {
    let mut rows: Vec<String> = Vec::new();
    for d in &a.dirs {
        let p = d.join("results.csv");
        let text = fiberplan_io::text::read_text(&p)?;
        let mut lines = text.lines();
        if lines.next() != Some(RESULTS_HEADER) {
            return Err(fiberplan_io::InputError::new(
                &p,
                fiberplan_io::Where::Line(1),
                "not a fiberplan results.csv (header differs)",
            )
            .into());
        }
        rows.extend(lines.map(|l| format!("{l}\n")));
    }
    rows.sort_by(|x, y| x.split(',').next().cmp(&y.split(',').next()).then(x.cmp(y)));
    rows.dedup();
    for w in rows.windows(2) {
        if w[0].split(',').next() == w[1].split(',').next() {
            return Err(BadInput(format!(
                "scenario {} has different results in two shards: were they run on different inputs?",
                w[0].split(',').next().unwrap_or("")
            ))
            .into());
        }
    }
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    write_results(&a.out, &rows, &format!("{} scenarios", rows.len()))?;
    let mut so = std::io::stdout().lock();
    writeln!(
        so,
        "fiberplan merge: {} scenarios from {} folders into {}",
        rows.len(),
        a.dirs.len(),
        a.out.join("results.csv").display()
    )?;
    Ok(ExitCode::SUCCESS)
}
