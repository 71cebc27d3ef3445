//! `fiberplan sweep` and `fiberplan merge`: many scenarios over one read-only planning graph.
//!
//! Each scenario's result row is made durable as soon as it is solved, in
//! `OUT/results.d/<id>.<key>.row`, where the key hashes the inputs' bytes, the settings and
//! the scenario. A restarted sweep skips rows whose file exists; changed inputs change every
//! key, so old rows are never mixed in. `results.csv` and `frontier.svg` are written when
//! every scenario of the run (or of its shard) has its row.

use super::{data_dir, init_threads, BadInput};
use anyhow::Context;
use fiberplan_io::read_scenario_file;
use fiberplan_load::{load, InputSpec, Planner, SolverPolicy};
use fiberplan_model::{Mode, Scenario, ScenarioFile};
use fiberplan_plan::sweep::{content_key, expand, result_row, RESULTS_HEADER};
use fiberplan_report::sweep_store::{merge_rows, write_results};
use fiberplan_report::{
    write_plan, AtomicDir, Lang, PlanContext, PlanFiles, PlanTexts, SweepStore,
};
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
    /// Solver work multiplier per scenario; the default is `plan`'s, so that a sweep's row
    /// is the plan `fiberplan plan` gives for the same scenario (lower it for speed).
    #[arg(long, default_value_t = SolverPolicy::PLAN.effort)]
    pub effort: u32,
    /// Also write each scenario's full plan (plan.geojson, summary.json) under plans/<id>/.
    #[arg(long)]
    pub plans: bool,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Price fibre villages at the cost model's flat household price instead of their
    /// last-mile designs (faster: nothing is designed).
    #[arg(long)]
    pub no_last_mile: bool,
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

/// Read a scenario file and expand it into its scenarios: the one checker `sweep` and
/// `validate --scenarios` share. The file's ranges, empty grids and the scenario count
/// (at most `ScenarioFile::MAX_SCENARIOS`, with checked multiplication) are checked before
/// anything is expanded; then each scenario on its own.
pub(crate) fn read_scenarios(
    path: &Path,
) -> anyhow::Result<(ScenarioFile, Vec<(String, Scenario)>)> {
    let file = read_scenario_file(path)?;
    let scenarios = expand(&file).map_err(|m| BadInput(format!("{}: {m}", path.display())))?;
    Ok((file, scenarios))
}

/// A warning per parameter the file varies that none of its modes uses, and (at the flat
/// household price, `last_mile: false`) a take-up set anywhere in the file. `validate
/// --scenarios` checks a file as a default sweep runs it (`last_mile: true`).
pub(crate) fn no_effect_warnings(path: &Path, file: &ScenarioFile, last_mile: bool) -> Vec<String> {
    file.parameters_without_effect(last_mile)
        .into_iter()
        .map(|w| format!("{}: {w}", path.display()))
        .collect()
}

/// A warning, in one line, when quota scenarios ask for more households than the inputs
/// hold (such a quota cannot be met).
pub(crate) fn quota_warning(
    path: &Path,
    scenarios: &[(String, Scenario)],
    households: u64,
) -> Option<String> {
    let over: Vec<(&String, u64)> = scenarios
        .iter()
        .filter(|(_, s)| s.mode == Mode::Quota)
        .filter_map(|(id, s)| s.target_households.map(|t| (id, t)))
        .filter(|(_, t)| *t > households)
        .collect();
    let (first, _) = over.first()?;
    let largest = over.iter().map(|(_, t)| *t).max().unwrap_or(0);
    Some(format!(
        "{}: {} of {} scenarios (first {first}) set target_households above the inputs' {households} households (largest {largest}): their quota cannot be met",
        path.display(),
        over.len(),
        scenarios.len()
    ))
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

pub fn run(a: SweepArgs) -> anyhow::Result<ExitCode> {
    init_threads(a.threads)?;
    super::check_effort(a.effort)?;
    let started = Instant::now();
    let (file, scenarios) = read_scenarios(&a.file)?;
    let spec =
        InputSpec::bundled(&data_dir(a.data.as_deref())).with_scenario_file(&a.file, &file)?;
    let inputs = load(&spec)?;
    let households: u64 = inputs.villages.iter().map(|v| v.households).sum();
    for w in no_effect_warnings(&a.file, &file, !a.no_last_mile)
        .into_iter()
        .chain(quota_warning(&a.file, &scenarios, households))
    {
        eprintln!("fiberplan: warning: {w}");
    }
    let planner = Planner::new(&inputs, SolverPolicy::sweep(a.effort));

    // Everything a row depends on besides the scenario itself.
    let settings = format!(
        "fiberplan {} hh={} circuity={} effort={}",
        env!("CARGO_PKG_VERSION"),
        spec.settings.household_size,
        spec.settings.circuity,
        a.effort
    );
    // The last mile: each village laid out once and designed once per take-up, its design
    // re-priced by every scenario at that take-up (only its bill is kept); the rows then
    // depend on the last-mile model too. With more than one take-up the layouts (trench
    // trees) are kept, so a new take-up re-designs on them without solving them again.
    let last_mile = if a.no_last_mile {
        None
    } else {
        let stage = super::village::last_mile_stage(&inputs, None, a.data.as_deref(), false)?;
        // Distinct take-ups as the stage tells them apart (its design keys).
        let take_ups: std::collections::BTreeSet<u64> = scenarios
            .iter()
            .map(|(_, s)| {
                fiberplan_access::plan_stage::LastMileStage::take_up_key(stage.take_up_of(s))
            })
            .collect();
        Some(stage.keep_layouts(take_ups.len() > 1))
    };
    let last_mile_bytes = match &last_mile {
        Some(_) => {
            fiberplan_io::text::files_bytes(&[data_dir(a.data.as_deref()).join("last_mile.toml")])?
        }
        None => b"flat household price".to_vec(),
    };
    // The header too: rows written under another set of columns are not taken.
    let digest = content_key(&[
        &fiberplan_io::text::files_bytes(&spec.files())?,
        settings.as_bytes(),
        &last_mile_bytes,
        RESULTS_HEADER.as_bytes(),
    ]);
    let store = SweepStore::open(&a.out, digest)
        .with_context(|| format!("cannot create {}", a.out.join("results.d").display()))?;

    let mine: Vec<&(String, Scenario)> = scenarios
        .iter()
        .enumerate()
        .filter(|(k, _)| a.shard.is_none_or(|(i, n)| k % n == i))
        .map(|(_, s)| s)
        .collect();
    let todo: Vec<&&(String, Scenario)> = mine
        .iter()
        .filter(|(id, s)| !store.has(id, s))
        .take(a.limit.unwrap_or(usize::MAX))
        .collect();
    let skipped = mine.iter().filter(|(id, s)| store.has(id, s)).count();

    let pb = ProgressBar::new(todo.len() as u64);
    pb.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} scenarios, {per_sec}, ETA {eta}")
            .expect("static template"),
    );
    let solve_start = Instant::now();
    todo.par_iter()
        .progress_with(pb.clone())
        .try_for_each(|(id, s)| -> anyhow::Result<()> {
            let mut plan = planner.plan(s)?;
            if let Some(stage) = &last_mile {
                super::village::price_last_mile(stage, &planner, s, &mut plan)?;
            }
            if a.plans {
                let ctx = PlanContext {
                    villages: &inputs.villages,
                    districts: &inputs.regions.districts,
                    backbone: &inputs.backbone,
                    graph: &inputs.graph,
                    plan: &plan,
                    inputs: serde_json::json!({ "scenario_file": a.file.display().to_string(), "scenario": id }),
                    mobile: None,
                    scenario: s,
                };
                let dir = a.out.join("plans").join(id);
                let mut out = AtomicDir::new(&dir).map_err(super::plan::out_fault)?;
                let polygons = &inputs.regions.district_polygons;
                let (csv, summary) = (ctx.villages_csv(), ctx.summary_json());
                let texts = PlanTexts {
                    villages_csv: &csv,
                    summary_json: &summary,
                    last_mile: None,
                };
                write_plan(&mut out, &ctx, polygons, Lang::Ru, PlanFiles::Data, texts)
                    .with_context(|| format!("in {}", dir.display()))?;
                out.commit().map_err(super::plan::out_fault)?;
            }
            let take_up = last_mile
                .as_ref()
                .map(|stage| stage.take_up_of(s));
            let row = result_row(id, s, &plan, take_up) + "\n";
            store
                .put(id, s, &row)
                .with_context(|| format!("cannot write {}", store.row_path(id, s).display()))
        })?;
    pb.finish_and_clear();
    let solved = todo.len();
    let secs = solve_start.elapsed().as_secs_f64();

    let mut so = std::io::stdout().lock();
    let missing = mine.iter().filter(|(id, s)| !store.has(id, s)).count();
    if missing > 0 {
        writeln!(so,
            "fiberplan sweep: {solved} scenarios solved, {skipped} already done, {missing} left: run the same command again to continue"
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut rows = Vec::with_capacity(mine.len());
    for (id, s) in &mine {
        rows.push(
            store
                .get(id, s)
                .with_context(|| format!("cannot read {}", store.row_path(id, s).display()))?,
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
    let rows = merge_rows(rows).map_err(|e| BadInput(e.to_string()))?;
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
