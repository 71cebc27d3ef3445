//! Reading everything a plan needs, one way for `plan` and `validate`: the cost model, the
//! villages, the existing network and the regions, with the checks that need more than one
//! file (latitude and longitude swapped against the expected region, villages outside the
//! bundled country without a backbone), then the corridor-proxy planning graph.
//!
//! `validate` is "plan without solving": as long as both call [`read_inputs`] and
//! [`Inputs::proxy_graph`], a file that `validate` accepts is a file `plan` accepts.

use fiberplan_io::coords::swapped_hint;
use fiberplan_io::{
    read_backbone, read_costs, read_national, read_regions, read_villages, InputError,
    NationalOptions, Region, Regions,
};
use fiberplan_model::{Backbone, CostModel, LonLat, Village};
use fiberplan_network::corridor_proxy::{self, ProxyOptions};
use fiberplan_network::country_mask::CountryMask;
use fiberplan_network::district_index::DistrictIndex;
use fiberplan_network::PlanningGraph;
use std::path::{Path, PathBuf};

/// The input files every command that plans reads (flattened into `plan` and `validate`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Villages (GeoJSON Points or CSV with id, lon, lat, households or population).
    #[arg(long)]
    pub villages: Option<PathBuf>,
    /// Existing fibre network (GeoJSON: Points of presence, LineStrings of fibre).
    #[arg(long)]
    pub backbone: Option<PathBuf>,
    /// OpenStreetMap extract (.osm.pbf, .osm, .osm.gz): plan along its roads. Villages come
    /// from its places unless --villages is given; without a target, every reachable
    /// village is connected.
    #[arg(long)]
    pub osm: Option<PathBuf>,
    /// Cost model (TOML). Default: data/costs.toml.
    #[arg(long)]
    pub costs: Option<PathBuf>,
    /// Folder of the bundled data (default: ./data).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

/// Which inputs to read (`None`: the bundled default).
#[derive(Clone, Debug)]
pub struct InputSpec<'a> {
    pub villages: Option<&'a Path>,
    pub backbone: Option<&'a Path>,
    pub costs: Option<&'a Path>,
    /// The bundled data folder, already resolved (see [`super::data_dir`]).
    pub data: &'a Path,
    pub household_size: f64,
    pub include_isolated: bool,
}

/// Everything read and checked, ready for the graph.
pub struct Inputs {
    pub costs_path: PathBuf,
    pub costs: CostModel,
    /// Villages, with their districts when they are user villages inside the country.
    pub villages: Vec<Village>,
    pub backbone: Backbone,
    pub regions: Regions,
    /// The bundled country.
    pub mask: CountryMask,
    /// Every village is inside (or within 3 cells of) the country: corridors are kept inside.
    pub inside_kz: bool,
}

/// Read and check the inputs in the order `plan` has always read them (costs, villages,
/// regions, backbone), so the first error reported is the same.
pub fn read_inputs(spec: &InputSpec) -> anyhow::Result<Inputs> {
    let kz = spec.data.join("kz");
    let costs_path = spec
        .costs
        .map(Path::to_path_buf)
        .unwrap_or_else(|| spec.data.join("costs.toml"));
    let costs = read_costs(&costs_path)?;
    let nopts = NationalOptions {
        household_size: spec.household_size,
        include_isolated: spec.include_isolated,
    };
    let (villages, backbone, regions, mask) = match spec.villages {
        None => {
            let nd = read_national(&kz, &nopts)?;
            let backbone = match spec.backbone {
                Some(p) => {
                    let bb = read_backbone(p)?;
                    // The villages are the bundled country's: so must the network be.
                    check_swapped(p, &backbone_points(&bb), &Region::KAZAKHSTAN)?;
                    bb
                }
                None => nd.backbone,
            };
            let mask = CountryMask::new(&nd.regions.country);
            (nd.villages, backbone, nd.regions, mask)
        }
        Some(vpath) => {
            let mut villages = read_villages(vpath, spec.household_size)?;
            let regions = read_regions(&kz)?;
            let mask = CountryMask::new(&regions.country);
            let vpoints: Vec<LonLat> = villages.iter().map(|v| v.lonlat).collect();
            let backbone = match spec.backbone {
                Some(p) => {
                    let bb = read_backbone(p)?;
                    let near = surroundings(&backbone_points(&bb));
                    check_swapped(vpath, &vpoints, &near)?;
                    bb
                }
                None => {
                    check_inside(vpath, &villages, &mask)?;
                    read_national(&kz, &nopts)?.backbone
                }
            };
            let index = DistrictIndex::new(&regions.district_polygons);
            for v in &mut villages {
                v.district = index.locate(v.lonlat);
            }
            (villages, backbone, regions, mask)
        }
    };
    let inside_kz = villages.iter().all(|v| mask.near(v.lonlat, 3));
    Ok(Inputs {
        costs_path,
        costs,
        villages,
        backbone,
        regions,
        mask,
        inside_kz,
    })
}

impl Inputs {
    /// The straight-line corridor proxy over these inputs; corridors stay inside the
    /// country when the plan is inside it.
    pub fn proxy_graph(&self, circuity: f64) -> PlanningGraph {
        let popts = ProxyOptions {
            circuity,
            ..ProxyOptions::default()
        };
        corridor_proxy::build(
            &self.villages,
            &self.backbone,
            self.inside_kz.then_some(&self.mask),
            &self.costs,
            &popts,
        )
    }
}

/// Points of presence and line vertices of a backbone.
pub fn backbone_points(bb: &Backbone) -> Vec<LonLat> {
    bb.pops
        .iter()
        .map(|p| p.lonlat)
        .chain(bb.lines.iter().flatten().copied())
        .collect()
}

/// The box around `points` grown by half its size and at least one degree each way: where
/// villages served from these points can be expected.
pub fn surroundings(points: &[LonLat]) -> Region {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for p in points {
        b = [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ];
    }
    let mx = ((b[2] - b[0]) / 2.0).max(1.0);
    let my = ((b[3] - b[1]) / 2.0).max(1.0);
    Region {
        name: "the backbone's surroundings",
        bbox: [b[0] - mx, b[1] - my, b[2] + mx, b[3] + my],
    }
}

/// An error naming `path` when its points look like swapped latitude and longitude for `region`.
pub fn check_swapped(path: &Path, points: &[LonLat], region: &Region) -> Result<(), InputError> {
    match swapped_hint(points, region) {
        Some(hint) => Err(InputError::file(path, hint)),
        None => Ok(()),
    }
}

/// Villages outside the bundled country are an error unless the user brings a backbone.
pub fn check_inside(path: &Path, villages: &[Village], mask: &CountryMask) -> anyhow::Result<()> {
    let pts: Vec<LonLat> = villages.iter().map(|v| v.lonlat).collect();
    check_swapped(path, &pts, &Region::KAZAKHSTAN)?;
    if let Some(v) = villages.iter().find(|v| !mask.near(v.lonlat, 3)) {
        return Err(InputError::file(
            path,
            format!(
                "village {:?} at ({}, {}) is outside Kazakhstan, the bundled region: pass --backbone FILE with the \
                 existing network for villages elsewhere",
                v.id, v.lonlat[0], v.lonlat[1]
            ),
        )
        .into());
    }
    Ok(())
}

/// Villages of `graph` that no corridor path joins to a point of presence or an existing
/// line: index into the villages. Unplaced villages (no node) are unreachable too.
pub fn unreachable_villages(graph: &PlanningGraph) -> Vec<usize> {
    let (comp, ncomp) = fiberplan_network::roads::components(graph);
    let mut fed = vec![false; ncomp];
    for n in graph.pop_node.iter().flatten().chain(&graph.line_joints) {
        fed[comp[*n as usize] as usize] = true;
    }
    graph
        .village_node
        .iter()
        .enumerate()
        .filter(|(_, n)| n.is_none_or(|n| !fed[comp[n as usize] as usize]))
        .map(|(i, _)| i)
        .collect()
}
