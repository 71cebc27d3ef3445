//! `fiberplan steiner`: solve SteinLib / PACE instances and benchmark against known optima.
//!
//! `solve` prints PACE 2018 output (`VALUE x`, then `u v` per edge with the file's 1-based
//! ids; `V v` for a one-vertex tree); `--json` prints figures instead. `bench` solves many
//! files and prints a per-instance gap table plus the mean, optionally as CSV.

use anyhow::Context;
use fiberplan_io::stp::{format_fixed, parse_fixed, read_stp, StpInstance};
use fiberplan_steiner::{
    solve_budget, solve_pcst, solve_quota, solve_steiner, Cost, Options, Solution, Trace,
};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Steiner tree and prize-collecting Steiner tree solver.
#[derive(clap::Subcommand, Debug)]
pub enum SteinerCmd {
    /// Solve one SteinLib .stp or PACE .gr instance; prints the tree in PACE 2018 form.
    Solve(SolveArgs),
    /// Solve many instances and compare with known optima.
    Bench(BenchArgs),
}

/// Options shared by `solve` and `bench`.
#[derive(clap::Args, Debug, Clone)]
pub struct SolverArgs {
    /// Safety cap in seconds; the solver stops by a work-based rule well before it as a
    /// rule, and says so on stderr when the cap cut it short.
    #[arg(long, value_name = "SECS")]
    pub time_limit: Option<f64>,
    /// Seed: the same seed gives the same tree on any machine and thread count.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Worker threads (default: RAYON_NUM_THREADS when set, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Work multiplier, 1 to 64 (more constructions and local-search rounds).
    #[arg(long, default_value_t = Options::default().effort)]
    pub effort: u32,
    /// Lean pipeline for about the time of one greedy solve: degree reductions only, one
    /// construction (Mehlhorn; prizes: Goemans-Williamson with strong pruning), one
    /// improvement pass, no lower bound (not with --effort, --prove, --quota or --budget).
    #[arg(long, conflicts_with = "effort")]
    pub fast: bool,
}

/// The longest `--time-limit`, seconds (a week).
const MAX_TIME_LIMIT_S: f64 = 604_800.0;

impl SolverArgs {
    fn options(&self) -> anyhow::Result<Options> {
        let time_limit = match self.time_limit {
            // A week at most: `Duration` cannot hold 1e308 s.
            Some(s) if !(s.is_finite() && s > 0.0 && s <= MAX_TIME_LIMIT_S) => {
                return Err(super::BadInput(format!(
                    "--time-limit {s:?}: must be above 0 and at most {MAX_TIME_LIMIT_S} seconds"
                ))
                .into());
            }
            Some(s) => Some(Duration::from_secs_f64(s)),
            None => None,
        };
        super::check_threads(self.threads)?;
        Ok(Options {
            seed: self.seed,
            time_limit,
            threads: self.threads,
            effort: super::check_effort(self.effort)?,
            fast: self.fast,
            trace: trace_from_env(),
            ..Options::default()
        })
    }
}

/// The solver's progress messages on stderr when `FIBERPLAN_STEINER_TRACE` is set; with
/// `FIBERPLAN_PHASE_RSS` too, each message ends with the process's peak and current
/// resident memory (`VmHWM`, `VmRSS`), to see which phase of a solve sets the peak.
pub(crate) fn trace_from_env() -> Trace {
    if std::env::var_os("FIBERPLAN_STEINER_TRACE").is_none() {
        return Trace::off();
    }
    if std::env::var_os("FIBERPLAN_PHASE_RSS").is_some() {
        Trace::to(|m| eprintln!("{m} [{}]", fiberplan_load::Resident::now()))
    } else {
        Trace::to(|m| eprintln!("{m}"))
    }
}

/// `fiberplan steiner solve`.
#[derive(clap::Args, Debug)]
pub struct SolveArgs {
    /// Instance file (.stp or .gr).
    pub file: PathBuf,
    #[command(flatten)]
    pub solver: SolverArgs,
    /// Print cost, lower bound, gap and seconds as JSON instead of the tree.
    #[arg(long)]
    pub json: bool,
    /// Prize instances: least edge cost of a tree holding the root and at least this much
    /// prize (in the file's units).
    #[arg(long, value_name = "H", conflicts_with = "budget")]
    pub quota: Option<String>,
    /// Prize instances: most prize with edge cost at most this (in the file's units).
    #[arg(long, value_name = "B")]
    pub budget: Option<String>,
    /// Prove the tree optimal by branch-and-bound on the dual ascent (Steiner trees, and
    /// with --quota on the Lagrangian bound; with --budget, quota proofs in a bisection on
    /// the prize; the node budget grows with --effort). `--json` then reports `optimal` and,
    /// except for --budget, the bound.
    #[arg(long)]
    pub prove: bool,
}

/// `fiberplan steiner bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Instance files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Known optima: SteinLib optima.csv, PACE csv, the PCSTP csv, or `=opt= name value`.
    #[arg(long)]
    pub optima: Vec<PathBuf>,
    /// Also write the table as CSV here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub solver: SolverArgs,
}

/// Runs a `steiner` subcommand.
pub fn run(cmd: SteinerCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        SteinerCmd::Solve(a) => solve(a),
        SteinerCmd::Bench(a) => bench(a),
    }
}

/// Which problem a run solves.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Steiner,
    Pcst,
    Quota(Cost),
    Budget(Cost),
}

fn read_instance(path: &Path) -> anyhow::Result<StpInstance> {
    read_stp(path).map_err(anyhow::Error::new)
}

fn run_mode(stp: &StpInstance, mode: Mode, opts: &Options) -> Solution {
    let inst = &stp.instance;
    match mode {
        Mode::Steiner => solve_steiner(inst, opts),
        Mode::Pcst => solve_pcst(inst, opts),
        Mode::Quota(q) => solve_quota(inst, q, opts),
        Mode::Budget(b) => solve_budget(inst, b, opts),
    }
}

fn default_mode(stp: &StpInstance) -> Mode {
    if stp.prize_collecting {
        Mode::Pcst
    } else {
        Mode::Steiner
    }
}

fn solve(a: SolveArgs) -> anyhow::Result<ExitCode> {
    let mut opts = a.solver.options()?;
    opts.prove = a.prove;
    let started = Instant::now();
    let stp = read_instance(&a.file)?;
    let scaled = |flag: &str, s: &str| -> anyhow::Result<Cost> {
        parse_fixed(s, stp.decimals).with_context(|| {
            format!(
                "--{flag} {s}: not a non-negative number with at most {} decimal places",
                stp.decimals
            )
        })
    };
    let mode = match (&a.quota, &a.budget) {
        (Some(q), _) => Mode::Quota(scaled("quota", q)?),
        (_, Some(b)) => Mode::Budget(scaled("budget", b)?),
        _ => default_mode(&stp),
    };
    if matches!(mode, Mode::Quota(_) | Mode::Budget(_)) && !stp.prize_collecting {
        return Err(super::BadInput(format!(
            "{}: --quota and --budget need an instance with prizes (TP lines)",
            a.file.display()
        ))
        .into());
    }
    if a.solver.fast && (a.prove || !matches!(mode, Mode::Steiner | Mode::Pcst)) {
        return Err(super::BadInput(format!(
            "{}: --fast is for Steiner and prize-collecting trees (not with --prove, --quota or --budget)",
            a.file.display()
        ))
        .into());
    }
    if a.prove && !matches!(mode, Mode::Steiner | Mode::Quota(_) | Mode::Budget(_)) {
        return Err(super::BadInput(format!(
            "{}: --prove proves Steiner trees, --quota and --budget trees only (not prize-collecting trees) so far",
            a.file.display()
        ))
        .into());
    }
    if matches!(mode, Mode::Pcst) {
        if let Some(w) = stp.units_warning() {
            eprintln!("fiberplan: warning: {}: {w}", a.file.display());
        }
    }
    let sol = run_mode(&stp, mode, &opts);
    let seconds = started.elapsed().as_secs_f64();
    if sol.cut_short {
        eprintln!(
            "fiberplan: the time limit cut the search short; the tree is valid but may be improvable"
        );
    }
    if !sol.unreachable.is_empty() {
        eprintln!(
            "fiberplan: {} terminal(s) cannot be reached and are left out (first: {})",
            sol.unreachable.len(),
            sol.unreachable[0] + 1
        );
    }
    match print_solution(&a, &stp, &sol, mode, &opts, seconds) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// Writes the answer on stdout: PACE form, or one JSON line with `--json`.
fn print_solution(
    a: &SolveArgs,
    stp: &StpInstance,
    sol: &Solution,
    mode: Mode,
    opts: &Options,
    seconds: f64,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let fmt = |v: Cost| stp.format_value(v);
    if a.json {
        let gap = sol
            .lower_bound
            .filter(|&lb| lb > 0)
            .map(|lb| 100.0 * (sol.objective - lb) as f64 / lb as f64);
        let v = serde_json::json!({
            "file": a.file.display().to_string(),
            "problem": format!("{mode:?}").to_lowercase().split('(').next().unwrap_or_default(),
            "value": fmt(sol.objective),
            "cost": fmt(sol.cost),
            "prize": fmt(sol.prize),
            "lower_bound": sol.lower_bound.map(fmt),
            "optimal": sol.optimal,
            "gap_pct": gap,
            "seconds": seconds,
            "cut_short": sol.cut_short,
            "edges": sol.edges.len(),
            "nodes": sol.nodes.len(),
            "unreachable": sol.unreachable.len(),
            "solver": &sol.solver,
            "seed": opts.seed,
        });
        writeln!(out, "{v}")?;
    } else {
        writeln!(out, "VALUE {}", fmt(sol.objective))?;
        if matches!(mode, Mode::Quota(_) | Mode::Budget(_)) {
            writeln!(out, "# prize {}", fmt(sol.prize))?;
        }
        let g = &stp.instance.graph;
        if sol.edges.is_empty() {
            if let Some(&v) = sol.nodes.first() {
                writeln!(out, "V {}", v + 1)?;
            }
        }
        for &e in &sol.edges {
            let (u, v, _) = g.edge(e);
            writeln!(out, "{} {}", u + 1, v + 1)?;
        }
    }
    out.flush()
}

/// Known optimum (or best known value) per instance name, in file units.
fn read_optima(paths: &[PathBuf]) -> anyhow::Result<BTreeMap<String, f64>> {
    let mut map = BTreeMap::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| fiberplan_io::InputError::file(path, format!("cannot read: {e}")))?;
        let mut header: Option<Vec<String>> = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('=') {
                // SCIP-Jack style: =opt= name value  /  =best= name value
                let f: Vec<&str> = line.split_whitespace().collect();
                if f.len() >= 3 {
                    if let Ok(v) = f[2].parse::<f64>() {
                        map.insert(stem(f[1]), v);
                    }
                }
                continue;
            }
            let cells: Vec<String> = line.split(',').map(|c| c.trim().to_string()).collect();
            let Some(h) = &header else {
                header = Some(cells.iter().map(|c| c.to_lowercase()).collect());
                continue;
            };
            let col = |names: &[&str]| names.iter().find_map(|n| h.iter().position(|c| c == n));
            let name_col = col(&["filename", "pacename", "instance", "name", "file"])
                .with_context(|| format!("{}:1: no instance-name column", path.display()))?;
            let value = |c: Option<usize>| {
                c.and_then(|c| cells.get(c))
                    .and_then(|s| s.parse::<f64>().ok())
            };
            let v = value(col(&["opt"]))
                .or_else(|| value(col(&["dapcstp_ub"])))
                .or_else(|| value(col(&["upper"])));
            let Some(v) = v else { continue };
            let Some(name) = cells.get(name_col) else {
                return Err(super::BadInput(format!(
                    "{}:{}: missing instance name",
                    path.display(),
                    i + 1
                ))
                .into());
            };
            map.insert(stem(name), v);
        }
    }
    Ok(map)
}

fn stem(name: &str) -> String {
    let base = name.trim().rsplit('/').next().unwrap_or(name).trim();
    for ext in [".stp", ".gr", ".txt"] {
        if let Some(s) = base.strip_suffix(ext) {
            return s.to_string();
        }
    }
    base.to_string()
}

fn bench(a: BenchArgs) -> anyhow::Result<ExitCode> {
    let opts = a.solver.options()?;
    let optima = read_optima(&a.optima)?;
    let mut rows = Vec::new();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<16} {:>9} {:>9} {:>6} {:>14} {:>14} {:>8} {:>14} {:>8}",
        "instance", "n", "m", "t", "optimum", "value", "gap%", "lower bound", "seconds"
    )?;
    for file in &a.files {
        let started = Instant::now();
        let stp = read_instance(file)?;
        let sol = run_mode(&stp, default_mode(&stp), &opts);
        let secs = started.elapsed().as_secs_f64();
        let name = stem(&file.to_string_lossy());
        let opt = optima.get(&name).copied();
        let value = format_fixed(sol.objective, stp.decimals);
        let ours: f64 = value.parse().unwrap_or(f64::NAN);
        let gap = opt.map(|o| {
            if o == 0.0 {
                if ours == 0.0 {
                    0.0
                } else {
                    f64::INFINITY
                }
            } else {
                100.0 * (ours - o) / o
            }
        });
        let g = &stp.instance.graph;
        let lb = sol
            .lower_bound
            .map(|l| format_fixed(l, stp.decimals))
            .unwrap_or_default();
        writeln!(
            out,
            "{:<16} {:>9} {:>9} {:>6} {:>14} {:>14} {:>8} {:>14} {:>8.3}{}",
            name,
            g.num_nodes(),
            g.num_edges(),
            stp.instance.terminals.len(),
            opt.map(|o| o.to_string()).unwrap_or_else(|| "?".into()),
            value,
            gap.map(|g| format!("{g:.3}")).unwrap_or_else(|| "?".into()),
            lb,
            secs,
            if sol.cut_short { " (cut short)" } else { "" }
        )?;
        rows.push((
            name,
            g.num_nodes(),
            g.num_edges(),
            stp.instance.terminals.len(),
            opt,
            value,
            gap,
            lb,
            secs,
            sol.cut_short,
        ));
    }
    let gaps: Vec<f64> = rows.iter().filter_map(|r| r.6).collect();
    let mean = if gaps.is_empty() {
        f64::NAN
    } else {
        gaps.iter().sum::<f64>() / gaps.len() as f64
    };
    let optimal = gaps.iter().filter(|&&g| g <= 1e-9).count();
    let total: f64 = rows.iter().map(|r| r.8).sum();
    writeln!(
        out,
        "mean gap {mean:.3} % over {} instances with a known optimum; optimal on {optimal}; total {total:.2} s",
        gaps.len()
    )?;
    if let Some(path) = &a.out {
        let mut csv = String::from(
            "instance,n,m,terminals,optimum,value,gap_pct,lower_bound,seconds,cut_short\n",
        );
        for r in &rows {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{},{:.4},{}\n",
                r.0,
                r.1,
                r.2,
                r.3,
                r.4.map(|o| o.to_string()).unwrap_or_default(),
                r.5,
                r.6.map(|g| format!("{g:.4}")).unwrap_or_default(),
                r.7,
                r.8,
                r.9
            ));
        }
        std::fs::write(path, csv).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
