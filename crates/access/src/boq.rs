//! Bill of quantities and its cost: per village, summed per district and nationally with
//! [`Boq::add`].
//!
//! Invariants (tested): ONTs = connected households; drops = connected premises; installed
//! last-stage ports >= connected households; cable length by type = the sum of the cable
//! sections drawn; the cost is the sum of its parts. Money is whole tenge: each part sums
//! `length_dm x price_per_km` exactly and divides once (by 10,000 dm per km), rounding down.

use crate::design::{CableOut, CableType, NetParts, OltOut, Placement, PremiseOut, SiteOption};
use crate::optics::OpticsClass;
use crate::trench::VillageLayout;
use crate::AccessError;
use fiberplan_model::last_mile::{AccessCosts, LastMileModel};
use fiberplan_model::Kzt;
use std::collections::{BTreeMap, BTreeSet};

/// Cable length key: type, installed fibres, placement.
pub type CableKey = (CableType, u32, Placement);

/// Span of a new pole line, metres (20 poles per km).
pub const POLE_SPAN_M: i64 = 50;

/// The installed size for `fibres` in use: the smallest listed size that holds them (at
/// least one fibre), or a custom multiple of 12 beyond the largest.
pub fn cable_size(fibres: u32, c: &AccessCosts) -> (u32,) {
    let f = fibres.max(1);
    match c.cable_sizes.iter().copied().find(|&s| s >= f) {
        Some(s) => (s,),
        None => (f.div_ceil(12) * 12,),
    }
}

/// Cost parts, whole tenge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CostParts {
    /// OLT site share and PON ports.
    pub olt_kzt: Kzt,
    pub splitters_kzt: Kzt,
    pub closures_kzt: Kzt,
    /// Cable material and placing (aerial hardware and labour).
    pub cable_kzt: Kzt,
    /// New poles and underground trenches.
    pub civil_kzt: Kzt,
    /// Drop cable and installation.
    pub drops_kzt: Kzt,
    pub onts_kzt: Kzt,
    pub splices_kzt: Kzt,
    pub total_kzt: Kzt,
}

/// A sum of bills beyond 64 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the last mile's bill of quantities overflows 64 bits when summed")]
pub struct BoqOverflow;

/// Bill of quantities of one village, or a sum of villages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Boq {
    pub villages: u64,
    pub premises: u64,
    pub premises_modelled: u64,
    /// Households of the premises reached by the network.
    pub households_passed: u64,
    pub households_connected: u64,
    pub premises_connected: u64,
    /// OLT sites by kind (`pop`, `village`, `remote`).
    pub olt_sites: BTreeMap<String, u64>,
    pub olt_ports: BTreeMap<String, u64>,
    pub splitters_by_ratio: BTreeMap<u32, u64>,
    /// Output ports of the last-stage splitters.
    pub last_stage_ports: u64,
    pub closures: u64,
    pub new_poles: u64,
    pub splices: u64,
    pub onts: u64,
    pub drops: u64,
    /// Cable length by (type, fibres, placement), decimetres; drops included.
    pub cable_dm: BTreeMap<CableKey, i64>,
    /// Street route (poles or trench) by placement, decimetres.
    pub route_dm: BTreeMap<Placement, i64>,
    /// Drops of connected premises, decimetres.
    pub drop_dm: i64,
    /// Street route plus drops, and its certified lower bound, decimetres.
    pub trench_dm: i64,
    pub trench_lower_bound_dm: i64,
    /// Connected lines with a negative margin, and flagged connected premises.
    pub lines_over_budget: u64,
    pub lines_flagged: u64,
    /// Smallest margin of a connected line, dB.
    pub worst_margin_db: Option<f64>,
    pub cost: CostParts,
}

impl Boq {
    /// Adds another village's (or district's) bill. Every count and sum is checked.
    ///
    /// # Errors
    /// A count or a sum beyond 64 bits (the bill is then partly added: discard it).
    pub fn add(&mut self, o: &Boq) -> Result<(), BoqOverflow> {
        fn up(a: &mut u64, b: u64) -> Result<(), BoqOverflow> {
            *a = a.checked_add(b).ok_or(BoqOverflow)?;
            Ok(())
        }
        fn im(a: &mut i64, b: i64) -> Result<(), BoqOverflow> {
            *a = a.checked_add(b).ok_or(BoqOverflow)?;
            Ok(())
        }
        up(&mut self.villages, o.villages)?;
        up(&mut self.premises, o.premises)?;
        up(&mut self.premises_modelled, o.premises_modelled)?;
        up(&mut self.households_passed, o.households_passed)?;
        up(&mut self.households_connected, o.households_connected)?;
        up(&mut self.premises_connected, o.premises_connected)?;
        for (k, v) in &o.olt_sites {
            up(self.olt_sites.entry(k.clone()).or_default(), *v)?;
        }
        for (k, v) in &o.olt_ports {
            up(self.olt_ports.entry(k.clone()).or_default(), *v)?;
        }
        for (k, v) in &o.splitters_by_ratio {
            up(self.splitters_by_ratio.entry(*k).or_default(), *v)?;
        }
        up(&mut self.last_stage_ports, o.last_stage_ports)?;
        up(&mut self.closures, o.closures)?;
        up(&mut self.new_poles, o.new_poles)?;
        up(&mut self.splices, o.splices)?;
        up(&mut self.onts, o.onts)?;
        up(&mut self.drops, o.drops)?;
        for (k, v) in &o.cable_dm {
            im(self.cable_dm.entry(*k).or_default(), *v)?;
        }
        for (k, v) in &o.route_dm {
            im(self.route_dm.entry(*k).or_default(), *v)?;
        }
        im(&mut self.drop_dm, o.drop_dm)?;
        im(&mut self.trench_dm, o.trench_dm)?;
        im(&mut self.trench_lower_bound_dm, o.trench_lower_bound_dm)?;
        up(&mut self.lines_over_budget, o.lines_over_budget)?;
        up(&mut self.lines_flagged, o.lines_flagged)?;
        self.worst_margin_db = match (self.worst_margin_db, o.worst_margin_db) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let c = &mut self.cost;
        im(&mut c.olt_kzt, o.cost.olt_kzt)?;
        im(&mut c.splitters_kzt, o.cost.splitters_kzt)?;
        im(&mut c.closures_kzt, o.cost.closures_kzt)?;
        im(&mut c.cable_kzt, o.cost.cable_kzt)?;
        im(&mut c.civil_kzt, o.cost.civil_kzt)?;
        im(&mut c.drops_kzt, o.cost.drops_kzt)?;
        im(&mut c.onts_kzt, o.cost.onts_kzt)?;
        im(&mut c.splices_kzt, o.cost.splices_kzt)?;
        im(&mut c.total_kzt, o.cost.total_kzt)
    }

    /// Cable length of one type, decimetres.
    pub fn cable_type_dm(&self, t: CableType) -> i64 {
        self.cable_dm
            .iter()
            .filter(|(k, _)| k.0 == t)
            .map(|(_, v)| v)
            .sum()
    }

    /// Splitters by ratio, largest ratio first: `3 x 1:64 + 1 x 1:16` (`none` without any).
    pub fn splitters_label(&self) -> String {
        let parts: Vec<String> = self
            .splitters_by_ratio
            .iter()
            .rev()
            .filter(|(_, &n)| n > 0)
            .map(|(r, n)| format!("{n} x 1:{r}"))
            .collect();
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(" + ")
        }
    }

    /// Connected households per installed last-stage port, percent.
    pub fn fill_pct(&self) -> f64 {
        if self.last_stage_ports == 0 {
            0.0
        } else {
            self.households_connected as f64 * 100.0 / self.last_stage_ports as f64
        }
    }
}

/// The parts of a design that do not depend on the split, site or class.
pub(crate) struct Fixed {
    pub cost: Kzt,
    pub civil_kzt: Kzt,
    pub drops_kzt: Kzt,
    pub onts_kzt: Kzt,
    pub route_dm: BTreeMap<Placement, i64>,
    pub new_pole_dm: i64,
    pub drop_dm: i64,
    pub onts: u64,
    pub drops: u64,
}

fn per_km(dm: i128, price: Kzt) -> i128 {
    dm * price as i128 / 10_000
}

fn kzt(x: i128, village: &str) -> Result<Kzt, AccessError> {
    x.try_into().map_err(|_| AccessError::Overflow {
        village: village.to_string(),
    })
}

pub(crate) fn placement(
    layout: &VillageLayout,
    v: u32,
    model: &LastMileModel,
) -> (Placement, bool) {
    let e = &layout.graph.edges[layout.parent_edge[v as usize] as usize];
    match e.street {
        Some(s) => {
            let st = &layout.streets[s as usize];
            if model.costs.underground_classes.contains(&st.class) {
                (Placement::Underground, false)
            } else {
                (Placement::Aerial, st.poles)
            }
        }
        None => (Placement::Aerial, false),
    }
}

pub(crate) fn fixed_parts(
    layout: &VillageLayout,
    connected: &[u32],
    model: &LastMileModel,
) -> Result<Fixed, AccessError> {
    let c = &model.costs;
    let mut route_dm: BTreeMap<Placement, i64> = BTreeMap::new();
    let mut new_pole_dm = 0i64;
    let mut civil: i128 = 0;
    for &v in &layout.order[1..] {
        let len = layout.graph.edges[layout.parent_edge[v as usize] as usize].length_dm;
        let (pl, poles) = placement(layout, v, model);
        *route_dm.entry(pl).or_default() += len;
        match pl {
            Placement::Underground => civil += per_km(len as i128, c.underground_per_km_kzt),
            Placement::Aerial if !poles => {
                new_pole_dm += len;
                civil += per_km(len as i128, c.new_poles_per_km_kzt);
            }
            Placement::Aerial => {}
        }
    }
    let mut drop_dm = 0i64;
    let mut drops = 0u64;
    let mut onts = 0u64;
    for (i, &h) in connected.iter().enumerate() {
        if h > 0 && layout.reached[i] {
            drops += 1;
            onts += h as u64;
            drop_dm += layout.graph.drop_dm[i];
        }
    }
    let drops_kzt = per_km(drop_dm as i128, c.drop_per_m_kzt * 1000)
        + drops as i128 * c.drop_install_kzt as i128;
    let onts_kzt = onts as i128 * c.ont_kzt as i128;
    let id = &layout.id;
    let (civil_kzt, drops_kzt, onts_kzt) =
        (kzt(civil, id)?, kzt(drops_kzt, id)?, kzt(onts_kzt, id)?);
    Ok(Fixed {
        cost: kzt(civil_kzt as i128 + drops_kzt as i128 + onts_kzt as i128, id)?,
        civil_kzt,
        drops_kzt,
        onts_kzt,
        route_dm,
        new_pole_dm,
        drop_dm,
        onts,
        drops,
    })
}

/// Splitters, closures, street cables and splices of a network.
pub(crate) struct NetCost {
    pub splitters_kzt: Kzt,
    pub closures: u64,
    pub closures_kzt: Kzt,
    pub cable_kzt: Kzt,
    pub splices: u64,
    pub splices_kzt: Kzt,
}

pub(crate) fn net_cost_parts(
    layout: &VillageLayout,
    net: &NetParts,
    model: &LastMileModel,
    drops: u64,
) -> Result<NetCost, AccessError> {
    let c = &model.costs;
    let id = &layout.id;
    let mut splitters: i128 = 0;
    let mut ports_used = 0u64;
    let mut nodes = BTreeSet::new();
    for &(node, ratio, used, _) in &net.splitters {
        let price = model
            .splitter_price(ratio)
            .ok_or(AccessError::MissingRatio {
                ratio,
                what: "costs.splitter_kzt",
            })?;
        splitters += price as i128;
        ports_used += used as u64;
        nodes.insert(node);
    }
    // Closures: one per splitter location, one per branching joint of a cable.
    let mut branch: BTreeMap<(CableType, usize, u32), u32> = BTreeMap::new();
    let mut cable: i128 = 0;
    let mut per_cable_dm: BTreeMap<(CableType, usize), (i64, u32)> = BTreeMap::new();
    for &(v, t, f, owner) in net.edge_cables {
        let len = layout.graph.edges[layout.parent_edge[v as usize] as usize].length_dm as i128;
        let (size,) = cable_size(f, c);
        let (pl, _) = placement(layout, v, model);
        let mut rate =
            c.cable_base_per_km_kzt as i128 + c.cable_per_fibre_km_kzt as i128 * size as i128;
        if pl == Placement::Aerial {
            rate += c.aerial_per_km_kzt as i128;
        }
        cable += len * rate;
        *branch
            .entry((t, owner, layout.parent[v as usize]))
            .or_default() += 1;
        let e = per_cable_dm.entry((t, owner)).or_default();
        e.0 += len as i64;
        e.1 = e.1.max(size);
    }
    let joints = branch.values().filter(|&&k| k >= 2).count() as u64;
    let closures = nodes.len() as u64 + joints;
    let drum_dm = (model.optics.drum_length_m * 10.0).round() as i64;
    let drum_splices: u64 = per_cable_dm
        .values()
        .map(|&(len, size)| {
            if drum_dm > 0 {
                (len / drum_dm) as u64 * size as u64
            } else {
                0
            }
        })
        .sum();
    let splices = net.splitters.len() as u64 + ports_used + drops + drum_splices;
    Ok(NetCost {
        splitters_kzt: kzt(splitters, id)?,
        closures,
        closures_kzt: kzt(closures as i128 * c.closure_kzt as i128, id)?,
        cable_kzt: kzt(cable / 10_000, id)?,
        splices,
        splices_kzt: kzt(splices as i128 * c.splice_kzt as i128, id)?,
    })
}

/// The split-dependent cost of a network (splitters, closures, cables, splices).
pub(crate) fn net_cost(
    layout: &VillageLayout,
    net: NetParts,
    model: &LastMileModel,
    drops: u64,
) -> Result<Kzt, AccessError> {
    let p = net_cost_parts(layout, &net, model, drops)?;
    kzt(
        p.splitters_kzt as i128
            + p.closures_kzt as i128
            + p.cable_kzt as i128
            + p.splices_kzt as i128,
        &layout.id,
    )
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn bill(
    layout: &VillageLayout,
    premises: &[PremiseOut],
    net: &NetParts,
    olt: &OltOut,
    cables: &[CableOut],
    site: &SiteOption,
    fixed: &Fixed,
    model: &LastMileModel,
) -> Result<Boq, AccessError> {
    let id = &layout.id;
    let parts = net_cost_parts(layout, net, model, fixed.drops)?;
    let mut boq = Boq {
        villages: 1,
        premises: premises.len() as u64,
        premises_modelled: premises.iter().filter(|p| p.modelled).count() as u64,
        onts: fixed.onts,
        drops: fixed.drops,
        drop_dm: fixed.drop_dm,
        route_dm: fixed.route_dm.clone(),
        new_poles: (fixed.new_pole_dm + POLE_SPAN_M * 10 - 1).div_euclid(POLE_SPAN_M * 10) as u64,
        closures: parts.closures,
        splices: parts.splices,
        trench_dm: layout.tree_dm + fixed.drop_dm,
        trench_lower_bound_dm: layout.bound_dm + fixed.drop_dm,
        ..Boq::default()
    };
    for (i, p) in premises.iter().enumerate() {
        if layout.reached[i] {
            boq.households_passed += p.households as u64;
        }
        if p.connected_households > 0 {
            boq.households_connected += p.connected_households as u64;
            boq.premises_connected += 1;
            if p.margin_db < 0.0 {
                boq.lines_over_budget += 1;
            }
            if p.flag.is_some() {
                boq.lines_flagged += 1;
            }
            boq.worst_margin_db = Some(
                boq.worst_margin_db
                    .map_or(p.margin_db, |w: f64| w.min(p.margin_db)),
            );
        }
    }
    boq.olt_sites.insert(olt.site.as_str().to_string(), 1);
    boq.olt_ports
        .insert(olt.class.as_str().to_string(), olt.ports_used as u64);
    for &(_, ratio, _, last) in &net.splitters {
        *boq.splitters_by_ratio.entry(ratio).or_default() += 1;
        if last {
            boq.last_stage_ports += ratio as u64;
        }
    }
    for c in cables {
        *boq.cable_dm
            .entry((c.cable_type, c.fibres, c.placement))
            .or_default() += c.length_dm;
    }
    let port = match olt.class {
        OpticsClass::BPlus => model.costs.olt_port_b_plus_kzt,
        OpticsClass::CPlus => model.costs.olt_port_c_plus_kzt,
    };
    let olt_kzt = kzt(
        port as i128 * olt.ports_used as i128 + site.site_kzt as i128,
        id,
    )?;
    let c = CostParts {
        olt_kzt,
        splitters_kzt: parts.splitters_kzt,
        closures_kzt: parts.closures_kzt,
        cable_kzt: parts.cable_kzt,
        civil_kzt: fixed.civil_kzt,
        drops_kzt: fixed.drops_kzt,
        onts_kzt: fixed.onts_kzt,
        splices_kzt: parts.splices_kzt,
        total_kzt: 0,
    };
    let total = [
        c.olt_kzt,
        c.splitters_kzt,
        c.closures_kzt,
        c.cable_kzt,
        c.civil_kzt,
        c.drops_kzt,
        c.onts_kzt,
        c.splices_kzt,
    ]
    .iter()
    .map(|&x| x as i128)
    .sum::<i128>();
    boq.cost = CostParts {
        total_kzt: kzt(total, id)?,
        ..c
    };
    Ok(boq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitters_are_labelled_by_ratio() {
        let mut b = Boq::default();
        assert_eq!(b.splitters_label(), "none");
        // The Neudrossenfeld village of the `village` command: three 1:64 and one 1:16
        // (printed as "4 splitters 1:64" before).
        b.splitters_by_ratio.insert(16, 1);
        b.splitters_by_ratio.insert(64, 3);
        assert_eq!(b.splitters_label(), "3 x 1:64 + 1 x 1:16");
        b.splitters_by_ratio.insert(4, 2);
        assert_eq!(b.splitters_label(), "3 x 1:64 + 1 x 1:16 + 2 x 1:4");
    }

    #[test]
    fn sums_of_bills_are_checked() {
        let mut a = Boq::default();
        a.cost.total_kzt = Kzt::MAX - 1;
        a.onts = 3;
        let mut b = Boq::default();
        b.cost.total_kzt = 1;
        b.onts = 4;
        b.worst_margin_db = Some(3.5);
        let mut t = Boq::default();
        t.add(&a).unwrap();
        t.add(&b).unwrap();
        assert_eq!(
            (t.cost.total_kzt, t.onts, t.worst_margin_db),
            (Kzt::MAX, 7, Some(3.5))
        );
        assert_eq!(t.add(&b), Err(BoqOverflow));
    }
}
