//! Reading everything a plan needs, one way for every command: the cost model, the villages,
//! the existing network and the regions, with the checks that need more than one file
//! (latitude and longitude swapped against the expected region, villages outside the bundled
//! country without a backbone), then the planning graph: the straight-line corridor proxy,
//! or the roads of an OpenStreetMap extract ([`crate::osm_inputs`]).

use crate::{existing_fibre, LoadError};
use fiberplan_io::coords::swapped_hint;
use fiberplan_io::{
    read_backbone, read_costs, read_national, read_regions, read_villages, InputError,
    NationalOptions, Region, Regions, Where,
};
use fiberplan_model::{Backbone, CostModel, LonLat, PlanSettings, ScenarioFile, Village};
use fiberplan_network::corridor_proxy::{self, ProxyOptions};
use fiberplan_network::country_mask::CountryMask;
use fiberplan_network::district_index::DistrictIndex;
use fiberplan_network::PlanningGraph;
use std::path::{Path, PathBuf};

/// Which inputs to read (`None`: the bundled default) and the model's settings.
#[derive(Clone, Debug)]
pub struct InputSpec {
    /// Villages (GeoJSON or CSV); default: the bundled national villages, or the places
    /// of the OpenStreetMap extract.
    pub villages: Option<PathBuf>,
    /// Existing network (GeoJSON); default: the bundled declared proxy, or the extract's
    /// telecom lines and towns.
    pub backbone: Option<PathBuf>,
    /// OpenStreetMap extract: plan along its roads instead of the straight-line proxy.
    pub osm: Option<PathBuf>,
    /// Cost model (TOML); default: `costs.toml` of the data folder.
    pub costs: Option<PathBuf>,
    /// Ids of villages that already have fibre (`--has-fibre`); with the bundled villages
    /// it replaces the declared proxy.
    pub has_fibre: Option<PathBuf>,
    /// Households by settlement KATO code (`kato,households`), an akimat's figures that
    /// replace the villages' own (`--households-by-kato`).
    pub households_by_kato: Option<PathBuf>,
    /// The bundled data folder, already resolved.
    pub data: PathBuf,
    /// Household size, circuity, isolated dwellings.
    pub settings: PlanSettings,
}

impl InputSpec {
    /// The bundled inputs of `data` with the default settings.
    pub fn bundled(data: &Path) -> Self {
        InputSpec {
            villages: None,
            backbone: None,
            osm: None,
            costs: None,
            has_fibre: None,
            households_by_kato: None,
            data: data.to_path_buf(),
            settings: PlanSettings::DEFAULT,
        }
    }

    /// The cost model's path: the one given, else the data folder's `costs.toml`.
    pub fn costs_path(&self) -> PathBuf {
        self.costs
            .clone()
            .unwrap_or_else(|| self.data.join("costs.toml"))
    }

    /// Fill what `self` leaves open from a scenario file's `[inputs]` (paths relative to
    /// the file at `path`), and check its settings' ranges. Inputs given in `self` win.
    pub fn with_scenario_file(
        mut self,
        path: &Path,
        file: &ScenarioFile,
    ) -> Result<Self, LoadError> {
        let base = path.parent().unwrap_or(Path::new("."));
        let rel = |p: &Option<String>| p.as_ref().map(|p| base.join(p));
        self.villages = self.villages.or(rel(&file.inputs.villages));
        self.backbone = self.backbone.or(rel(&file.inputs.backbone));
        self.costs = self.costs.or(rel(&file.inputs.costs));
        if let Some(h) = file.inputs.household_size {
            self.settings.household_size = h;
        }
        if let Some(c) = file.inputs.circuity {
            self.settings.circuity = c;
        }
        self.settings.check().map_err(|e| {
            InputError::new(path, Where::Key(format!("inputs.{}", e.key)), e.problem)
        })?;
        Ok(self)
    }

    /// The files a plan of this spec reads, in a fixed order: what a sweep's result keys
    /// hash, so that changed inputs never mix with old rows.
    pub fn files(&self) -> Vec<PathBuf> {
        let kz = self.data.join("kz");
        let mut files = vec![self.costs_path()];
        files.extend(self.osm.clone());
        match &self.villages {
            Some(v) => files.push(v.clone()),
            None if self.osm.is_none() => files.push(kz.join("populated_places.csv")),
            None => {}
        }
        match &self.backbone {
            Some(b) => files.push(b.clone()),
            None if self.osm.is_none() => files.push(kz.join("railway_stations.geojson")),
            None => {}
        }
        files.extend(self.has_fibre.clone());
        files.extend(self.households_by_kato.clone());
        files.push(kz.join("oblasts_2024.geojson"));
        files.push(kz.join("districts_2024.geojson"));
        files.push(kz.join(KATO_FILE));
        files
    }
}

/// Everything read and checked, the planning graph built.
pub struct PlanInputs {
    /// Where the cost model came from.
    pub costs_path: PathBuf,
    /// The cost model.
    pub costs: CostModel,
    /// Villages, with their districts when they lie in the bundled country.
    pub villages: Vec<Village>,
    /// The existing network; with an extract, its line joints are appended as points of
    /// presence so that `graph.pop_node` matches `backbone.pops`.
    pub backbone: Backbone,
    /// The bundled country's districts and oblasts.
    pub regions: Regions,
    /// The planning graph.
    pub graph: PlanningGraph,
    /// What the corridors are, for the outputs (e.g. "straight-line proxy (Delaunay),
    /// circuity 1.3").
    pub corridors: String,
    /// The same in two words: "straight-line proxy" or "OSM roads".
    pub corridors_kind: &'static str,
    /// Where the villages came from, for the outputs.
    pub villages_from: String,
    /// The settings the inputs were read with.
    pub settings: PlanSettings,
}

/// The official settlement classifier in the data folder's `kz/`.
pub const KATO_FILE: &str = "kato_2022-10-17_ru.csv";

/// Read, check and build: the one way every command gets from files to a planning graph.
/// Inputs are read in the order `plan` has always read them (costs, villages, regions,
/// backbone), so the first error reported is the same.
pub fn load(spec: &InputSpec) -> Result<PlanInputs, LoadError> {
    spec.settings
        .check()
        .map_err(|e| LoadError::Invalid(e.as_flag()))?;
    let mut inputs = match &spec.osm {
        Some(osm) => crate::osm_inputs::load_osm(osm, spec)?,
        None => load_proxy(spec)?,
    };
    // Settlement KATO codes and rural okrugs from the bundled classifier, where a village's
    // name matches one settlement of its district.
    let kato = spec.data.join("kz").join(KATO_FILE);
    if kato.is_file() {
        let settlements = fiberplan_io::kato::read_kato(&kato)?;
        let districts = &inputs.regions.districts;
        fiberplan_io::kato::match_villages(&mut inputs.villages, districts, &settlements);
        if let Some(path) = &spec.households_by_kato {
            let rows = fiberplan_io::kato::read_households_by_kato(path)?;
            let (set, unused) = fiberplan_io::kato::apply_households(
                path,
                &rows,
                &settlements,
                &mut inputs.villages,
                spec.settings.household_size,
            )?;
            inputs.villages_from = format!(
                "{}; households of {set} villages from {} by settlement KATO code ({unused} of its \
                 codes match no village)",
                inputs.villages_from,
                path.display()
            );
        }
    } else if let Some(path) = &spec.households_by_kato {
        return Err(InputError::file(
            path,
            format!(
                "needs the KATO classifier {}, which is missing",
                kato.display()
            ),
        )
        .into());
    }
    // A user's village far from every other village and from the network: a swapped pair
    // or a mistyped degree, named before it becomes a thousand-kilometre route.
    if let Some(vpath) = &spec.villages {
        check_isolated(vpath, &inputs.villages, &backbone_points(&inputs.backbone))?;
    }
    // Villages that already have fibre: the user's list, else (bundled villages only) the
    // declared proxy; they become points of presence.
    if let Some(list) = &spec.has_fibre {
        existing_fibre::mark_listed(list, &mut inputs.villages)?;
    } else if spec.villages.is_none() && spec.osm.is_none() && spec.settings.fibre_proxy {
        existing_fibre::mark_proxy(
            &mut inputs.villages,
            &inputs.backbone,
            spec.settings.fibre_proxy_km,
        );
    }
    existing_fibre::describe(spec, &inputs.villages, &mut inputs.backbone);
    existing_fibre::add_fibre_villages_as_pops(
        &inputs.villages,
        &mut inputs.backbone,
        &mut inputs.graph,
    );
    // Money is exact whole tenge: refuse inputs whose dearest plan could overflow it.
    fiberplan_plan::economics::check_money_bound(
        &inputs.costs,
        &inputs.villages,
        inputs.graph.corridors.iter().map(|c| c.cost_kzt),
    )
    .map_err(|m| InputError::file(&inputs.costs_path, m))?;
    Ok(inputs)
}

fn load_proxy(spec: &InputSpec) -> Result<PlanInputs, LoadError> {
    let kz = spec.data.join("kz");
    let costs_path = spec.costs_path();
    let costs = read_costs(&costs_path)?;
    let nopts = NationalOptions {
        household_size: spec.settings.household_size,
        include_isolated: spec.settings.include_isolated,
    };
    let (villages, backbone, regions, mask) = match &spec.villages {
        None => {
            let nd = read_national(&kz, &nopts)?;
            let backbone = match &spec.backbone {
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
            let mut villages = read_villages(vpath, spec.settings.household_size)?;
            let regions = read_regions(&kz)?;
            let mask = CountryMask::new(&regions.country);
            let vpoints: Vec<LonLat> = villages.iter().map(|v| v.lonlat).collect();
            let backbone = match &spec.backbone {
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
    // Every village inside (or within 3 cells of) the country: corridors are kept inside.
    let inside_kz = villages.iter().all(|v| mask.near(v.lonlat, 3));
    let circuity = spec.settings.circuity;
    let popts = ProxyOptions {
        circuity,
        ..ProxyOptions::default()
    };
    let graph = corridor_proxy::build(
        &villages,
        &backbone,
        inside_kz.then_some(&mask),
        &costs,
        &popts,
    );
    let villages_from = spec
        .villages
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "bundled: data/kz/populated_places.csv".into());
    Ok(PlanInputs {
        costs_path,
        costs,
        villages,
        backbone,
        regions,
        graph,
        corridors: format!("straight-line proxy (Delaunay), circuity {circuity}"),
        corridors_kind: "straight-line proxy",
        villages_from,
        settings: spec.settings,
    })
}

/// Points of presence and line vertices of a backbone.
fn backbone_points(bb: &Backbone) -> Vec<LonLat> {
    bb.pops
        .iter()
        .map(|p| p.lonlat)
        .chain(bb.lines.iter().flatten().copied())
        .collect()
}

/// The box around `points` grown by half its size and at least one degree each way: where
/// villages served from these points can be expected.
fn surroundings(points: &[LonLat]) -> Region {
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
pub(crate) fn check_swapped(
    path: &Path,
    points: &[LonLat],
    region: &Region,
) -> Result<(), InputError> {
    match swapped_hint(points, region) {
        Some(hint) => Err(InputError::file(path, hint)),
        None => Ok(()),
    }
}

/// A village this far from every other village and from every point of the network is taken
/// for a coordinate mistake.
pub const ISOLATED_KM: f64 = 500.0;

/// The first village (in file order) whose nearest other village or network point is over
/// [`ISOLATED_KM`] away, as an error naming it; nothing with fewer than three villages.
fn check_isolated(path: &Path, villages: &[Village], network: &[LonLat]) -> Result<(), InputError> {
    use fiberplan_network::geodesy::distance_m;
    use rstar::{primitives::GeomWithData, RTree};
    if villages.len() < 3 {
        return Ok(());
    }
    // Points on the unit sphere: the chord orders neighbours as the great circle does.
    let unit = |p: LonLat| {
        let (lon, lat) = (p[0].to_radians(), p[1].to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    };
    let pts: Vec<GeomWithData<[f64; 3], usize>> = villages
        .iter()
        .map(|v| v.lonlat)
        .chain(network.iter().copied())
        .enumerate()
        .map(|(i, p)| GeomWithData::new(unit(p), i))
        .collect();
    let all: Vec<LonLat> = villages
        .iter()
        .map(|v| v.lonlat)
        .chain(network.iter().copied())
        .collect();
    let tree = RTree::bulk_load(pts);
    for (i, v) in villages.iter().enumerate() {
        let nearest = tree
            .nearest_neighbor_iter(&unit(v.lonlat))
            .find(|n| n.data != i)
            .map(|n| distance_m(v.lonlat, all[n.data]));
        if let Some(d) = nearest.filter(|&d| d > ISOLATED_KM * 1000.0) {
            return Err(InputError::file(
                path,
                format!(
                    "village {:?} at ({}, {}) is {:.0} km from every other village and the network: \
                     latitude and longitude swapped, or a mistyped degree? ([lon, lat] expected)",
                    v.id,
                    v.lonlat[0],
                    v.lonlat[1],
                    d / 1000.0
                ),
            ));
        }
    }
    Ok(())
}

/// Villages outside the bundled country are an error unless the user brings a backbone.
fn check_inside(path: &Path, villages: &[Village], mask: &CountryMask) -> Result<(), InputError> {
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
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surroundings_grow_by_at_least_a_degree() {
        let r = surroundings(&[[10.0, 50.0], [10.5, 50.2]]);
        assert_eq!(r.bbox, [9.0, 49.0, 11.5, 51.2]);
    }

    #[test]
    fn files_of_the_bundled_spec_are_fixed() {
        let spec = InputSpec::bundled(Path::new("d"));
        let names: Vec<String> = spec
            .files()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "d/costs.toml",
                "d/kz/populated_places.csv",
                "d/kz/railway_stations.geojson",
                "d/kz/oblasts_2024.geojson",
                "d/kz/districts_2024.geojson",
                "d/kz/kato_2022-10-17_ru.csv"
            ]
        );
    }

    #[test]
    fn scenario_file_settings_are_checked_with_their_key() {
        let file: ScenarioFile = ScenarioFile {
            inputs: fiberplan_model::Inputs {
                household_size: Some(0.5),
                ..Default::default()
            },
            scenario: fiberplan_model::Scenario::quota(1),
            grid: None,
            monte_carlo: None,
        };
        let e = InputSpec::bundled(Path::new("d"))
            .with_scenario_file(Path::new("s/x.toml"), &file)
            .map(|_| ())
            .expect_err("out of range");
        assert_eq!(
            e.to_string(),
            "s/x.toml: inputs.household_size: 0.5 must be between 1 and 20"
        );
    }

    #[test]
    fn a_village_far_from_all_others_is_named() {
        let v = |id: &str, lon: f64, lat: f64| Village {
            id: id.into(),
            lonlat: [lon, lat],
            ..Village::default()
        };
        let path = Path::new("v.csv");
        let ok = [v("a", 71.8, 52.3), v("b", 71.9, 52.2), v("c", 70.9, 52.0)];
        assert!(check_isolated(path, &ok, &[]).is_ok());
        // c's coordinates swapped: (52.0, 70.9) is in the Arctic, 2,000 km from a and b.
        let swapped = [v("a", 71.8, 52.3), v("b", 71.9, 52.2), v("c", 52.0, 70.9)];
        let e = check_isolated(path, &swapped, &[]).unwrap_err().to_string();
        assert!(
            e.starts_with("v.csv: village \"c\" at (52, 70.9) is "),
            "{e}"
        );
        assert!(e.contains("swapped"), "{e}");
        // A network point near it makes it plausible; two villages are too few to judge.
        assert!(check_isolated(path, &swapped, &[[52.1, 70.8]]).is_ok());
        assert!(check_isolated(path, &swapped[1..], &[]).is_ok());
    }
}
