//! Reading a plan's inputs from an OpenStreetMap extract: roads (and power lines, railways)
//! as corridors; villages from the extract's places unless the user gives them; the
//! existing network from the user's backbone, else the extract's telecom lines, else its
//! towns (a declared proxy), else its most populous village.

use super::inputs::{check_swapped, InputSpec};
use super::BadInput;
use fiberplan_io::osm::{
    backbone_from_osm, read_osm, villages_from_places, OsmReadOptions, VillageOptions,
};
use fiberplan_io::{
    read_backbone, read_costs, read_regions, read_villages, InputError, Region, Regions,
};
use fiberplan_model::{Backbone, CostModel, LonLat, Village};
use fiberplan_network::district_index::DistrictIndex;
use fiberplan_network::roads::{build_road_graph, RoadGraph, RoadGraphOptions};
use std::path::{Path, PathBuf};

/// Everything read from an extract and around it, the road graph built.
pub struct OsmInputs {
    pub costs_path: PathBuf,
    pub costs: CostModel,
    pub villages: Vec<Village>,
    /// The backbone with the road builder's line joints appended as points of presence, so
    /// that `road.graph.pop_node` matches `backbone.pops`.
    pub backbone: Backbone,
    pub regions: Regions,
    pub road: RoadGraph,
    /// Where the villages came from, for the outputs.
    pub villages_from: String,
}

/// Reads the extract `osm_path` and the other inputs of `spec` (villages and backbone from the
/// extract when `spec` names none).
pub fn read_osm_inputs(osm_path: &Path, spec: &InputSpec) -> anyhow::Result<OsmInputs> {
    let costs_path = spec
        .costs
        .map(Path::to_path_buf)
        .unwrap_or_else(|| spec.data.join("costs.toml"));
    let costs = read_costs(&costs_path)?;
    let ropts = OsmReadOptions {
        isolated_dwellings: spec.include_isolated,
        ..OsmReadOptions::default()
    };
    let osm = read_osm(osm_path, &ropts)?;
    let (mut villages, villages_from) = match spec.villages {
        Some(p) => {
            let v = read_villages(p, spec.household_size)?;
            if let Some(b) = osm.bounds {
                let region = Region {
                    name: "the OSM extract's bounds",
                    bbox: b,
                };
                let pts: Vec<LonLat> = v.iter().map(|v| v.lonlat).collect();
                check_swapped(p, &pts, &region)?;
            }
            (v, p.display().to_string())
        }
        None => {
            let vopts = VillageOptions {
                household_size: spec.household_size,
                include_isolated: spec.include_isolated,
            };
            let v = villages_from_places(&osm, &vopts);
            if v.is_empty() {
                return Err(InputError::file(
                    osm_path,
                    "no villages (place=village or hamlet) in the extract: pass --villages FILE",
                )
                .into());
            }
            (v, format!("places of {}", osm_path.display()))
        }
    };
    let mut backbone = match spec.backbone {
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
    let road = build_road_graph(
        &osm,
        &villages,
        &backbone,
        &costs.corridor,
        &RoadGraphOptions::default(),
    );
    backbone.pops.extend(road.line_joints.iter().cloned());
    // Districts where the extract lies in the bundled country (Kazakhstan); elsewhere none.
    let regions = read_regions(&spec.data.join("kz"))?;
    let index = DistrictIndex::new(&regions.district_polygons);
    for v in &mut villages {
        v.district = index.locate(v.lonlat);
    }
    Ok(OsmInputs {
        costs_path,
        costs,
        villages,
        backbone,
        regions,
        road,
        villages_from,
    })
}
