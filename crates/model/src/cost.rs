//! The cost model: what a kilometre of corridor, a village node and a household drop cost.
//!
//! Every figure is whole tenge. The bundled default lives in `data/costs.toml`, where each
//! number is documented with its source.

use crate::Kzt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Cost model of a plan. Read from TOML by `fiberplan-io`; unknown fields are rejected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostModel {
    /// Currency of every figure; only `"KZT"` is accepted.
    pub currency: String,
    pub corridor: CorridorCosts,
    /// Per connected village: node equipment (OLT/switch, cabinet, power).
    pub village_equipment_kzt: Kzt,
    /// Per household passed: drop cable, ONT and installation.
    pub household_connection_kzt: Kzt,
}

/// Per-kilometre costs of new fibre corridor by type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorridorCosts {
    /// Straight-line proxy corridors (no road data): per km of costed length.
    pub proxy_per_km: Kzt,
    /// Off-road spur from a village or point of presence to the nearest corridor.
    pub offroad_per_km: Kzt,
    /// Road corridors by OSM `highway` class; classes missing here use `road_default`.
    #[serde(default)]
    pub road: BTreeMap<String, RoadClassCost>,
    /// Road classes not listed in `road`.
    pub road_default: RoadClassCost,
    /// Extra per km on bridges (cable in ducts on the structure).
    pub bridge_extra_per_km: Kzt,
    /// Extra per km in tunnels.
    pub tunnel_extra_per_km: Kzt,
    /// Aerial cable on existing power-line poles (`power=line|minor_line`).
    pub power_line_per_km: Kzt,
    /// Along a railway (right-of-way agreement, trench beside the track).
    pub railway_per_km: Kzt,
    /// One crossing under a railway (horizontal directional drilling).
    pub railway_crossing_kzt: Kzt,
}

/// Per-km cost along one road class, by surface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadClassCost {
    pub paved_per_km: Kzt,
    pub unpaved_per_km: Kzt,
}

impl CorridorCosts {
    /// Per-km cost along a road of `class`, paved or not.
    pub fn road_per_km(&self, class: &str, paved: bool) -> Kzt {
        let c = self.road.get(class).unwrap_or(&self.road_default);
        if paved {
            c.paved_per_km
        } else {
            c.unpaved_per_km
        }
    }
}

impl CostModel {
    /// Every figure that must not be negative, with its TOML path, for validation.
    pub fn figures(&self) -> Vec<(String, Kzt)> {
        let c = &self.corridor;
        let mut v = vec![
            ("corridor.proxy_per_km".to_string(), c.proxy_per_km),
            ("corridor.offroad_per_km".to_string(), c.offroad_per_km),
            (
                "corridor.road_default.paved_per_km".to_string(),
                c.road_default.paved_per_km,
            ),
            (
                "corridor.road_default.unpaved_per_km".to_string(),
                c.road_default.unpaved_per_km,
            ),
            (
                "corridor.bridge_extra_per_km".to_string(),
                c.bridge_extra_per_km,
            ),
            (
                "corridor.tunnel_extra_per_km".to_string(),
                c.tunnel_extra_per_km,
            ),
            (
                "corridor.power_line_per_km".to_string(),
                c.power_line_per_km,
            ),
            ("corridor.railway_per_km".to_string(), c.railway_per_km),
            (
                "corridor.railway_crossing_kzt".to_string(),
                c.railway_crossing_kzt,
            ),
            (
                "village_equipment_kzt".to_string(),
                self.village_equipment_kzt,
            ),
            (
                "household_connection_kzt".to_string(),
                self.household_connection_kzt,
            ),
        ];
        for (k, r) in &c.road {
            v.push((format!("corridor.road.{k}.paved_per_km"), r.paved_per_km));
            v.push((
                format!("corridor.road.{k}.unpaved_per_km"),
                r.unpaved_per_km,
            ));
        }
        v
    }
}
