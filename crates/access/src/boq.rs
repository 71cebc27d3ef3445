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
    /// Each underground and each new-pole street section, decimetres (civil works are
    /// priced section by section, rounded down each).
    pub underground_sections_dm: Vec<i64>,
    pub new_pole_sections_dm: Vec<i64>,
}

/// A scale factor of last-mile prices in millionths (1,000,000 is 1): a scenario's
/// `last_mile_cost_scale` taken to the nearest millionth ([`PriceScale::of`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PriceScale(pub i64);

impl PriceScale {
    /// The model's own prices.
    pub const ONE: PriceScale = PriceScale(1_000_000);

    /// `factor` (finite, positive, at most 100 as scenarios are checked) in millionths.
    pub fn of(factor: f64) -> PriceScale {
        PriceScale((factor * 1e6).round() as i64)
    }

    /// A unit price scaled: `price x factor` rounded half to even to whole tenge, exactly
    /// (in integers: the factor is whole millionths). `None` beyond 64 bits.
    pub fn unit(self, price: Kzt) -> Option<Kzt> {
        const M: i128 = 1_000_000;
        let x = price as i128 * self.0 as i128;
        let (q, r) = (x.div_euclid(M), x.rem_euclid(M));
        let q = if 2 * r > M || (2 * r == M && q % 2 != 0) {
            q + 1
        } else {
            q
        };
        Kzt::try_from(q).ok()
    }
}

/// What a design's price is made of: each unit price of the model it was priced at and the
/// quantity that price multiplies. [`PriceBasis::price`] prices the same design at scaled
/// prices without designing it again, by the rule of [`bill`]: every unit price scaled
/// and rounded once ([`PriceScale::unit`]), then multiplied by its quantity; lengths in
/// decimetres priced per km and rounded down once per part (civil works once per street
/// section), as at the model's own prices.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriceBasis {
    /// OLT: the chosen class's port price and ports, the site's price.
    pub port_kzt: Kzt,
    pub ports: u64,
    pub site_kzt: Kzt,
    /// Splitters: (unit price, count), by ratio ascending.
    pub splitters: Vec<(Kzt, u64)>,
    pub closure_kzt: Kzt,
    pub closures: u64,
    /// Street cables: base, per fibre and aerial placing per km, and the lengths they
    /// multiply (sum of sections; sum of section x installed fibres; aerial sections).
    pub cable_base_per_km_kzt: Kzt,
    pub cable_per_fibre_km_kzt: Kzt,
    pub aerial_per_km_kzt: Kzt,
    pub cable_dm: i128,
    pub cable_fibre_dm: i128,
    pub cable_aerial_dm: i128,
    /// Civil works per km and the sections they are paid on.
    pub underground_per_km_kzt: Kzt,
    pub underground_sections_dm: Vec<i64>,
    pub new_poles_per_km_kzt: Kzt,
    pub new_pole_sections_dm: Vec<i64>,
    pub drop_per_m_kzt: Kzt,
    pub drop_dm: i64,
    pub drop_install_kzt: Kzt,
    pub drops: u64,
    pub ont_kzt: Kzt,
    pub onts: u64,
    pub splice_kzt: Kzt,
    pub splices: u64,
}

impl PriceBasis {
    /// The cost parts at every unit price scaled by `scale` (at [`PriceScale::ONE`]: the
    /// design's own bill).
    ///
    /// # Errors
    /// A price or a part beyond 64-bit tenge ([`AccessError::Overflow`] naming `village`).
    pub fn price(&self, scale: PriceScale, village: &str) -> Result<CostParts, AccessError> {
        let over = || AccessError::Overflow {
            village: village.to_string(),
        };
        let u = |p: Kzt| scale.unit(p).map(|x| x as i128).ok_or_else(over);
        let times = |p: Kzt, q: u64| -> Result<i128, AccessError> { Ok(u(p)? * q as i128) };
        let olt = times(self.port_kzt, self.ports)? + u(self.site_kzt)?;
        let mut splitters: i128 = 0;
        for &(p, n) in &self.splitters {
            splitters += times(p, n)?;
        }
        let cable = (u(self.cable_base_per_km_kzt)? * self.cable_dm
            + u(self.cable_per_fibre_km_kzt)? * self.cable_fibre_dm
            + u(self.aerial_per_km_kzt)? * self.cable_aerial_dm)
            / 10_000;
        let (ug, np) = (
            u(self.underground_per_km_kzt)?,
            u(self.new_poles_per_km_kzt)?,
        );
        let civil: i128 = self
            .underground_sections_dm
            .iter()
            .map(|&l| l as i128 * ug / 10_000)
            .chain(
                self.new_pole_sections_dm
                    .iter()
                    .map(|&l| l as i128 * np / 10_000),
            )
            .sum();
        let drops = self.drop_dm as i128 * (u(self.drop_per_m_kzt)? * 1000) / 10_000
            + times(self.drop_install_kzt, self.drops)?;
        let k = |x: i128| Kzt::try_from(x).map_err(|_| over());
        let c = CostParts {
            olt_kzt: k(olt)?,
            splitters_kzt: k(splitters)?,
            closures_kzt: k(times(self.closure_kzt, self.closures)?)?,
            cable_kzt: k(cable)?,
            civil_kzt: k(civil)?,
            drops_kzt: k(drops)?,
            onts_kzt: k(times(self.ont_kzt, self.onts)?)?,
            splices_kzt: k(times(self.splice_kzt, self.splices)?)?,
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
        Ok(CostParts {
            total_kzt: k(total)?,
            ..c
        })
    }
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
    let (mut underground_sections_dm, mut new_pole_sections_dm) = (Vec::new(), Vec::new());
    for &v in &layout.order[1..] {
        let len = layout.graph.edges[layout.parent_edge[v as usize] as usize].length_dm;
        let (pl, poles) = placement(layout, v, model);
        *route_dm.entry(pl).or_default() += len;
        match pl {
            Placement::Underground => {
                underground_sections_dm.push(len);
                civil += per_km(len as i128, c.underground_per_km_kzt)
            }
            Placement::Aerial if !poles => {
                new_pole_dm += len;
                new_pole_sections_dm.push(len);
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
        underground_sections_dm,
        new_pole_sections_dm,
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
) -> Result<(Boq, PriceBasis), AccessError> {
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
    let basis = price_basis(layout, net, olt, site, fixed, &parts, model)?;
    boq.cost = basis.price(PriceScale::ONE, id)?;
    // The parts the design compared its choices by, summed the same way.
    debug_assert_eq!(
        (
            boq.cost.splitters_kzt,
            boq.cost.closures_kzt,
            boq.cost.cable_kzt,
            boq.cost.civil_kzt,
            boq.cost.drops_kzt,
            boq.cost.onts_kzt,
            boq.cost.splices_kzt
        ),
        (
            parts.splitters_kzt,
            parts.closures_kzt,
            parts.cable_kzt,
            fixed.civil_kzt,
            fixed.drops_kzt,
            fixed.onts_kzt,
            parts.splices_kzt
        )
    );
    Ok((boq, basis))
}

/// The quantities and unit prices of a design ([`PriceBasis`]).
fn price_basis(
    layout: &VillageLayout,
    net: &NetParts,
    olt: &OltOut,
    site: &SiteOption,
    fixed: &Fixed,
    parts: &NetCost,
    model: &LastMileModel,
) -> Result<PriceBasis, AccessError> {
    let c = &model.costs;
    let mut by_ratio: BTreeMap<u32, u64> = BTreeMap::new();
    for &(_, ratio, _, _) in &net.splitters {
        *by_ratio.entry(ratio).or_default() += 1;
    }
    let mut splitters = Vec::with_capacity(by_ratio.len());
    for (ratio, n) in by_ratio {
        let price = model
            .splitter_price(ratio)
            .ok_or(AccessError::MissingRatio {
                ratio,
                what: "costs.splitter_kzt",
            })?;
        splitters.push((price, n));
    }
    let (mut cable_dm, mut cable_fibre_dm, mut cable_aerial_dm) = (0i128, 0i128, 0i128);
    for &(v, _, f, _) in net.edge_cables {
        let len = layout.graph.edges[layout.parent_edge[v as usize] as usize].length_dm as i128;
        let (size,) = cable_size(f, c);
        cable_dm += len;
        cable_fibre_dm += len * size as i128;
        if placement(layout, v, model).0 == Placement::Aerial {
            cable_aerial_dm += len;
        }
    }
    Ok(PriceBasis {
        port_kzt: match olt.class {
            OpticsClass::BPlus => c.olt_port_b_plus_kzt,
            OpticsClass::CPlus => c.olt_port_c_plus_kzt,
        },
        ports: olt.ports_used as u64,
        site_kzt: site.site_kzt,
        splitters,
        closure_kzt: c.closure_kzt,
        closures: parts.closures,
        cable_base_per_km_kzt: c.cable_base_per_km_kzt,
        cable_per_fibre_km_kzt: c.cable_per_fibre_km_kzt,
        aerial_per_km_kzt: c.aerial_per_km_kzt,
        cable_dm,
        cable_fibre_dm,
        cable_aerial_dm,
        underground_per_km_kzt: c.underground_per_km_kzt,
        underground_sections_dm: fixed.underground_sections_dm.clone(),
        new_poles_per_km_kzt: c.new_poles_per_km_kzt,
        new_pole_sections_dm: fixed.new_pole_sections_dm.clone(),
        drop_per_m_kzt: c.drop_per_m_kzt,
        drop_dm: fixed.drop_dm,
        drop_install_kzt: c.drop_install_kzt,
        drops: fixed.drops,
        ont_kzt: c.ont_kzt,
        onts: fixed.onts,
        splice_kzt: c.splice_kzt,
        splices: parts.splices,
    })
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

    /// A hand-checkable basis: every part at scale 1, 2 and 0.5 by hand.
    fn basis() -> PriceBasis {
        PriceBasis {
            port_kzt: 150_001,
            ports: 2,
            site_kzt: 1_000_000,
            splitters: vec![(7_500, 3), (25_001, 1)],
            closure_kzt: 30_000,
            closures: 4,
            cable_base_per_km_kzt: 90_000,
            cable_per_fibre_km_kzt: 1_500,
            aerial_per_km_kzt: 60_001,
            // 1.2345 km of cable, 12 fibres on all of it, 1 km aerial.
            cable_dm: 12_345,
            cable_fibre_dm: 12 * 12_345,
            cable_aerial_dm: 10_000,
            underground_per_km_kzt: 5_000_001,
            underground_sections_dm: vec![3, 5],
            new_poles_per_km_kzt: 1_200_000,
            new_pole_sections_dm: vec![1_001],
            drop_per_m_kzt: 31,
            drop_dm: 805,
            drop_install_kzt: 20_001,
            drops: 5,
            ont_kzt: 22_501,
            onts: 6,
            splice_kzt: 2_500,
            splices: 20,
        }
    }

    #[test]
    fn scaled_prices_round_half_to_even_once_per_unit_price() {
        let s = PriceScale::of(0.5);
        assert_eq!(s, PriceScale(500_000));
        // 7.5 -> 8, 6.5 -> 6, 2.5 -> 2, 3.5 -> 4: ties to the even tenge.
        assert_eq!([15, 13, 5, 7].map(|p| s.unit(p).unwrap()), [8, 6, 2, 4]);
        assert_eq!(PriceScale::of(1.15).unit(1_000_001), Some(1_150_001));
        assert_eq!(PriceScale::ONE.unit(Kzt::MAX), Some(Kzt::MAX));
        assert_eq!(PriceScale::of(2.0).unit(Kzt::MAX), None);
    }

    #[test]
    fn a_basis_prices_to_hand_computed_figures_at_any_scale() {
        let b = basis();
        let at = |f: f64| b.price(PriceScale::of(f), "v").unwrap();
        // Scale 1: olt 2 x 150,001 + 1,000,000; splitters 3 x 7,500 + 25,001; closures
        // 4 x 30,000; cable (90,000 x 12,345 + 1,500 x 148,140 + 60,001 x 10,000) / 10^4
        // = (1,111,050,000 + 222,210,000 + 600,010,000) / 10^4 = 193,327;
        // civil 3 x 5,000,001 / 10^4 = 1,500 + 5 x 5,000,001 / 10^4 = 2,500 + 1,001 x
        // 1,200,000 / 10^4 = 120,120; drops 805 x 31,000 / 10^4 = 2,495 + 5 x 20,001;
        // ONTs 6 x 22,501; splices 20 x 2,500.
        let one = at(1.0);
        assert_eq!(
            (
                one.olt_kzt,
                one.splitters_kzt,
                one.closures_kzt,
                one.cable_kzt,
                one.civil_kzt,
                one.drops_kzt,
                one.onts_kzt,
                one.splices_kzt
            ),
            (1_300_002, 47_501, 120_000, 193_327, 124_120, 102_500, 135_006, 50_000)
        );
        assert_eq!(one.total_kzt, 2_072_456);
        // Scale 2 doubles every unit price exactly; the per-km parts are rounded down once
        // on the doubled prices: cable 386,654 and civil 3,000 + 5,000 + 240,240 = 248,240
        // (exactly twice), drops 805 x 62,000 / 10^4 = 4,991 + 5 x 40,002 = 205,001 (not
        // twice 102,500: 2,495.5 was rounded down at scale 1, 4,991 is whole).
        let two = at(2.0);
        assert_eq!(
            (two.olt_kzt, two.cable_kzt, two.civil_kzt, two.drops_kzt),
            (2_600_004, 386_654, 248_240, 205_001)
        );
        assert_eq!(two.total_kzt, 4_144_913);
        // Scale 0.5: 150,001 -> 75,000 (75,000.5 to even), 25,001 -> 12,500, 60,001 ->
        // 30,000, 5,000,001 -> 2,500,000, 31 -> 16 (15.5 to even), 20,001 -> 10,000,
        // 22,501 -> 11,250.
        let half = at(0.5);
        assert_eq!(
            (
                half.olt_kzt,
                half.splitters_kzt,
                half.closures_kzt,
                half.cable_kzt,
                half.civil_kzt,
                half.drops_kzt,
                half.onts_kzt,
                half.splices_kzt
            ),
            (
                2 * 75_000 + 500_000,
                3 * 3_750 + 12_500,
                60_000,
                (45_000 * 12_345 + 750 * 148_140 + 30_000 * 10_000) / 10_000,
                3 * 2_500_000 / 10_000 + 5 * 2_500_000 / 10_000 + 1_001 * 600_000 / 10_000,
                805 * 16_000 / 10_000 + 5 * 10_000,
                6 * 11_250,
                20 * 1_250
            )
        );
        // Beyond 64 bits: an error naming the village, never a wrapped figure.
        let huge = PriceBasis {
            onts: u64::MAX / 2,
            ..basis()
        };
        assert_eq!(
            huge.price(PriceScale::ONE, "v"),
            Err(AccessError::Overflow {
                village: "v".into()
            })
        );
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
