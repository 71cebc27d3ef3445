//! `fiberplan diff PLAN_A PLAN_B --out DIR`: what changed between two scenarios' plans —
//! villages connected or dropped, technology or phase changed, new-fibre stretches added,
//! removed or moved to another phase — as `diff.geojson`, `diff.csv` and `summary.json`,
//! and a table on stdout.

use fiberplan_io::{InputError, Where};
use fiberplan_report::plan_schema::{PlanCollection, PlanFeature};
use fiberplan_report::{diff_plans, AtomicDir, Change};
use serde_json::Value;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct DiffArgs {
    /// Plan A: an output folder of `fiberplan plan`, or its plan.geojson.
    pub plan_a: PathBuf,
    /// Plan B, compared with A (added = in B, not in A).
    pub plan_b: PathBuf,
    /// Output folder for diff.geojson, diff.csv and summary.json.
    #[arg(long, default_value = "out/diff")]
    pub out: PathBuf,
}

/// Read a plan's GeoJSON (the CLI is the edge: the two files are fiberplan's own outputs,
/// read with the schema that wrote them).
fn read_plan(p: &Path) -> anyhow::Result<(PathBuf, PlanCollection)> {
    let file = if p.is_dir() {
        p.join("plan.geojson")
    } else {
        p.to_path_buf()
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| InputError::file(&file, format!("cannot read: {e}")))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| InputError::file(&file, format!("not JSON: {e}")))?;
    if v["type"] != "FeatureCollection" || !v["features"].is_array() {
        return Err(InputError::file(
            &file,
            "not a GeoJSON FeatureCollection: expected the plan.geojson of `fiberplan plan`",
        )
        .into());
    }
    // Feature by feature, so that an error names the feature that does not fit.
    for (i, f) in v["features"].as_array().into_iter().flatten().enumerate() {
        if let Err(e) = serde_json::from_value::<PlanFeature>(f.clone()) {
            return Err(InputError::new(
                &file,
                Where::Feature(i),
                format!("not a feature of fiberplan's plan.geojson: {e}"),
            )
            .into());
        }
    }
    let plan = serde_json::from_value(v)
        .map_err(|e| InputError::file(&file, format!("not fiberplan's plan.geojson: {e}")))?;
    Ok((file, plan))
}

/// The plan's `summary.json`: in the plan folder, or beside a file named `plan.geojson`.
fn read_summary(p: &Path) -> anyhow::Result<Option<Value>> {
    let dir = if p.is_dir() {
        Some(p)
    } else if p.file_name().is_some_and(|n| n == "plan.geojson") {
        p.parent()
    } else {
        None
    };
    let Some(file) = dir.map(|d| d.join("summary.json")).filter(|f| f.is_file()) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| InputError::file(&file, format!("cannot read: {e}")))?;
    let v = serde_json::from_str(&text)
        .map_err(|e| InputError::file(&file, format!("not JSON: {e}")))?;
    Ok(Some(v))
}

pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let (fa, a) = read_plan(&args.plan_a)?;
    let (fb, b) = read_plan(&args.plan_b)?;
    let d = diff_plans(&a, &b);
    let (sa, sb) = (read_summary(&args.plan_a)?, read_summary(&args.plan_b)?);
    let mut out = AtomicDir::new(&args.out).map_err(super::plan::out_fault)?;
    let (la, lb) = (fa.display().to_string(), fb.display().to_string());
    for (name, body) in [
        ("diff.geojson", d.geojson()),
        ("diff.csv", d.csv()),
        (
            "summary.json",
            d.summary_json(&la, &lb, sa.as_ref(), sb.as_ref()),
        ),
    ] {
        out.write(name, body.as_bytes())
            .map_err(super::plan::out_fault)?;
    }
    out.commit().map_err(super::plan::out_fault)?;

    let count = |c: Change| d.villages.iter().filter(|v| v.change == c).count();
    let hh = |c: Change| {
        d.villages
            .iter()
            .filter(|v| v.change == c)
            .map(|v| v.households)
            .sum::<u64>()
    };
    // One write, so a closed pipe (`| head`) is an io::Error, reported as success.
    let mut t = String::new();
    let _ = writeln!(t, "fiberplan diff: {la} -> {lb}");
    let _ = writeln!(
        t,
        "  villages: {} added ({} households), {} removed ({} households), {} technology changed, {} phase changed, {} unchanged",
        count(Change::Added),
        hh(Change::Added),
        count(Change::Removed),
        hh(Change::Removed),
        count(Change::TechnologyChanged),
        count(Change::PhaseChanged),
        d.villages_unchanged
    );
    let _ = writeln!(
        t,
        "  new fibre: {:.3} km added, {:.3} km removed, {:.3} km in another phase, {:.3} km unchanged (drawn)",
        d.km(Change::Added),
        d.km(Change::Removed),
        d.km(Change::PhaseChanged),
        d.unchanged_km
    );
    if let (Some(x), Some(y)) = (&sa, &sb) {
        if let Value::Object(m) = fiberplan_report::diff::totals_delta(x, y) {
            for (k, v) in m {
                let _ = writeln!(
                    t,
                    "  {k}: {} -> {} ({:+})",
                    v["a"],
                    v["b"],
                    v["delta"].as_f64().unwrap_or(0.0)
                );
            }
        }
    }
    const SHOWN: usize = 30;
    if !d.villages.is_empty() {
        let _ = writeln!(
            t,
            "  {:<18} {:<14} {:<24} {:>10}  technology / phase A -> B",
            "change", "id", "name", "households"
        );
        let ph = |p: Option<i64>| p.map(|p| format!(" {p}")).unwrap_or_default();
        for v in d.villages.iter().take(SHOWN) {
            let _ = writeln!(
                t,
                "  {:<18} {:<14} {:<24} {:>10}  {}{} -> {}{}",
                v.change.as_str(),
                v.id,
                v.name,
                v.households,
                v.technology_a.as_deref().unwrap_or("none"),
                ph(v.phase_a),
                v.technology_b.as_deref().unwrap_or("none"),
                ph(v.phase_b)
            );
        }
        if d.villages.len() > SHOWN {
            let _ = writeln!(
                t,
                "  ... {} more rows in diff.csv",
                d.villages.len() - SHOWN
            );
        }
    }
    let _ = writeln!(
        t,
        "  outputs in {} (diff.geojson, diff.csv, summary.json)",
        args.out.display()
    );
    std::io::stdout().write_all(t.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
