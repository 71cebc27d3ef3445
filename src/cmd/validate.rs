//! `fiberplan validate`: read and check every input `plan` would, build the planning graph,
//! and stop before solving.
//!
//! Errors (anything `plan` would refuse) are one line and exit code 2, exactly as `plan`
//! reports them, because both read through [`super::inputs`] (and [`super::osm_inputs`]
//! with `--osm`). Warnings (villages that no
//! corridor joins to the network, checks not available yet) are printed and exit 0.

use super::data_dir;
use super::inputs::{read_inputs, unreachable_villages, InputArgs, InputSpec};
use super::osm_inputs::read_osm_inputs;
use fiberplan_io::{read_scenario_file, InputError};
use fiberplan_model::Village;
use fiberplan_network::PlanningGraph;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// People per household, as `plan`'s default.
const HOUSEHOLD_SIZE: f64 = 3.5;
/// Road-circuity factor of the corridor proxy, as `plan`'s default.
const CIRCUITY: f64 = 1.3;

#[derive(clap::Args, Debug, Clone)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Scenario file (TOML) as `sweep` reads it; its `[inputs]` are used for the flags not given.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
}

/// What was read, for the closing summary.
struct Checked {
    costs: PathBuf,
    /// Districts of the bundled regions, when read.
    districts: Option<usize>,
    villages: Vec<Village>,
    villages_from: String,
    backbone: String,
    graph: PlanningGraph,
    corridors: &'static str,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<ExitCode> {
    let data = data_dir(args.input.data.as_deref());
    // A scenario file is read first, as `sweep` does; its inputs (relative to the file)
    // stand in for the flags not given.
    let mut args = args;
    let (mut household_size, mut circuity) = (HOUSEHOLD_SIZE, CIRCUITY);
    if let Some(s) = &args.scenarios {
        let file = read_scenario_file(s)?;
        let base = s.parent().unwrap_or(Path::new("."));
        let rel = |p: &Option<String>| p.as_ref().map(|p| base.join(p));
        args.input.villages = args.input.villages.clone().or(rel(&file.inputs.villages));
        args.input.backbone = args.input.backbone.clone().or(rel(&file.inputs.backbone));
        args.input.costs = args.input.costs.clone().or(rel(&file.inputs.costs));
        household_size = file.inputs.household_size.unwrap_or(household_size);
        circuity = file.inputs.circuity.unwrap_or(circuity);
        // The ranges `plan` enforces on its flags.
        if !(household_size.is_finite() && (1.0..=20.0).contains(&household_size)) {
            return Err(InputError::new(
                s,
                fiberplan_io::Where::Key("inputs.household_size".into()),
                format!("{household_size} must be between 1 and 20"),
            )
            .into());
        }
        if !(circuity.is_finite() && (1.0..=5.0).contains(&circuity)) {
            return Err(InputError::new(
                s,
                fiberplan_io::Where::Key("inputs.circuity".into()),
                format!("{circuity} must be between 1 and 5"),
            )
            .into());
        }
    }
    let spec = InputSpec {
        villages: args.input.villages.as_deref(),
        backbone: args.input.backbone.as_deref(),
        costs: args.input.costs.as_deref(),
        data: &data,
        household_size,
        include_isolated: false,
    };
    let checked = match &args.input.osm {
        None => {
            let inputs = read_inputs(&spec)?;
            let graph = inputs.proxy_graph(circuity);
            Checked {
                costs: inputs.costs_path.clone(),
                districts: Some(inputs.regions.districts.len()),
                villages_from: villages_from(&args),
                backbone: inputs.backbone.description.clone(),
                villages: inputs.villages,
                graph,
                corridors: "straight-line proxy",
            }
        }
        Some(osm_path) => {
            // The same reading as `plan --osm`.
            let oi = read_osm_inputs(osm_path, &spec)?;
            Checked {
                costs: oi.costs_path,
                districts: Some(oi.regions.districts.len()),
                villages_from: oi.villages_from,
                backbone: oi.backbone.description.clone(),
                villages: oi.villages,
                graph: oi.road.graph,
                corridors: "OSM roads",
            }
        }
    };
    let mut warnings: Vec<String> = Vec::new();

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
            checked.villages_from, v.id, v.lonlat[0], v.lonlat[1]
        ));
    }
    for w in &warnings {
        eprintln!("fiberplan: warning: {w}");
    }
    let households: u64 = checked.villages.iter().map(|v| v.households).sum();
    // A closed stdout (`fiberplan validate | head -1`) ends the run quietly, not in a panic.
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "fiberplan validate: inputs OK: {} villages, {} households ({}); backbone: {}",
        checked.villages.len(),
        households,
        checked.villages_from,
        checked.backbone
    )?;
    writeln!(
        out,
        "  costs: {}{}",
        checked.costs.display(),
        checked
            .districts
            .map(|d| format!("; regions: {d} districts"))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "  graph ({}): {} nodes, {} corridors; {} villages cannot reach the network; {} warnings",
        checked.corridors,
        checked.graph.nodes.len(),
        checked.graph.corridors.len(),
        unreachable.len(),
        warnings.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn villages_from(args: &ValidateArgs) -> String {
    match &args.input.villages {
        Some(p) => p.display().to_string(),
        None if args.input.osm.is_some() => "places of the OSM extract".into(),
        None => "bundled villages".into(),
    }
}
