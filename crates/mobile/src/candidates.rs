//! Candidate sites and what each costs.
//!
//! Roads: one candidate every `road_spacing_km` along each road (a candidate closer than
//! half that spacing to an earlier one is dropped, so junctions and dual carriageways do
//! not double up); settlements within `village_max_km` of a road (land and power are
//! there); with a DEM, the highest ground within `high_ground_radius_km` of each road
//! candidate when it stands `high_ground_min_gain_m` above it; existing masts.
//!
//! Cost of a new site: mast (base + per metre) + equipment + power (a 10 kV line from the
//! nearest settlement, or off-grid beyond `power_line_max_km`). An existing mast that
//! already carries the technology costs nothing (coverage already paid for); one that
//! does not is an upgrade: equipment only.

use fiberplan_model::mobile::{ExistingSite, MobileModel};
use fiberplan_model::{Kzt, LonLat};
use fiberplan_network::geodesy::distance_m;
use fiberplan_radio::coverage::PointIndex;

/// Why a candidate is where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Road,
    Village,
    HighGround,
    City,
    /// An existing mast with the technology on air.
    Existing,
    /// An existing mast without the technology.
    Upgrade,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Road => "road",
            Kind::Village => "village",
            Kind::HighGround => "high_ground",
            Kind::City => "city_grid",
            Kind::Existing => "existing",
            Kind::Upgrade => "upgrade",
        }
    }
}

/// How a candidate gets power.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Power {
    /// A line of this many km from the nearest settlement (0 in a settlement).
    Grid {
        km: f64,
    },
    OffGrid,
    /// The mast stands; its power is there.
    Existing,
}

/// A place a site could stand.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub lonlat: LonLat,
    pub height_m: f64,
    pub kind: Kind,
    pub power: Power,
    /// Mast, equipment and power, whole tenge.
    pub mast_kzt: Kzt,
    pub equipment_kzt: Kzt,
    pub power_kzt: Kzt,
}

impl Candidate {
    /// A new mast (not an existing one or an upgrade).
    pub fn is_new(&self) -> bool {
        !matches!(self.kind, Kind::Existing | Kind::Upgrade)
    }
    pub fn cost_kzt(&self) -> Kzt {
        self.mast_kzt + self.equipment_kzt + self.power_kzt
    }
}

/// Why the cost of a site cannot be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("cost of a site overflows: {0}")]
pub struct CostOverflow(pub String);

fn mul_km(per_km: Kzt, km: f64) -> Option<Kzt> {
    let v = (per_km as f64 * km).round();
    (v.is_finite() && v >= 0.0 && v < i64::MAX as f64 / 4.0).then_some(v as Kzt)
}

/// Prices a new site of `height_m` at `at`, powered from the nearest of `settlements`.
pub fn new_site(
    id: String,
    at: LonLat,
    height_m: f64,
    kind: Kind,
    settlements: &Settlements,
    m: &MobileModel,
) -> Result<Candidate, CostOverflow> {
    let s = &m.site;
    let km = settlements.nearest_km(at);
    let (power, power_kzt) = match km {
        Some(km) if km <= s.power_line_max_km => (
            Power::Grid { km },
            mul_km(s.power_line_per_km_kzt, km).ok_or_else(|| CostOverflow(id.clone()))?,
        ),
        _ => (Power::OffGrid, s.off_grid_power_kzt),
    };
    let mast = mul_km(s.mast_per_m_kzt, height_m)
        .and_then(|m| m.checked_add(s.mast_base_kzt))
        .ok_or_else(|| CostOverflow(id.clone()))?;
    let c = Candidate {
        id,
        lonlat: at,
        height_m,
        kind,
        power,
        mast_kzt: mast,
        equipment_kzt: s.equipment_kzt,
        power_kzt,
    };
    c.mast_kzt
        .checked_add(c.equipment_kzt)
        .and_then(|x| x.checked_add(c.power_kzt))
        .ok_or_else(|| CostOverflow(c.id.clone()))?;
    Ok(c)
}

/// An existing mast as a candidate: free with the technology, an upgrade without.
pub fn existing(site: &ExistingSite, technology: &str, m: &MobileModel) -> Candidate {
    let on_air = site.technologies.iter().any(|t| t == technology);
    Candidate {
        id: format!("existing:{}", site.id),
        lonlat: site.lonlat,
        height_m: site.height_m,
        kind: if on_air {
            Kind::Existing
        } else {
            Kind::Upgrade
        },
        power: Power::Existing,
        mast_kzt: 0,
        equipment_kzt: if on_air { 0 } else { m.site.equipment_kzt },
        power_kzt: 0,
    }
}

/// Settlements, for power lines and village candidates.
pub struct Settlements {
    points: Vec<LonLat>,
    index: PointIndex,
}

impl Settlements {
    pub fn new(points: Vec<LonLat>) -> Self {
        let index = PointIndex::new(&points);
        Settlements { points, index }
    }

    /// Distance to the nearest settlement, km (`None` when there is none within 500 km).
    pub fn nearest_km(&self, at: LonLat) -> Option<f64> {
        for r in [2_000.0, 20_000.0, 500_000.0] {
            let near = self.index.within(at, r);
            if let Some(d) = near
                .iter()
                .map(|&i| distance_m(at, self.points[i]))
                .min_by(f64::total_cmp)
            {
                return Some(d / 1000.0);
            }
        }
        None
    }

    pub fn points(&self) -> &[LonLat] {
        &self.points
    }
}

/// Keeps candidates at least `min_m` apart, first come first kept.
pub struct Spacing {
    kept: Vec<LonLat>,
    grid: std::collections::HashMap<(i64, i64), Vec<usize>>,
    cell_deg: f64,
    min_m: f64,
}

impl Spacing {
    pub fn new(min_m: f64) -> Self {
        Spacing {
            kept: Vec::new(),
            grid: Default::default(),
            // A cell of at least min_m in latitude and in longitude up to 80 degrees.
            cell_deg: (min_m / 111_000.0 / 0.17).max(1e-6),
            min_m,
        }
    }

    fn cell(&self, p: LonLat) -> (i64, i64) {
        (
            (p[0] / self.cell_deg).floor() as i64,
            (p[1] / self.cell_deg).floor() as i64,
        )
    }

    /// Keep `p` unless an earlier kept point is closer than `min_m`.
    pub fn try_keep(&mut self, p: LonLat) -> bool {
        let (cx, cy) = self.cell(p);
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(v) = self.grid.get(&(cx + dx, cy + dy)) {
                    if v.iter().any(|&i| distance_m(self.kept[i], p) < self.min_m) {
                        return false;
                    }
                }
            }
        }
        self.grid.entry((cx, cy)).or_default().push(self.kept.len());
        self.kept.push(p);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> MobileModel {
        let m: MobileModel = toml_like();
        m
    }

    pub(crate) fn toml_like() -> MobileModel {
        use fiberplan_model::mobile::*;
        let budget = RadioBudget {
            technology: "lte_800".into(),
            f_mhz: 806.0,
            rs_eirp_dbm: 33.2,
            threshold_dbm: -110.0,
            h_ut_m: 1.5,
            rx_gain_dbi: 0.0,
            margin_db: 6.0,
        };
        MobileModel {
            site: SiteCosts {
                mast_base_kzt: 30_000_000,
                mast_per_m_kzt: 600_000,
                equipment_kzt: 25_000_000,
                power_line_per_km_kzt: 6_000_000,
                power_line_max_km: 15.0,
                off_grid_power_kzt: 20_000_000,
            },
            candidates: CandidateRules {
                road_spacing_km: 4.0,
                village_max_km: 3.0,
                high_ground_radius_km: 2.0,
                high_ground_min_gain_m: 20.0,
                mast_height_m: 40.0,
                city_spacing_m: 400.0,
                city_height_m: 25.0,
            },
            backhaul: BackhaulCosts {
                microwave_link_kzt: 9_000_000,
                microwave_max_km: 40.0,
                fresnel_clearance: 0.6,
                k_factor: 4.0 / 3.0,
                microwave_f_ghz: 7.0,
            },
            roads: budget.clone(),
            city: budget,
        }
    }

    #[test]
    fn site_costs_by_hand() {
        let m = model();
        // A settlement 0.01 degree of latitude (1.11 km) north.
        let s = Settlements::new(vec![[70.0, 45.01]]);
        let c = new_site("a".into(), [70.0, 45.0], 40.0, Kind::Road, &s, &m).unwrap();
        let km = distance_m([70.0, 45.0], [70.0, 45.01]) / 1000.0;
        assert_eq!(c.mast_kzt, 30_000_000 + 24_000_000);
        assert_eq!(c.power_kzt, (6_000_000.0 * km).round() as i64);
        assert_eq!(c.cost_kzt(), 54_000_000 + 25_000_000 + c.power_kzt);
        // 20 km away: off-grid.
        let c = new_site("b".into(), [70.0, 44.8], 40.0, Kind::Road, &s, &m).unwrap();
        assert_eq!(c.power, Power::OffGrid);
        assert_eq!(c.power_kzt, 20_000_000);
        let e = ExistingSite {
            id: "x".into(),
            lonlat: [70.0, 45.0],
            height_m: 50.0,
            technologies: vec!["gsm".into()],
        };
        assert_eq!(existing(&e, "lte_800", &m).cost_kzt(), 25_000_000);
        assert_eq!(existing(&e, "gsm", &m).cost_kzt(), 0);
        // Overflow is an error, not a wrapped total.
        let mut big = model();
        big.site.mast_base_kzt = i64::MAX - 10;
        assert!(new_site("c".into(), [70.0, 45.0], 40.0, Kind::Road, &s, &big).is_err());
    }

    #[test]
    fn spacing_keeps_points_apart() {
        let mut s = Spacing::new(2000.0);
        assert!(s.try_keep([70.0, 45.0]));
        assert!(!s.try_keep([70.0, 45.01]));
        assert!(s.try_keep([70.0, 45.02]));
    }
}
