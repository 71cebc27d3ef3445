//! Villages, points of presence, the existing network and districts.

use crate::LonLat;
use serde::{Deserialize, Serialize};

/// An administrative district (adm2) the way reports name it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    /// KATO code of the district (9 digits), the key of district packages.
    pub kato: String,
    pub name_en: String,
    pub name_kk: String,
    pub name_ru: String,
    /// Region (oblast, adm1) in English.
    pub oblast_en: String,
    /// The region in Kazakh and Russian, when the districts file names it.
    #[serde(default)]
    pub oblast_kk: String,
    #[serde(default)]
    pub oblast_ru: String,
}

/// A settlement that may be connected.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Village {
    /// Unique id as given in the input (OSM node id for the bundled data).
    pub id: String,
    pub name: String,
    pub name_kk: String,
    pub name_ru: String,
    pub lonlat: LonLat,
    /// OSM `place` value (`village`, `hamlet`, ...) or `user` for user input.
    pub place: String,
    pub population: u64,
    pub households: u64,
    /// True when `population` was imputed because the input had none.
    pub population_imputed: bool,
    /// The settlement's KATO code (9 digits) in the official classifier, when its name
    /// matched one settlement of its district there; empty otherwise.
    #[serde(default)]
    pub kato: String,
    /// The rural okrug (ауылдық округ / сельский округ) the classifier puts it in, in
    /// Russian as the classifier names it; empty when unknown or not in one.
    #[serde(default)]
    pub rural_okrug: String,
    /// Index into the district table, when the village lies in a known district.
    pub district: Option<usize>,
    /// Why the village is taken to have fibre already (`None`: it has none). Such a village
    /// gets no new route: its node is a point of presence and its households are not demand.
    #[serde(default)]
    pub existing_fibre: Option<ExistingFibre>,
}

impl Village {
    /// Households the plan may still connect: none where fibre is already there.
    pub fn new_households(&self) -> u64 {
        if self.existing_fibre.is_some() {
            0
        } else {
            self.households
        }
    }
}

/// What says that a village already has fibre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistingFibre {
    /// The villages file's `has_fibre` column or property.
    Input,
    /// The list of village ids given with `--has-fibre`.
    List,
    /// The declared proxy: the district's administrative centre in the KATO classifier.
    ProxyDistrictCentre,
    /// The declared proxy: within the set distance of a city's or town's point of presence.
    ProxyNearTown,
}

impl ExistingFibre {
    pub fn as_str(self) -> &'static str {
        match self {
            ExistingFibre::Input => "input",
            ExistingFibre::List => "list",
            ExistingFibre::ProxyDistrictCentre => "proxy_district_centre",
            ExistingFibre::ProxyNearTown => "proxy_near_town",
        }
    }

    /// True for the declared proxy, false for what the user's files say.
    pub fn is_assumed(self) -> bool {
        matches!(
            self,
            ExistingFibre::ProxyDistrictCentre | ExistingFibre::ProxyNearTown
        )
    }
}

/// Where a point of presence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PopSource {
    /// A city or town: the declared proxy for the national operator's backbone.
    City,
    Town,
    /// A railway station: the railway operator runs fibre along its lines.
    RailwayStation,
    /// A point of presence from the user's backbone file.
    User,
    /// A joint on an existing fibre line, created where a village's route attaches.
    LineJoint,
    /// Chosen because the input had no other candidate (most populous place).
    Fallback,
    /// A village that already has fibre (its input, the `--has-fibre` list or the proxy).
    VillageWithFibre,
}

/// A point of presence on the existing network.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pop {
    pub id: String,
    pub name: String,
    pub lonlat: LonLat,
    pub source: PopSource,
}

/// The existing fibre network: points of presence and lines.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Backbone {
    pub pops: Vec<Pop>,
    /// Existing fibre lines; a village may attach anywhere along them.
    pub lines: Vec<Vec<LonLat>>,
    /// True when this is the bundled proxy (cities, towns, railway stations), not real data.
    pub is_proxy: bool,
    /// Human description of where the backbone came from, repeated in outputs.
    pub description: String,
}
