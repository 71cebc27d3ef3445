//! Mobile coverage: the site, candidate, backhaul and radio figures that
//! `fiberplan-mobile` plans with (`data/mobile.toml`, every figure documented there with
//! its source or marked as fiberplan's estimate). No I/O here.

use crate::Kzt;
use serde::{Deserialize, Serialize};

/// The mobile-coverage model: read from TOML by `fiberplan-io`, unknown fields rejected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MobileModel {
    pub site: SiteCosts,
    pub candidates: CandidateRules,
    pub backhaul: BackhaulCosts,
    /// Road coverage: the technology and link budget a road sample is judged by.
    pub roads: RadioBudget,
    /// City 5G: the technology and link budget a 50 m cell is judged by.
    pub city: RadioBudget,
}

/// What a site costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteCosts {
    /// Foundation, fence, civil works and permits of a new mast.
    pub mast_base_kzt: Kzt,
    /// Steel of a lattice mast per metre of height.
    pub mast_per_m_kzt: Kzt,
    /// Radio, baseband, antennas, power system and installation of one technology.
    pub equipment_kzt: Kzt,
    /// 10 kV overhead power line from the nearest settlement, per km.
    pub power_line_per_km_kzt: Kzt,
    /// A site with no settlement nearer than this gets solar and batteries instead.
    pub power_line_max_km: f64,
    /// Solar and battery power system where no grid is near.
    pub off_grid_power_kzt: Kzt,
}

/// Where candidate sites are put, and how tall.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateRules {
    /// Along every road, one candidate every this many km.
    pub road_spacing_km: f64,
    /// Settlements within this distance of a covered road are candidates.
    pub village_max_km: f64,
    /// With a DEM, the highest ground within this distance of each road candidate.
    pub high_ground_radius_km: f64,
    /// ... taken when it stands at least this much above the road candidate.
    pub high_ground_min_gain_m: f64,
    /// Mast height of new road, village and high-ground candidates.
    pub mast_height_m: f64,
    /// City 5G: candidates on a square lattice this far apart inside the city.
    pub city_spacing_m: f64,
    /// City 5G: antenna height of a new rooftop or pole site.
    pub city_height_m: f64,
}

/// What joining a site to the network costs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackhaulCosts {
    /// A microwave hop: two radios, two dishes, installation and licence.
    pub microwave_link_kzt: Kzt,
    /// Longest microwave hop.
    pub microwave_max_km: f64,
    /// Share of the first Fresnel zone that must be clear of terrain (0.6 is usual).
    pub fresnel_clearance: f64,
    /// Effective earth-radius factor for line of sight (4/3 standard atmosphere).
    pub k_factor: f64,
    /// Frequency of microwave hops, for the Fresnel zone.
    pub microwave_f_ghz: f64,
}

/// A link budget: the received reference-signal power at a terminal and the level it
/// must reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RadioBudget {
    /// Technology name for the outputs (`lte_800`, `nr_3500`).
    pub technology: String,
    pub f_mhz: f64,
    /// Reference-signal EIRP per resource element at the sector's boresight, dBm.
    pub rs_eirp_dbm: f64,
    /// RSRP (LTE) or SS-RSRP (NR) a covered terminal must receive, dBm.
    pub threshold_dbm: f64,
    /// Terminal antenna height above ground, m.
    pub h_ut_m: f64,
    /// Terminal antenna gain, dBi.
    pub rx_gain_dbi: f64,
    /// Body, vehicle or building losses taken off the received level, dB.
    pub margin_db: f64,
}

/// A road to cover, from an OSM extract or a user's GeoJSON.
#[derive(Clone, Debug, PartialEq)]
pub struct RoadLine {
    /// OSM way id, or `f<feature index>` for GeoJSON.
    pub id: String,
    /// OSM `highway` value, or the GeoJSON `class` property as given.
    pub highway: String,
    /// `ref` as tagged (may mix Cyrillic and Latin look-alikes), empty when untagged.
    pub reference: String,
    /// Geometry, at least two points.
    pub coords: Vec<crate::LonLat>,
}

/// A mast that stands already.
#[derive(Clone, Debug, PartialEq)]
pub struct ExistingSite {
    pub id: String,
    pub lonlat: crate::LonLat,
    /// Antenna height above ground, m.
    pub height_m: f64,
    /// Technologies on air (`lte_800`, `nr_3500`, `gsm`, ...); empty when unknown.
    pub technologies: Vec<String>,
}
