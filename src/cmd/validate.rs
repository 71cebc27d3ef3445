//! `fiberplan validate`: read and check every input `plan` would, build the planning graph,
//! and stop before solving.
//!
//! Errors (anything `plan` would refuse) are one line and exit code 2, exactly as `plan`
//! reports them, because both read through the load layer (`fiberplan_load::load`).
//! Warnings (villages that no corridor joins to the network) are printed and exit 0.

use super::inputs::InputArgs;
use super::sweep::{no_effect_warnings, quota_warning, read_scenarios};
use fiberplan_load::{load, unreachable_villages};
use fiberplan_model::PlanSettings;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug, Clone)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Scenario file (TOML) as `sweep` reads it; its `[inputs]` are used for the flags not given.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    // A scenario file is read first, as `sweep` does; its inputs (relative to the file)
    // stand in for the flags not given, and its settings are checked as `sweep` checks them.
    let mut spec = args.input.spec_with(PlanSettings::DEFAULT);
    let mut scenarios = None;
    let mut warnings: Vec<String> = Vec::new();
    if let Some(s) = &args.scenarios {
        let (file, expanded) = read_scenarios(s)?;
        spec = spec.with_scenario_file(s, &file)?;
        warnings.extend(no_effect_warnings(s, &file, true));
        scenarios = Some((s, expanded));
    }
    let checked = load(&spec)?;
    let villages_from = match &spec.villages {
        Some(p) => p.display().to_string(),
        None if spec.osm.is_some() => checked.villages_from.clone(),
        None => "bundled villages".into(),
    };

    let unreachable = unreachable_villages(&checked.graph);
    for &i in &unreachable {
        let v = &checked.villages[i];
        let name = if v.name.is_empty() {
            String::new()
        } else {
            format!(" ({})", v.name)
        };
        warnings.push(format!(
            "{}: village {:?}{name} at ({}, {}) cannot reach the existing network: no corridor joins it to a point of presence; it will be reported unreachable",
            villages_from, v.id, v.lonlat[0], v.lonlat[1]
        ));
    }
    let households: u64 = checked.villages.iter().map(|v| v.households).sum();
    if let Some((path, expanded)) = &scenarios {
        warnings.extend(quota_warning(path, expanded, households));
    }
    for w in &warnings {
        eprintln!("fiberplan: warning: {w}");
    }
    // A closed stdout (`fiberplan validate | head -1`) ends the run quietly, not in a panic.
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "fiberplan validate: inputs OK: {} villages, {} households ({}); backbone: {}",
        checked.villages.len(),
        households,
        villages_from,
        checked.backbone.description
    )?;
    writeln!(
        out,
        "  costs: {}; regions: {} districts",
        checked.costs_path.display(),
        checked.regions.districts.len()
    )?;
    writeln!(
        out,
        "  graph ({}): {} nodes, {} corridors; {} villages cannot reach the network; {} warnings",
        checked.corridors_kind,
        checked.graph.nodes.len(),
        checked.graph.corridors.len(),
        unreachable.len(),
        warnings.len()
    )?;
    Ok(ExitCode::SUCCESS)
}
