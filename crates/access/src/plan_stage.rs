//! The last mile of a plan: the access network of every fibre village, each village
//! designed at most once however many scenarios ask for it.
//!
//! A village's design depends only on the village (its premises and streets, or the layout
//! model for its households), the last-mile model and where its OLT may stand: at the
//! nearest point of presence of the existing network (fibre along the declared circuity
//! [`DETOUR`] x the geodesic distance; line joints are not sites) or in the village. It does
//! not depend on the scenario, so a sweep's scenarios reuse the designs and only re-price:
//! [`LastMileStage::designs`] designs the villages not yet designed (in parallel, results
//! in the order asked) and hands back the stored ones.
//!
//! Settlements above [`MAX_DESIGN_HOUSEHOLDS`] are cities: the village model does not apply
//! and they keep the cost model's flat household price ([`LastMileStage::designable`]).

use crate::local::distance_m;
use crate::{design_one, AccessError, OltSite, Premise, SiteOption, VillageDesign, VillageInput};
use fiberplan_model::last_mile::LastMileModel;
use fiberplan_model::{LonLat, Pop, PopSource, Village};
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

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
    designs: Vec<OnceLock<Result<Arc<VillageDesign>, AccessError>>>,
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
            designs: (0..villages.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    pub fn model(&self) -> &LastMileModel {
        &self.model
    }

    /// Whether village `i` is designed (a city above [`MAX_DESIGN_HOUSEHOLDS`] is not).
    pub fn designable(&self, i: usize) -> bool {
        self.villages[i].households <= MAX_DESIGN_HOUSEHOLDS
    }

    /// Where village `i`'s OLT may stand: at its nearest point of presence (ties by id) and
    /// in the village itself.
    pub fn sites(&self, i: usize) -> Vec<SiteOption> {
        let v = &self.villages[i];
        let nearest = self
            .pops
            .iter()
            .map(|(id, p)| (distance_m(*p, v.lonlat), id, *p))
            .min_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        olt_sites(&self.model, &v.id, v.lonlat, nearest)
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

    /// The designs of villages `which` (each designable), in that order: stored ones as they
    /// are, the others designed now in parallel and stored. The same village always gets the
    /// same design, whichever scenario asks first.
    ///
    /// # Errors
    /// The first failing village in `which` order (a missing model figure, an overflow).
    pub fn designs(&self, which: &[usize]) -> Result<Vec<Arc<VillageDesign>>, AccessError> {
        let got: Vec<&Result<Arc<VillageDesign>, AccessError>> = which
            .par_iter()
            .map(|&i| {
                self.designs[i].get_or_init(|| {
                    let (_, mut d) = design_one(self.job(i), &self.model)?;
                    if !self.keep_geometry {
                        d.cables = Vec::new();
                        d.premises = Vec::new();
                        d.splitters = Vec::new();
                    }
                    Ok(Arc::new(d))
                })
            })
            .collect();
        got.into_iter().cloned().collect()
    }
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
