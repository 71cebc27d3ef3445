//! `fiberplan validate`: read and check every input `plan` would, build the planning graph,
//! and stop before solving.
//!
//! Errors (anything `plan` would refuse) are one line and exit code 2, exactly as `plan`
//! reports them, because both read through [`super::inputs`]. Warnings (villages that no
//! corridor joins to the network, checks not available yet) are printed and exit 0.

use super::inputs::{check_swapped, read_inputs, unreachable_villages, InputSpec};
use super::{data_dir, BadInput};
use fiberplan_io::osm::{
    backbone_from_osm, read_osm, villages_from_places, OsmReadOptions, VillageOptions,
};
use fiberplan_io::{
    read_backbone, read_costs, read_scenario_file, read_villages, InputError, Region,
};
use fiberplan_model::{LonLat, Village};
use fiberplan_network::roads::{build_road_graph, RoadGraphOptions};
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
    /// Villages (GeoJSON Points or CSV with id, lon, lat, households or population).
    #[arg(long)]
    pub villages: Option<PathBuf>,
    /// Existing fibre network (GeoJSON: Points of presence, LineStrings of fibre).
    #[arg(long)]
    pub backbone: Option<PathBuf>,
    /// OpenStreetMap extract (.osm.pbf, .osm or .osm.gz): roads as corridors.
    #[arg(long)]
    pub osm: Option<PathBuf>,
    /// Cost model (TOML). Default: data/costs.toml.
    #[arg(long)]
    pub costs: Option<PathBuf>,
    /// Scenario file (TOML) as `sweep` reads it; its `[inputs]` are used for the flags not given.
    #[arg(long)]
    pub scenarios: Option<PathBuf>,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
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
    let data = data_dir(args.data.as_deref());
    // A scenario file is read first, as `sweep` does; its inputs (relative to the file)
    // stand in for the flags not given.
    let mut args = args;
    let (mut household_size, mut circuity) = (HOUSEHOLD_SIZE, CIRCUITY);
    if let Some(s) = &args.scenarios {
        let file = read_scenario_file(s)?;
        let base = s.parent().unwrap_or(Path::new("."));
        let rel = |p: &Option<String>| p.as_ref().map(|p| base.join(p));
        args.villages = args.villages.clone().or(rel(&file.inputs.villages));
        args.backbone = args.backbone.clone().or(rel(&file.inputs.backbone));
        args.costs = args.costs.clone().or(rel(&file.inputs.costs));
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
    let checked = match &args.osm {
        None => {
            let inputs = read_inputs(&InputSpec {
                villages: args.villages.as_deref(),
                backbone: args.backbone.as_deref(),
                costs: args.costs.as_deref(),
                data: &data,
                household_size,
                include_isolated: false,
            })?;
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
        Some(osm_path) => with_osm(&args, osm_path, &data, household_size)?,
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
    match &args.villages {
        Some(p) => p.display().to_string(),
        None if args.osm.is_some() => "places of the OSM extract".into(),
        None => "bundled villages".into(),
    }
}

/// Roads from an OSM extract: villages (the user's, else the extract's places) and the
/// network (the user's, else the extract's telecom lines or towns) snapped onto them.
fn with_osm(
    args: &ValidateArgs,
    osm_path: &Path,
    data: &Path,
    household_size: f64,
) -> anyhow::Result<Checked> {
    let costs_path = args
        .costs
        .clone()
        .unwrap_or_else(|| data.join("costs.toml"));
    let costs = read_costs(&costs_path)?;
    let osm = read_osm(osm_path, &OsmReadOptions::default())?;
    let villages = match &args.villages {
        Some(p) => {
            let v = read_villages(p, household_size)?;
            if let Some(b) = osm.bounds {
                let region = Region {
                    name: "the OSM extract's bounds",
                    bbox: b,
                };
                let pts: Vec<LonLat> = v.iter().map(|v| v.lonlat).collect();
                check_swapped(p, &pts, &region)?;
            }
            v
        }
        None => {
            let vopts = VillageOptions {
                household_size,
                ..Default::default()
            };
            let v = villages_from_places(&osm, &vopts);
            if v.is_empty() {
                return Err(InputError::file(
                    osm_path,
                    "no villages (place=village or hamlet) in the extract: pass --villages FILE",
                )
                .into());
            }
            v
        }
    };
    let backbone = match &args.backbone {
        Some(p) => read_backbone(p)?,
        None => backbone_from_osm(&osm).0,
    };
    if backbone.pops.is_empty() && backbone.lines.is_empty() {
        return Err(BadInput(format!(
            "{}: no existing network in the extract (no telecom lines, towns or villages): pass --backbone FILE",
            osm_path.display()
        ))
        .into());
    }
    let rg = build_road_graph(
        &osm,
        &villages,
        &backbone,
        &costs.corridor,
        &RoadGraphOptions::default(),
    );
    Ok(Checked {
        costs: costs_path,
        districts: None,
        villages_from: villages_from(args),
        backbone: backbone.description.clone(),
        villages,
        graph: rg.graph,
        corridors: "OSM roads",
    })
}
