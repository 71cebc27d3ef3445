//! Reading a plan's inputs from an OpenStreetMap extract: roads (and power lines, railways)
//! as corridors; villages from the extract's places unless the user gives them; the
//! existing network from the user's backbone, else the extract's telecom lines, else its
//! towns (a declared proxy), else its most populous village.

use crate::inputs::check_swapped;
use crate::phase_rss;
use crate::{InputSpec, LoadError, PlanInputs};
use fiberplan_io::osm::{
    backbone_from_osm, read_osm_extract, villages_from_places, OsmReadOptions, VillageOptions,
};
use fiberplan_io::{read_backbone, read_costs, read_regions, read_villages, InputError, Region};
use fiberplan_model::LonLat;
use fiberplan_network::district_index::DistrictIndex;
use fiberplan_network::roads::{build_road_graph_table, RoadGraphOptions};
use std::path::Path;

/// Reads the extract `osm_path` and the other inputs of `spec` (villages and backbone from the
/// extract when `spec` names none) and builds the road graph.
pub(crate) fn load_osm(osm_path: &Path, spec: &InputSpec) -> Result<PlanInputs, LoadError> {
    let costs_path = spec.costs_path();
    let costs = read_costs(&costs_path)?;
    let ropts = OsmReadOptions {
        isolated_dwellings: spec.settings.include_isolated,
        ..OsmReadOptions::default()
    };
    // The corridor ways held flat (a few large arrays), the rest (telecom ways, places) as
    // `OsmData`.
    let (ways, osm) = read_osm_extract(osm_path, &ropts)?.split_telecom();
    phase_rss("osm read");
    let (mut villages, villages_from) = match &spec.villages {
        Some(p) => {
            let v = read_villages(p, spec.settings.household_size)?;
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
                household_size: spec.settings.household_size,
                include_isolated: spec.settings.include_isolated,
            };
            let v = villages_from_places(&osm, &vopts);
            if v.len() > fiberplan_io::MAX_VILLAGES {
                return Err(InputError::file(
                    osm_path,
                    format!(
                        "{} villages (place=village or hamlet), more than the {} one input may hold: cut the extract",
                        v.len(),
                        fiberplan_io::MAX_VILLAGES
                    ),
                )
                .into());
            }
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
    let mut backbone = match &spec.backbone {
        Some(p) => read_backbone(p)?,
        None => backbone_from_osm(&osm).0,
    };
    if backbone.pops.is_empty() && backbone.lines.is_empty() {
        return Err(LoadError::Invalid(format!(
            "{}: no existing network in the extract (no telecom lines, towns or villages): pass --backbone FILE",
            osm_path.display()
        )));
    }
    drop(osm);
    let road = build_road_graph_table(
        ways,
        &villages,
        &backbone,
        &costs.corridor,
        &RoadGraphOptions::default(),
    )
    .map_err(|e| InputError::file(osm_path, e.to_string()))?;
    phase_rss("road graph");
    backbone.pops.extend(road.line_joints.iter().cloned());
    // Districts where the extract lies in the bundled country (Kazakhstan); elsewhere none.
    let regions = read_regions(&spec.data.join("kz"))?;
    let index = DistrictIndex::new(&regions.district_polygons);
    for v in &mut villages {
        v.district = index.locate(v.lonlat);
    }
    let st = &road.stats;
    let corridors = format!(
        "OpenStreetMap roads of {}: {} corridors, {} components, {} villages placed, {} not placed",
        osm_path.display(),
        st.corridors,
        st.components,
        st.villages_placed,
        st.villages_unplaced
    );
    Ok(PlanInputs {
        costs_path,
        costs,
        villages,
        backbone,
        regions,
        graph: road.graph,
        corridors,
        corridors_kind: "OSM roads",
        villages_from,
        settings: spec.settings,
    })
}
