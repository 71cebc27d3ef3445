//! The last mile of a plan: the access network of every fibre village, each village
//! designed at most once however many scenarios ask for it.
//!
//! A village's design depends only on the village (its premises and streets, or the layout
//! model for its households), the last-mile model, the take-up and where its OLT may stand:
//! at the nearest point of presence of the existing network (fibre along the declared
//! circuity [`DETOUR`] x the geodesic distance; line joints are not sites) or in the
//! village. A sweep's scenarios reuse the designs: [`LastMileStage::designs_at`] designs
//! the villages not yet designed at that take-up (in parallel, results in the order asked)
//! and hands back the stored ones.
//!
//! What a scenario's take-up re-prices, and what it holds. The village's layout (premises,
//! which are modelled, streets), its trench tree with the certified lower bound, the street
//! route's placement (aerial on existing or new poles, underground) and civil cost, every
//! drop's length and the OLT site options are held: laid out once per village
//! ([`crate::lay_out_job`], the Steiner solve, the expensive part) and kept when the stage
//! is asked to ([`LastMileStage::keep_layouts`]: a sweep with more than one take-up).
//! Re-priced at the take-up by [`crate::design`] on that layout: connected households per
//! premise (`floor(passed x take-up)`, spread along the streets), ONTs (= connected
//! households), drops and their cable (= connected premises), the splitters the design
//! installs for those connections (clustering, ratios, fill), the OLT's PON ports, the
//! site, split and optics class chosen again under the optical budget, feeder and
//! distribution fibre counts and cable sizes, closures, splices and every price. Designs
//! are kept by (village, take-up in 0.1 %: the resolution of [`crate::design::connections`]),
//! so scenarios that differ only in corridor or wireless prices re-use them as they are.
//!
//! Settlements above [`MAX_DESIGN_HOUSEHOLDS`] are cities: the village model does not apply
//! and they keep the cost model's flat household price ([`LastMileStage::designable`]).

use crate::local::distance_m;
use crate::{
    design, lay_out_job, AccessError, OltSite, Premise, SiteOption, VillageDesign, VillageInput,
    VillageLayout,
};
use fiberplan_model::last_mile::LastMileModel;
use fiberplan_model::{LonLat, Pop, PopSource, Scenario, Village};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

/// One stored design (or why the village could not be designed).
type Stored = Arc<OnceLock<Result<Arc<VillageDesign>, AccessError>>>;

/// Circuity of the fibre from a point of presence to the village (as the proxy corridors').
pub const DETOUR: f64 = fiberplan_model::PlanSettings::CIRCUITY;

/// Largest settlement the last mile designs (the national default's largest fibre village
/// has 10,134 households).
pub const MAX_DESIGN_HOUSEHOLDS: u64 = 50_000;

/// One village as the stage sees it.
#[derive(Clone, Debug)]
struct StageVillage {
    id: String,
    lonlat: LonLat,
    households: u64,
}

/// The designs of a plan's villages, made on demand and kept.
pub struct LastMileStage {
    model: LastMileModel,
    villages: Vec<StageVillage>,
    /// Premises and streets from an extract, by village (`None`: the layout model).
    osm: Vec<Option<VillageInput>>,
    /// Points of presence an OLT may stand at: id and position.
    pops: Vec<(String, LonLat)>,
    /// Keep cables and premises (`false`: a sweep that only prices keeps the bill alone).
    keep_geometry: bool,
    /// Keep each village's layout (its trench tree) for designs at other take-ups.
    keep_layouts: bool,
    layouts: Vec<OnceLock<Result<Arc<VillageLayout>, AccessError>>>,
    /// Designs by village, then by take-up in 0.1 % steps.
    designs: Vec<Mutex<BTreeMap<u64, Stored>>>,
}

impl LastMileStage {
    /// A stage over the plan's `villages`. `osm[i]` is village i's input from an extract
    /// (`None`, or a shorter list: the layout model); `pops` the existing network's points
    /// of presence (line joints are left out: no OLT stands at a joint).
    pub fn new(
        model: LastMileModel,
        villages: &[Village],
        mut osm: Vec<Option<VillageInput>>,
        pops: &[Pop],
        keep_geometry: bool,
    ) -> Self {
        osm.resize(villages.len(), None);
        LastMileStage {
            model,
            villages: villages
                .iter()
                .map(|v| StageVillage {
                    id: v.id.clone(),
                    lonlat: v.lonlat,
                    households: v.households,
                })
                .collect(),
            osm,
            pops: pops
                .iter()
                .filter(|p| p.source != PopSource::LineJoint)
                .map(|p| (p.id.clone(), p.lonlat))
                .collect(),
            keep_geometry,
            keep_layouts: false,
            layouts: (0..villages.len()).map(|_| OnceLock::new()).collect(),
            designs: (0..villages.len()).map(|_| Mutex::default()).collect(),
        }
    }

    /// Keep every village's layout once laid out, so that a design at another take-up
    /// starts from its trench tree instead of solving it again (a sweep over take-ups).
    /// Without it a design at a new take-up lays the village out again: the same design,
    /// more time, less memory.
    pub fn keep_layouts(mut self, keep: bool) -> Self {
        self.keep_layouts = keep;
        self
    }

    pub fn model(&self) -> &LastMileModel {
        &self.model
    }

    /// The take-up `scenario` is designed and priced at: its own (`plan --take-up`, a
    /// scenario file's `take_up_pct`), else the model's.
    pub fn take_up_of(&self, scenario: &Scenario) -> f64 {
        scenario.take_up_pct.unwrap_or(self.model.take_up_pct)
    }

    /// Whether village `i` is designed (a city above [`MAX_DESIGN_HOUSEHOLDS`] is not).
    pub fn designable(&self, i: usize) -> bool {
        self.villages[i].households <= MAX_DESIGN_HOUSEHOLDS
    }

    /// Where village `i`'s OLT may stand: at its nearest point of presence (ties by id) and
    /// in the village itself.
    pub fn sites(&self, i: usize) -> Vec<SiteOption> {
        let v = &self.villages[i];
        olt_sites(
            &self.model,
            &v.id,
            v.lonlat,
            nearest_pop(&self.pops, v.lonlat),
        )
    }

    /// The job of village `i`: its extract input, or one modelled premise per household at
    /// its centre (the layout model spreads them along generated streets).
    fn job(&self, i: usize) -> crate::VillageJob {
        let v = &self.villages[i];
        let input = self.osm[i].clone().unwrap_or_else(|| VillageInput {
            id: v.id.clone(),
            feed: v.lonlat,
            premises: vec![
                Premise {
                    lonlat: v.lonlat,
                    households: 1,
                    modelled: true,
                    osm: None,
                };
                v.households as usize
            ],
            streets: Vec::new(),
        });
        crate::VillageJob {
            input,
            sites: self.sites(i),
        }
    }

    /// The designs of villages `which` (each designable) at the model's take-up.
    ///
    /// # Errors
    /// As [`LastMileStage::designs_at`].
    pub fn designs(&self, which: &[usize]) -> Result<Vec<Arc<VillageDesign>>, AccessError> {
        self.designs_at(which, self.model.take_up_pct)
    }

    /// The take-up key of the stored designs: 0.1 % steps, as [`crate::design::connections`]
    /// resolves the take-up; take-ups with one key get one design.
    pub fn take_up_key(take_up_pct: f64) -> u64 {
        (take_up_pct * 10.0).round().clamp(0.0, 1000.0) as u64
    }

    /// The designs of villages `which` (each designable) at `take_up_pct` (percent of the
    /// households passed), in that order: stored ones as they are, the others designed now
    /// in parallel and stored. The same village at the same take-up always gets the same
    /// design, whichever scenario asks first, and the design of `plan` at that take-up.
    ///
    /// # Errors
    /// The first failing village in `which` order (a missing model figure, an overflow).
    pub fn designs_at(
        &self,
        which: &[usize],
        take_up_pct: f64,
    ) -> Result<Vec<Arc<VillageDesign>>, AccessError> {
        let key = Self::take_up_key(take_up_pct);
        let mut owned = None;
        let model: &LastMileModel = if Self::take_up_key(self.model.take_up_pct) == key {
            &self.model
        } else {
            owned.insert(LastMileModel {
                take_up_pct,
                ..self.model.clone()
            })
        };
        let got: Vec<Result<Arc<VillageDesign>, AccessError>> = which
            .par_iter()
            .map(|&i| {
                let slot: Stored = {
                    let mut m = self.designs[i].lock().unwrap_or_else(|e| e.into_inner());
                    m.entry(key).or_default().clone()
                };
                slot.get_or_init(|| {
                    let layout = self.layout(i)?;
                    let mut d = design(&layout, model, &self.sites(i))?;
                    if !self.keep_geometry {
                        d.cables = Vec::new();
                        d.premises = Vec::new();
                        d.splitters = Vec::new();
                        d.streets = Vec::new();
                    }
                    Ok(Arc::new(d))
                })
                .clone()
            })
            .collect();
        got.into_iter().collect()
    }

    /// Village `i`'s layout and trench tree: the stored one, or laid out now (and stored
    /// when the stage keeps layouts).
    fn layout(&self, i: usize) -> Result<Arc<VillageLayout>, AccessError> {
        let make = || lay_out_job(self.job(i).input, &self.model).map(Arc::new);
        if self.keep_layouts {
            self.layouts[i].get_or_init(make).clone()
        } else {
            make()
        }
    }
}

/// The point of presence nearest to `at` by geodesic distance (ties by id): distance in
/// metres, id, position.
///
/// The geodesic is taken only for the few points of presence that can be the nearest: a
/// spherical distance is within [`SPHERE_REL_ERR`] of the geodesic one, so a point whose
/// spherical distance exceeds the least one by more than the factor
/// (1 + err) / (1 - err) is farther than that nearest candidate on the ellipsoid too.
pub fn nearest_pop(pops: &[(String, LonLat)], at: LonLat) -> Option<(f64, &String, LonLat)> {
    let sphere: Vec<f64> = pops.iter().map(|(_, p)| sphere_m(*p, at)).collect();
    let least = sphere.iter().copied().fold(f64::INFINITY, f64::min);
    let reach = least * (1.0 + SPHERE_REL_ERR) / (1.0 - SPHERE_REL_ERR) + 1.0;
    pops.iter()
        .zip(&sphere)
        .filter(|(_, &d)| d <= reach)
        .map(|((id, p), _)| (distance_m(*p, at), id, *p))
        .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)))
}

/// Bound on the relative difference between the great-circle distance on the sphere of
/// the mean radius and the WGS84 geodesic one: the ellipsoid's radii of curvature lie
/// between 6,335 km (meridian at the equator) and 6,400 km (at the poles), within 0.6 % of
/// 6,371 km; 1 % leaves room.
pub const SPHERE_REL_ERR: f64 = 0.01;

/// Great-circle distance in metres on the sphere of the Earth's mean radius (haversine).
fn sphere_m(a: LonLat, b: LonLat) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (a[1].to_radians(), b[1].to_radians());
    let dp = p2 - p1;
    let dl = (b[0] - a[0]).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Where a village's OLT may stand: at the point of presence `pop` (distance in metres, id,
/// position; fibre along [`DETOUR`]), when there is one, and in the village itself.
pub fn olt_sites(
    model: &LastMileModel,
    village_id: &str,
    village: LonLat,
    pop: Option<(f64, &String, LonLat)>,
) -> Vec<SiteOption> {
    let mut sites = Vec::new();
    if let Some((d, id, lonlat)) = pop {
        sites.push(SiteOption {
            site: OltSite::Pop,
            id: id.clone(),
            lonlat,
            fibre_m: d * DETOUR,
            site_kzt: model.costs.olt_site_pop_kzt,
        });
    }
    sites.push(SiteOption {
        site: OltSite::Village,
        id: village_id.to_string(),
        lonlat: village,
        fibre_m: 0.0,
        site_kzt: model.costs.olt_site_village_kzt,
    });
    sites
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every point of presence's geodesic distance, the least (ties by id).
    fn brute(pops: &[(String, LonLat)], at: LonLat) -> Option<(f64, &String, LonLat)> {
        pops.iter()
            .map(|(id, p)| (distance_m(*p, at), id, *p))
            .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)))
    }

    #[test]
    fn the_sphere_stays_within_its_bound_of_the_geodesic() {
        // Along a meridian at the equator (the ellipsoid's smallest radius) and along the
        // equator (its largest), short and long, and near a pole.
        for (a, b) in [
            ([0.0, 0.0], [0.0, 0.01]),
            ([0.0, -5.0], [0.0, 5.0]),
            ([0.0, 0.0], [0.01, 0.0]),
            ([0.0, 0.0], [20.0, 0.0]),
            ([10.0, 89.9], [10.0, 89.99]),
            ([76.9, 43.2], [71.4, 51.1]),
        ] {
            let (s, g) = (sphere_m(a, b), distance_m(a, b));
            assert!(
                (s - g).abs() <= 0.6e-2 * g,
                "{a:?} {b:?}: sphere {s} geodesic {g}"
            );
        }
    }

    #[test]
    fn ties_go_to_the_smaller_id() {
        let at = [70.0, 50.0];
        let pops = vec![
            ("b".to_string(), [70.1, 50.0]),
            ("a".to_string(), [69.9, 50.0]),
            ("c".to_string(), [70.0, 50.5]),
        ];
        let got = nearest_pop(&pops, at).unwrap();
        assert_eq!(got, brute(&pops, at).unwrap());
        assert_eq!(got.1, "a");
        assert!(nearest_pop(&[], at).is_none());
    }

    proptest! {
        /// The filtered search finds exactly the point the full geodesic scan finds, also
        /// where the candidates are nearly equidistant along different azimuths (where the
        /// sphere and the ellipsoid disagree on the order).
        #[test]
        fn nearest_pop_is_the_full_scans(
            lon in 46.0f64..88.0,
            lat in 40.0f64..56.0,
            ring in prop::collection::vec((0.0f64..360.0, 0.999f64..1.001), 1..12),
            far in prop::collection::vec((46.0f64..88.0, 40.0f64..56.0), 0..40),
            r_km in 0.5f64..300.0,
        ) {
            let at = [lon, lat];
            let mut pops: Vec<(String, LonLat)> = Vec::new();
            for (k, (az, f)) in ring.iter().enumerate() {
                // Points on a circle of about r_km, in local degrees.
                let d = r_km * f / 111.0;
                let p = [lon + d * az.to_radians().sin() / lat.to_radians().cos(), lat + d * az.to_radians().cos()];
                pops.push((format!("r{k:02}"), p));
            }
            for (k, p) in far.iter().enumerate() {
                pops.push((format!("f{k:02}"), [p.0, p.1]));
            }
            prop_assert_eq!(nearest_pop(&pops, at), brute(&pops, at));
        }
    }
}
