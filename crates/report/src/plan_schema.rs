//! The typed schema of `plan.geojson`: one definition of every feature's properties, used by
//! the writer ([`crate::PlanContext::geojson`]), by `fiberplan diff` to read plans back, and
//! by the tests. A property has one JSON type in every run (QGIS styles and joins survive
//! between runs): `phase` is the build year, and 0 when the plan is not phased or the
//! village or route fits in no phase's budget.

use serde::{Deserialize, Deserializer, Serialize};

/// The `phase` of a village or route: its year, or 0 for none.
pub fn phase_value(phase: Option<u16>) -> u16 {
    phase.unwrap_or(0)
}

/// Reads `phase` as written now (an integer) or by fiberplan before 0.2 (null when unphased).
fn phase_from<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    Ok(Option::<u16>::deserialize(d)?.unwrap_or(0))
}

/// District columns of a route or village (null outside every district).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DistrictProps {
    /// The district's KATO code.
    pub district_kato: Option<String>,
    /// District name in English.
    pub district_en: Option<String>,
    /// District name in Kazakh.
    pub district_kk: Option<String>,
    /// District name in Russian.
    pub district_ru: Option<String>,
    /// Oblast name in English.
    pub oblast_en: Option<String>,
}

/// A `kind: "new_fibre"` LineString: one route of new fibre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RouteProps {
    /// `route-N`.
    pub id: String,
    /// Always `fibre`.
    pub technology: String,
    /// Costed length (drawn length x circuity for the straight-line proxy), km.
    pub length_km: f64,
    /// Build year, 0 for none.
    #[serde(deserialize_with = "phase_from")]
    pub phase: u16,
    /// Geodesic length of the drawn line, km.
    pub drawn_length_km: f64,
    /// Capital cost of the route's corridors.
    pub cost_kzt: i64,
    /// Corridor kinds along it (`proxy`, `road`, ...), comma-separated.
    pub corridor_type: String,
    /// OSM road classes along it, comma-separated.
    pub road_classes: String,
    /// Road names along it, `; `-separated.
    pub road_names: String,
    /// OSM way ids along it.
    pub osm_way_ids: Vec<i64>,
    /// Bridge stretches along it.
    pub bridges: u32,
    /// Tunnel stretches along it.
    pub tunnels: u32,
    /// Railway crossings along it.
    pub railway_crossings: u32,
    /// The district of its midpoint.
    #[serde(flatten)]
    pub district: DistrictProps,
    /// Simplestyle title.
    pub title: String,
    /// Simplestyle description.
    pub description: String,
    /// Simplestyle line colour.
    pub stroke: String,
    /// Simplestyle line width.
    #[serde(rename = "stroke-width")]
    pub stroke_width: u32,
}

/// A `kind: "village"` Point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VillageProps {
    /// The input's id.
    pub id: String,
    /// Name as given.
    pub name: String,
    /// Kazakh name.
    pub name_kk: String,
    /// Russian name.
    pub name_ru: String,
    /// OSM place class or `user`.
    pub place: String,
    /// Households.
    pub households: u64,
    /// Population.
    pub population: u64,
    /// The population was imputed (an estimate).
    pub population_imputed: bool,
    /// The households are an estimate (derived from an imputed population).
    #[serde(default)]
    pub households_imputed: bool,
    /// Settlement KATO code (9 digits) from the official classifier, empty when unmatched.
    #[serde(default)]
    pub settlement_kato: String,
    /// Rural okrug from the classifier, empty when unknown.
    #[serde(default)]
    pub rural_okrug: String,
    /// `fibre`, `fwa`, `satellite`, `existing_fibre` or `none`.
    pub technology: String,
    /// The village is taken to have fibre already: no new route, not counted as connected.
    #[serde(default)]
    pub assumed_served: bool,
    /// Why (`input`, `list`, `proxy_district_centre`, `proxy_near_town`), null when not.
    #[serde(default)]
    pub existing_fibre_basis: Option<String>,
    /// No corridor reaches it from the existing network.
    pub unreachable: bool,
    /// Capital cost of its own equipment and connections.
    pub cost_kzt: i64,
    /// Build year, 0 for none.
    #[serde(deserialize_with = "phase_from")]
    pub phase: u16,
    /// Fibre's marginal lifecycle cost per household.
    pub fibre_marginal_kzt_per_household: Option<i64>,
    /// The cheapest alternative to fibre.
    pub alternative: Option<String>,
    /// The alternative's lifecycle cost per household.
    pub alternative_kzt_per_household: Option<i64>,
    /// Its district.
    #[serde(flatten)]
    pub district: DistrictProps,
    /// Simplestyle title.
    pub title: String,
    /// Simplestyle description.
    pub description: String,
    /// Simplestyle marker colour.
    #[serde(rename = "marker-color")]
    pub marker_color: String,
    /// Simplestyle marker size.
    #[serde(rename = "marker-size")]
    pub marker_size: String,
}

/// A `kind: "pop"` Point: a point of presence (or a joint on an existing line) the plan
/// attaches to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PopProps {
    /// The backbone's id, or `joint/N` for a line joint.
    pub id: String,
    /// Its name.
    pub name: String,
    /// `city`, `town`, `railway_station`, `user`, ..., or `line_joint`.
    pub source: String,
    /// The backbone is a declared proxy.
    pub proxy: bool,
    /// Simplestyle title.
    pub title: String,
    /// Simplestyle marker colour.
    #[serde(rename = "marker-color")]
    pub marker_color: String,
    /// Simplestyle marker symbol.
    #[serde(rename = "marker-symbol")]
    pub marker_symbol: String,
}

/// A feature's properties, by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanProps {
    /// A new fibre route.
    NewFibre(RouteProps),
    /// A village.
    Village(VillageProps),
    /// A point of presence.
    Pop(PopProps),
}

/// A GeoJSON geometry of the plan (positions `[lon, lat]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum PlanGeometry {
    /// A village or point of presence.
    Point {
        /// `[lon, lat]`.
        coordinates: [f64; 2],
    },
    /// A route.
    LineString {
        /// `[lon, lat]` positions.
        coordinates: Vec<[f64; 2]>,
    },
    /// A route in several parts: one that crosses the antimeridian, cut there (RFC 7946,
    /// 3.1.9), or one written by another tool.
    MultiLineString {
        /// The parts.
        coordinates: Vec<Vec<[f64; 2]>>,
    },
}

impl PlanGeometry {
    /// A route's geometry: a LineString, or a MultiLineString cut at the antimeridian when
    /// it crosses ±180° (RFC 7946, 3.1.9: straight lines in `[lon, lat]` would otherwise go
    /// the long way round).
    pub fn line(coordinates: Vec<[f64; 2]>) -> PlanGeometry {
        if coordinates
            .windows(2)
            .any(|w| fiberplan_model::antimeridian::crosses(w[0], w[1]))
        {
            PlanGeometry::MultiLineString {
                coordinates: fiberplan_model::antimeridian::split_line(&coordinates),
            }
        } else {
            PlanGeometry::LineString { coordinates }
        }
    }
}

/// One feature of `plan.geojson`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanFeature {
    /// Always `Feature`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its geometry.
    pub geometry: PlanGeometry,
    /// Its properties.
    pub properties: PlanProps,
}

/// `plan.geojson`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanCollection {
    /// Always `FeatureCollection`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Data attribution.
    pub attribution: String,
    /// What the existing network is.
    pub backbone: String,
    /// Routes, then villages, then points of presence.
    pub features: Vec<PlanFeature>,
}

impl PlanCollection {
    /// Parse a `plan.geojson` text: an error names what does not fit the schema.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The routes with their geometry.
    pub fn routes(&self) -> impl Iterator<Item = (&RouteProps, &PlanGeometry)> {
        self.features.iter().filter_map(|f| match &f.properties {
            PlanProps::NewFibre(r) => Some((r, &f.geometry)),
            _ => None,
        })
    }

    /// The villages with their position.
    pub fn villages(&self) -> impl Iterator<Item = (&VillageProps, [f64; 2])> {
        self.features
            .iter()
            .filter_map(|f| match (&f.properties, &f.geometry) {
                (PlanProps::Village(v), PlanGeometry::Point { coordinates }) => {
                    Some((v, *coordinates))
                }
                _ => None,
            })
    }
}
