//! From a village's trench tree to its access network: connections at the take-up rate,
//! splitters by Kundu-Misra clustering on the tree, feeder and distribution cables (the
//! Steiner trees within the trench tree that span the feed point and the splitters, and
//! each splitter and its premises), optics per line, the OLT site and the bill of
//! quantities.
//!
//! Every combination of OLT site (point of presence, the village itself, a remote OLT in a
//! neighbouring village), split (1:64, 1:32, 1:4 then 1:16, 1:2 then 1:16), clustering of
//! the last stage ([`CLUSTERINGS`]: the fewest splitters, or splitters fitted to their
//! households by [`crate::port_partition`], each the smallest ratio that holds its
//! households) and optics class (B+, C+) is priced. The winner: every connected line fits
//! its class with the margin, then the fill target ([`FILL_TARGET_PCT`] of the installed
//! last-stage ports used), then the least cost. Only when no combination fits every line
//! is the one with the fewest misfits taken and its misfit lines flagged with the reason;
//! only when none reaches the fill target is the one with the fewest installed ports
//! taken. Only this stage depends on take-up and prices,
//! so [`design`] on a stored [`VillageLayout`] is the re-pricing of a sweep.

use crate::boq::{cable_size, Boq, CableKey};
use crate::kundu_misra::{head_of, kundu_misra, RootedTree};
use crate::optics::{fits, line_loss_db, misfit, OpticsClass};
use crate::trench::VillageLayout;
use crate::AccessError;
use fiberplan_model::last_mile::LastMileModel;
use fiberplan_model::{Kzt, LonLat};

/// Where an OLT stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OltSite {
    /// At the point of presence the village's corridor starts from.
    Pop,
    /// In the village, in an outdoor cabinet.
    Village,
    /// In a neighbouring village's cabinet.
    Remote,
}

impl OltSite {
    pub fn as_str(self) -> &'static str {
        match self {
            OltSite::Pop => "pop",
            OltSite::Village => "village",
            OltSite::Remote => "remote",
        }
    }
}

/// One place the village's OLT may stand.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteOption {
    pub site: OltSite,
    pub id: String,
    pub lonlat: LonLat,
    /// Fibre length from the OLT to the village's feed point, metres.
    pub fibre_m: f64,
    /// What the site costs this village (shelf share, cabinet and power, ...).
    pub site_kzt: Kzt,
}

/// A split architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    One(u32),
    /// First-stage ratio, then second-stage ratio.
    Two(u32, u32),
}

impl Split {
    pub fn label(self) -> String {
        match self {
            Split::One(r) => format!("1:{r}"),
            Split::Two(a, b) => format!("1:{a}+1:{b}"),
        }
    }
    fn last_ratio(self) -> u32 {
        match self {
            Split::One(r) | Split::Two(_, r) => r,
        }
    }
}

/// The split architectures tried, in order of preference at equal cost.
pub const SPLITS: [Split; 4] = [
    Split::One(64),
    Split::One(32),
    Split::Two(4, 16),
    Split::Two(2, 16),
];

/// Cable types of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CableType {
    Feeder,
    Distribution,
    Drop,
}

impl CableType {
    pub fn as_str(self) -> &'static str {
        match self {
            CableType::Feeder => "feeder",
            CableType::Distribution => "distribution",
            CableType::Drop => "drop",
        }
    }
}

/// Aerial on poles or underground.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Placement {
    Aerial,
    Underground,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Aerial => "aerial",
            Placement::Underground => "underground",
        }
    }
}

/// A premise in the design.
#[derive(Clone, Debug, PartialEq)]
pub struct PremiseOut {
    pub lonlat: LonLat,
    pub households: u32,
    pub connected_households: u32,
    pub modelled: bool,
    /// Index into [`VillageDesign::splitters`] of its last-stage splitter, when connected.
    pub splitter: Option<usize>,
    /// Fibre length from the OLT (corridor, street path, drop), metres.
    pub path_length_m: f64,
    pub drop_m: f64,
    pub line_loss_db: f64,
    pub margin_db: f64,
    /// Why the line does not fit (no remedy found), or why the premise is not served.
    pub flag: Option<String>,
}

/// A splitter.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitterOut {
    pub id: String,
    pub lonlat: LonLat,
    pub ratio: u32,
    pub stage: u8,
    /// Connected households (last stage) or child splitters (first stage of two).
    pub ports_used: u32,
    /// Index of the first-stage splitter feeding it; `None`: fed by the OLT.
    pub parent: Option<usize>,
}

/// The village's OLT and why it stands there.
#[derive(Clone, Debug, PartialEq)]
pub struct OltOut {
    pub id: String,
    pub lonlat: LonLat,
    pub site: OltSite,
    pub class: OpticsClass,
    /// PON ports used: one per first-stage splitter.
    pub ports_used: u32,
    pub reason: String,
}

/// A cable section: one cable of one fibre count and placement along a run of streets.
#[derive(Clone, Debug, PartialEq)]
pub struct CableOut {
    pub cable_type: CableType,
    /// Installed size (a standard cable size; the largest when more are needed).
    pub fibres: u32,
    /// Fibres in use on the section.
    pub fibres_used: u32,
    pub placement: Placement,
    pub coords: Vec<LonLat>,
    /// Geodesic length of the drawn line (sum of its pieces), decimetres.
    pub length_dm: i64,
}

/// The designed access network of one village.
#[derive(Clone, Debug, PartialEq)]
pub struct VillageDesign {
    pub village_id: String,
    pub premises: Vec<PremiseOut>,
    pub splitters: Vec<SplitterOut>,
    pub olt: OltOut,
    pub cables: Vec<CableOut>,
    pub split: Split,
    /// Splitters shrunk to the smallest ratio holding their ports (mixed ratios).
    pub mixed_ratios: bool,
    /// How the last-stage splitters were clustered.
    pub clustering: Clustering,
    /// The village's streets as laid out (OSM ways or the generated layout), for maps.
    pub streets: Vec<Vec<LonLat>>,
    /// Whether any of those streets is an OSM way (not the generated layout).
    pub streets_from_osm: bool,
    pub boq: Boq,
    /// Its quantities and unit prices, to price it again at scaled prices.
    pub price_basis: crate::boq::PriceBasis,
}

impl VillageDesign {
    /// The same design priced at every last-mile unit price scaled by `scale`
    /// ([`crate::boq::PriceBasis::price`]): quantities, choices and geometry unchanged, the
    /// bill's cost replaced. Every choice of [`design`] compares last-mile prices with one
    /// another only (site, ports, splitters, cables, civil works: the fibre from a point of
    /// presence enters the optical budget, not the cost), so a common factor leaves them
    /// as they are in exact arithmetic; the design is kept, not redone, so that whole-tenge
    /// rounding of the scaled prices cannot tip a near tie either.
    ///
    /// # Errors
    /// A scaled price or part beyond 64-bit tenge.
    pub fn repriced(&self, scale: crate::boq::PriceScale) -> Result<VillageDesign, AccessError> {
        let mut d = self.clone();
        d.boq.cost = self.price_basis.price(scale, &self.village_id)?;
        Ok(d)
    }
}

/// Connected households per premise at the take-up rate: premises in tree order, each gets
/// its share of the running total (largest-remainder rounding), so connections spread
/// evenly along the streets and the total is `floor(households x take-up)`.
pub fn connections(layout: &VillageLayout, take_up_pct: f64) -> Vec<u32> {
    let per_mille = (take_up_pct * 10.0).round().clamp(0.0, 1000.0) as u64;
    let mut pos = vec![u32::MAX; layout.graph.nodes.len()];
    for (i, &v) in layout.order.iter().enumerate() {
        pos[v as usize] = i as u32;
    }
    let mut idx: Vec<usize> = (0..layout.premises.len())
        .filter(|&i| layout.reached[i])
        .collect();
    idx.sort_by_key(|&i| (pos[layout.graph.snapped_node[i] as usize], i));
    let mut out = vec![0u32; layout.premises.len()];
    let mut cum = 0u64;
    for i in idx {
        let before = cum * per_mille / 1000;
        cum += layout.premises[i].households as u64;
        out[i] = (cum * per_mille / 1000 - before) as u32;
    }
    out
}

/// One clustered network for a split, before a site and class are chosen.
struct Net {
    split: Split,
    clustering: Clustering,
    /// Splitters shrunk to the smallest ratio that holds their ports.
    shrunk: bool,
    /// Output ports of the last-stage splitters.
    last_stage_ports: u64,
    /// (street node, ratio, stage, ports used, parent index)
    splitters: Vec<(u32, u32, u8, u32, Option<usize>)>,
    premise_splitter: Vec<Option<usize>>,
    /// Per tree node v (edge v -> parent): the cables on the edge, (type, fibres used, owner).
    edge_cables: Vec<(u32, CableType, u32, usize)>,
    first_stage: u32,
}

impl Net {
    fn last_stage(&self) -> u8 {
        match self.split {
            Split::One(_) => 1,
            Split::Two(..) => 2,
        }
    }
}

/// A tree of the street tree's nodes plus one leaf per item (`weight`), for clustering.
struct ItemTree {
    parent: Vec<u32>,
    order: Vec<u32>,
    weight: Vec<u64>,
}

fn item_tree(layout: &VillageLayout, items: &[(u32, u64)]) -> ItemTree {
    let n = layout.graph.nodes.len();
    let mut parent = layout.parent.clone();
    let mut order = layout.order.clone();
    let mut weight = vec![0u64; n + items.len()];
    for (k, &(node, w)) in items.iter().enumerate() {
        parent.push(node);
        order.push((n + k) as u32);
        weight[n + k] = w;
    }
    ItemTree {
        parent,
        order,
        weight,
    }
}

/// How the last stage's splitters are clustered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clustering {
    /// Kundu-Misra: the fewest splitters of the split's ratio.
    Fewest,
    /// Kundu-Misra, then each splitter shrunk to the smallest ratio holding its ports.
    FewestShrunk,
    /// The least installed ports plus `per_splitter` ports' worth per splitter (exact, by
    /// [`crate::port_partition`]), each splitter the smallest ratio holding its ports:
    /// 0 fits ports tightest (fewest splitters among the tightest), larger values trade
    /// idle ports for fewer splitters (PON ports, closures).
    Ports { per_splitter: u64 },
}

/// The clusterings tried for every split: the fewest splitters, and ports fitted to the
/// households at three weights of a splitter against a port.
pub const CLUSTERINGS: [Clustering; 5] = [
    Clustering::Fewest,
    Clustering::FewestShrunk,
    Clustering::Ports { per_splitter: 0 },
    Clustering::Ports { per_splitter: 8 },
    Clustering::Ports { per_splitter: 32 },
];

/// Fill every design aims at: connected households per installed last-stage splitter port,
/// percent. A design below it is taken only when no design of the village reaches it (the
/// one with the fewest idle ports, then the cheapest).
pub const FILL_TARGET_PCT: u64 = 80;

/// Clusters `items` (street node, weight) with capacity `cap`: the head of each item's part
/// and the residuals, with the parts' heads in tree order. `part_cost`: `None` for the
/// fewest parts (Kundu-Misra), else the cost of a part by its weight.
fn cluster(
    layout: &VillageLayout,
    items: &[(u32, u64)],
    cap: u64,
    part_cost: Option<&dyn Fn(u64) -> u64>,
) -> (Vec<u32>, Vec<u64>, Vec<u32>) {
    let t = item_tree(layout, items);
    let rt = RootedTree {
        parent: &t.parent,
        order: &t.order,
    };
    let (head, residual) = match part_cost {
        None => kundu_misra(&rt, &t.weight, cap),
        Some(f) => crate::port_partition::min_cost_partition(&rt, &t.weight, cap, f),
    };
    let of = head_of(&rt, &head);
    let heads: Vec<u32> = t
        .order
        .iter()
        .copied()
        .filter(|&v| head[v as usize])
        .collect();
    (of, residual, heads)
}

/// The smallest ratio a splitter may have: at least 1:16 in one stage, 1:8 in the second
/// of two, 1:2 in the first of two (shorter chains lose too little for the class minimum
/// on short lines).
fn floor_ratio(split: Split, stage: u8) -> u32 {
    match (split, stage) {
        (Split::One(_), _) => 16,
        (Split::Two(..), 2) => 8,
        _ => 2,
    }
}

/// The smallest of `ratios` at least `need` and at most `max`, else `max`.
fn smallest_ratio(ratios: &[u32], need: u32, max: u32) -> u32 {
    ratios
        .iter()
        .copied()
        .filter(|&r| r >= need && r <= max)
        .min()
        .unwrap_or(max)
}

fn build_net(
    layout: &VillageLayout,
    connected: &[u32],
    split: Split,
    ratios: &[u32],
    clustering: Clustering,
) -> Net {
    let n = layout.graph.nodes.len();
    let last = split.last_ratio() as u64;
    let stage = if matches!(split, Split::One(_)) { 1 } else { 2 };
    let floor = floor_ratio(split, stage);
    // Items of the last stage: connected premises, split into pieces of at most `last`.
    let mut items: Vec<(u32, u64)> = Vec::new();
    let mut item_premise: Vec<usize> = Vec::new();
    for (i, &c) in connected.iter().enumerate() {
        let mut left = c as u64;
        while left > 0 {
            let w = left.min(last);
            items.push((layout.graph.snapped_node[i], w));
            item_premise.push(i);
            left -= w;
        }
    }
    let part_cost = |per_splitter: u64| {
        move |w: u64| {
            let ports = smallest_ratio(ratios, (w as u32).max(floor), last as u32) as u64;
            // Least (ports + per-splitter weight), then the fewest splitters.
            (ports + per_splitter) * 4096 + 1
        }
    };
    let (of, residual, heads) = match clustering {
        Clustering::Fewest | Clustering::FewestShrunk => cluster(layout, &items, last, None),
        Clustering::Ports { per_splitter } => {
            cluster(layout, &items, last, Some(&part_cost(per_splitter)))
        }
    };
    let resolve = |v: u32| {
        if (v as usize) < n {
            v
        } else {
            items[v as usize - n].0
        }
    };
    let mut splitters: Vec<(u32, u32, u8, u32, Option<usize>)> = Vec::new();
    let mut head_index = std::collections::BTreeMap::new();
    for &h in &heads {
        head_index.insert(h, splitters.len());
        splitters.push((
            resolve(h),
            last as u32,
            stage,
            residual[h as usize] as u32,
            None,
        ));
    }
    let mut premise_splitter = vec![None; connected.len()];
    for (k, &p) in item_premise.iter().enumerate() {
        if premise_splitter[p].is_none() {
            premise_splitter[p] = head_index.get(&of[n + k]).copied();
        }
    }
    let mut edge_cables: Vec<(u32, CableType, u32, usize)> = Vec::new();
    // Last-stage distribution: every tree edge inside a part (passing premises too).
    for &v in &layout.order[1..] {
        let h = of[v as usize];
        // Above every head (a root whose own part is empty) only the feeder runs.
        if h != v && h != u32::MAX {
            let owner = head_index.get(&h).copied().unwrap_or(usize::MAX);
            edge_cables.push((
                v,
                CableType::Distribution,
                residual[v as usize] as u32,
                owner,
            ));
        }
    }
    // First stage: for two stages, cluster the second-stage splitters.
    let mut first: Vec<usize> = (0..splitters.len()).collect();
    if let Split::Two(r1, _) = split {
        let s2: Vec<(u32, u64)> = splitters.iter().map(|s| (s.0, 1)).collect();
        let (of1, res1, heads1) = cluster(layout, &s2, r1 as u64, None);
        let base = splitters.len();
        let mut idx1 = std::collections::BTreeMap::new();
        for &h in &heads1 {
            let node = if (h as usize) < n {
                h
            } else {
                s2[h as usize - n].0
            };
            idx1.insert(h, splitters.len());
            splitters.push((node, r1, 1, res1[h as usize] as u32, None));
        }
        for k in 0..base {
            splitters[k].4 = idx1.get(&of1[n + k]).copied();
        }
        for &v in &layout.order[1..] {
            let h = of1[v as usize];
            if h != v && res1[v as usize] > 0 {
                let owner = idx1.get(&h).copied().unwrap_or(usize::MAX);
                edge_cables.push((v, CableType::Distribution, res1[v as usize] as u32, owner));
            }
        }
        first = (base..splitters.len()).collect();
    }
    // Smaller splitters where a cluster uses fewer ports (down to the floor of its
    // stage), unless the fewest of one ratio are asked for: fewer idle ports.
    let shrunk = clustering != Clustering::Fewest;
    if shrunk {
        for sp in splitters.iter_mut() {
            sp.1 = smallest_ratio(ratios, sp.3.max(floor_ratio(split, sp.2)), sp.1);
        }
    }
    let last_stage_ports = splitters
        .iter()
        .filter(|s| s.2 == stage)
        .map(|s| s.1 as u64)
        .sum();
    // Feeder: one fibre per first-stage splitter below the edge.
    let mut below = vec![0u32; n];
    for &s in &first {
        below[splitters[s].0 as usize] += 1;
    }
    for &v in layout.order[1..].iter().rev() {
        let p = layout.parent[v as usize];
        below[p as usize] += below[v as usize];
    }
    for &v in &layout.order[1..] {
        if below[v as usize] > 0 {
            edge_cables.push((v, CableType::Feeder, below[v as usize], usize::MAX));
        }
    }
    Net {
        split,
        clustering,
        shrunk,
        last_stage_ports,
        first_stage: first.len() as u32,
        splitters,
        premise_splitter,
        edge_cables,
    }
}

/// Loss of each splitter's chain back to the OLT (its own and its parent's), dB.
fn chain_db(net: &Net, model: &LastMileModel) -> Result<Vec<f64>, AccessError> {
    let loss = |r: u32| {
        model.splitter_loss(r).ok_or(AccessError::MissingRatio {
            ratio: r,
            what: "optics.splitter_loss_db",
        })
    };
    net.splitters
        .iter()
        .map(|s| Ok(loss(s.1)? + s.4.map_or(Ok(0.0), |p| loss(net.splitters[p].1))?))
        .collect()
}

fn splitter_db(split: Split, model: &LastMileModel) -> Result<f64, AccessError> {
    let loss = |r: u32| {
        model.splitter_loss(r).ok_or(AccessError::MissingRatio {
            ratio: r,
            what: "optics.splitter_loss_db",
        })
    };
    Ok(match split {
        Split::One(r) => loss(r)?,
        Split::Two(a, b) => loss(a)? + loss(b)?,
    })
}

/// Designs the access network of a laid-out village with the model's take-up and prices,
/// choosing among `sites` (at least one) by cost under the optical budget.
pub fn design(
    layout: &VillageLayout,
    model: &LastMileModel,
    sites: &[SiteOption],
) -> Result<VillageDesign, AccessError> {
    if sites.is_empty() {
        return Err(AccessError::NoSite {
            village: layout.id.clone(),
        });
    }
    let connected = connections(layout, model.take_up_pct);
    let n_prem = layout.premises.len();
    let node_of = |i: usize| layout.graph.snapped_node[i] as usize;
    let path_in_village_m =
        |i: usize| (layout.depth_dm[node_of(i)] + layout.graph.drop_dm[i]) as f64 / 10.0;
    let lines: Vec<usize> = (0..n_prem).filter(|&i| connected[i] > 0).collect();
    let fixed = crate::boq::fixed_parts(layout, &connected, model)?;
    struct Choice {
        net: usize,
        site: usize,
        class: OpticsClass,
        misfits: usize,
        cost: Kzt,
    }
    let mut nets = Vec::new();
    let ratios: Vec<u32> = model
        .optics
        .splitter_loss_db
        .keys()
        .filter_map(|k| k.parse().ok())
        .collect();
    for split in SPLITS {
        if model.splitter_loss(split.last_ratio()).is_none() {
            continue;
        }
        for clustering in CLUSTERINGS {
            nets.push(build_net(layout, &connected, split, &ratios, clustering));
        }
    }
    let households: u64 = connected.iter().map(|&c| c as u64).sum();
    let mut choices: Vec<Choice> = Vec::new();
    for (ni, net) in nets.iter().enumerate() {
        let line_db = chain_db(net, model)?;
        let variable = crate::boq::net_cost(layout, net_parts(net), model, fixed.drops)?;
        for (si, site) in sites.iter().enumerate() {
            for class in [OpticsClass::BPlus, OpticsClass::CPlus] {
                let misfits = lines
                    .iter()
                    .filter(|&&i| {
                        let db = net.premise_splitter[i].map_or(0.0, |s| line_db[s]);
                        let loss =
                            line_loss_db(site.fibre_m + path_in_village_m(i), db, &model.optics);
                        !fits(loss, class, &model.optics)
                    })
                    .count();
                let port = match class {
                    OpticsClass::BPlus => model.costs.olt_port_b_plus_kzt,
                    OpticsClass::CPlus => model.costs.olt_port_c_plus_kzt,
                };
                let cost = (port as i128 * net.first_stage as i128
                    + site.site_kzt as i128
                    + variable as i128
                    + fixed.cost as i128)
                    .try_into()
                    .map_err(|_| AccessError::Overflow {
                        village: layout.id.clone(),
                    })?;
                choices.push(Choice {
                    net: ni,
                    site: si,
                    class,
                    misfits,
                    cost,
                });
            }
        }
    }
    let best = choices
        .iter()
        .enumerate()
        .min_by_key(|(k, c)| {
            // Lines first, then the fill target, then cost; below the target, the fewest
            // idle ports.
            let ports = nets[c.net].last_stage_ports;
            let below = households * 100 < FILL_TARGET_PCT * ports;
            (c.misfits, below, if below { ports } else { 0 }, c.cost, *k)
        })
        .map(|(_, c)| c)
        .ok_or(AccessError::MissingRatio {
            ratio: 64,
            what: "optics.splitter_loss_db",
        })?;
    let net = &nets[best.net];
    let site = &sites[best.site];
    let reason = site_reason(
        best.misfits,
        best.cost,
        site,
        &choices
            .iter()
            .map(|c| (c.site, c.misfits, c.cost))
            .collect::<Vec<_>>(),
        sites,
        net.split,
        best.class,
    ) + &fill_reason(net.clustering, households, net.last_stage_ports);
    let line_db = chain_db(net, model)?;
    let nominal = splitter_db(net.split, model)?;
    // Premises.
    let mut premises = Vec::with_capacity(n_prem);
    for (i, p) in layout.premises.iter().enumerate() {
        let drop_m = layout.graph.drop_dm[i] as f64 / 10.0;
        let path = site.fibre_m + path_in_village_m(i);
        let db = if connected[i] > 0 {
            net.premise_splitter[i].map_or(nominal, |s| line_db[s])
        } else {
            nominal
        };
        let loss = line_loss_db(path, db, &model.optics);
        let [_, hi] = best.class.range_db(&model.optics);
        let c = connected[i];
        let flag = if !layout.reached[i] {
            Some("no street path to the feed point".to_string())
        } else if c == 0 {
            None
        } else if let Some(why) = misfit(loss, best.class, &model.optics) {
            Some(format!(
                "{why}; no remedy (site, optics class and split all tried)"
            ))
        } else if drop_m > model.drop_limit_m {
            Some(format!(
                "drop of {drop_m:.1} m over the limit of {} m",
                model.drop_limit_m
            ))
        } else {
            None
        };
        premises.push(PremiseOut {
            lonlat: p.lonlat,
            households: p.households,
            connected_households: c,
            modelled: p.modelled,
            splitter: if c > 0 { net.premise_splitter[i] } else { None },
            path_length_m: round1(path),
            drop_m,
            line_loss_db: round2(loss),
            margin_db: round2(hi - loss),
            flag,
        });
    }
    let splitters: Vec<SplitterOut> = net
        .splitters
        .iter()
        .enumerate()
        .map(|(k, s)| SplitterOut {
            id: format!("{}/splitter/{}", layout.id, k + 1),
            lonlat: layout.graph.nodes[s.0 as usize],
            ratio: s.1,
            stage: s.2,
            ports_used: s.3,
            parent: s.4,
        })
        .collect();
    let olt = OltOut {
        id: match site.site {
            OltSite::Village => format!("{}/olt", layout.id),
            _ => format!("{}/olt", site.id),
        },
        lonlat: site.lonlat,
        site: site.site,
        class: best.class,
        ports_used: net.first_stage,
        reason,
    };
    let mut cables = cable_sections(layout, net, model);
    for (i, p) in premises.iter().enumerate() {
        if p.connected_households > 0 && layout.reached[i] {
            cables.push(CableOut {
                cable_type: CableType::Drop,
                fibres: 1,
                fibres_used: 1,
                placement: Placement::Aerial,
                coords: vec![layout.graph.nodes[node_of(i)], p.lonlat],
                length_dm: layout.graph.drop_dm[i],
            });
        }
    }
    let (boq, price_basis) = crate::boq::bill(
        layout,
        &premises,
        &net_parts(net),
        &olt,
        &cables,
        site,
        &fixed,
        model,
    )?;
    Ok(VillageDesign {
        village_id: layout.id.clone(),
        premises,
        splitters,
        olt,
        cables,
        split: net.split,
        mixed_ratios: net.shrunk,
        clustering: net.clustering,
        streets: layout.streets.iter().map(|s| s.coords.clone()).collect(),
        streets_from_osm: layout.streets.iter().any(|s| s.class != "generated"),
        boq,
        price_basis,
    })
}

/// The clustering and fill part of the OLT's reason.
fn fill_reason(clustering: Clustering, households: u64, ports: u64) -> String {
    if ports == 0 {
        return String::new();
    }
    let how = match clustering {
        Clustering::Fewest => "the fewest splitters of the split's ratio".to_string(),
        Clustering::FewestShrunk => {
            "the fewest splitters, each the smallest ratio holding its households".to_string()
        }
        Clustering::Ports { per_splitter: 0 } => {
            "splitters fitted to their households (least installed ports)".to_string()
        }
        Clustering::Ports { per_splitter } => format!(
            "splitters fitted to their households (least installed ports plus {per_splitter} per splitter)"
        ),
    };
    let fill = households as f64 * 100.0 / ports as f64;
    let target = if households * 100 >= FILL_TARGET_PCT * ports {
        String::new()
    } else {
        format!(
            " (below the {FILL_TARGET_PCT} % target: no clustering of this street tree reaches it)"
        )
    };
    format!("; {how}: {households} connections on {ports} ports, fill {fill:.1} %{target}")
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn site_reason(
    misfits: usize,
    cost: Kzt,
    site: &SiteOption,
    all: &[(usize, usize, Kzt)],
    sites: &[SiteOption],
    split: Split,
    class: OpticsClass,
) -> String {
    if misfits > 0 {
        return format!(
            "{}: fewest lines over budget ({misfits}) of every site, split and optics class; {} {}",
            site.site.as_str(),
            split.label(),
            class.as_str()
        );
    }
    let mut why = format!(
        "{}: least cost ({cost} KZT) with every line within {} and the margin, split {}",
        site.site.as_str(),
        class.as_str(),
        split.label()
    );
    for (si, other) in sites.iter().enumerate() {
        if other.site == site.site {
            continue;
        }
        let fits = all
            .iter()
            .filter(|c| c.0 == si && c.1 == 0)
            .map(|c| c.2)
            .min();
        match fits {
            None => why.push_str(&format!(
                "; {} ({:.1} km of fibre) closes no budget",
                other.site.as_str(),
                other.fibre_m / 1000.0
            )),
            Some(c) => why.push_str(&format!(
                "; {} costs {} KZT more",
                other.site.as_str(),
                c - cost
            )),
        }
    }
    why
}

/// What [`crate::boq::net_cost`] needs of a network.
pub(crate) struct NetParts<'a> {
    /// (street node, ratio, ports used, last stage) of every splitter.
    pub splitters: Vec<(u32, u32, u32, bool)>,
    pub edge_cables: &'a [(u32, CableType, u32, usize)],
}

fn net_parts(net: &Net) -> NetParts<'_> {
    NetParts {
        splitters: net
            .splitters
            .iter()
            .map(|s| (s.0, s.1, s.3, s.2 == net.last_stage()))
            .collect(),
        edge_cables: &net.edge_cables,
    }
}

/// Cuts each cable (the feeder, each splitter's distribution) into sections of one size
/// and placement, chained along the tree.
fn cable_sections(layout: &VillageLayout, net: &Net, model: &LastMileModel) -> Vec<CableOut> {
    let n = layout.graph.nodes.len();
    // Group the edges by cable: (type, owner) -> edges in tree order.
    let mut by_cable: std::collections::BTreeMap<(CableType, usize), Vec<(u32, u32)>> =
        Default::default();
    let mut pos = vec![0u32; n];
    for (i, &v) in layout.order.iter().enumerate() {
        pos[v as usize] = i as u32;
    }
    for &(v, t, f, owner) in &net.edge_cables {
        by_cable.entry((t, owner)).or_default().push((v, f));
    }
    let mut out = Vec::new();
    let mut key_of = vec![None::<CableKey>; n];
    let mut kids = vec![0u32; n];
    let mut only_child = vec![u32::MAX; n];
    for ((t, _), mut edges) in by_cable {
        edges.sort_by_key(|e| pos[e.0 as usize]);
        for &(v, f) in &edges {
            let (pl, _) = crate::boq::placement(layout, v, model);
            key_of[v as usize] = Some((t, cable_size(f, &model.costs).0, pl));
            let p = layout.parent[v as usize] as usize;
            kids[p] += 1;
            only_child[p] = v;
        }
        let used: std::collections::BTreeMap<u32, u32> = edges.iter().copied().collect();
        for &(v, _) in &edges {
            let p = layout.parent[v as usize];
            let k = key_of[v as usize];
            let continues =
                key_of[p as usize] == k && kids[p as usize] == 1 && used.contains_key(&p);
            if continues {
                continue;
            }
            let mut coords = vec![
                layout.graph.nodes[p as usize],
                layout.graph.nodes[v as usize],
            ];
            let mut length_dm =
                layout.graph.edges[layout.parent_edge[v as usize] as usize].length_dm;
            let mut cur = v;
            let mut fmax = used[&v];
            while kids[cur as usize] == 1 {
                let c = only_child[cur as usize];
                if key_of[c as usize] != k {
                    break;
                }
                coords.push(layout.graph.nodes[c as usize]);
                length_dm += layout.graph.edges[layout.parent_edge[c as usize] as usize].length_dm;
                fmax = fmax.max(used[&c]);
                cur = c;
            }
            let (t, size, pl) = k.expect("set above");
            out.push(CableOut {
                cable_type: t,
                fibres: size,
                fibres_used: fmax,
                placement: pl,
                coords,
                length_dm,
            });
        }
        for &(v, _) in &edges {
            key_of[v as usize] = None;
            let p = layout.parent[v as usize] as usize;
            kids[p] = 0;
            only_child[p] = u32::MAX;
        }
    }
    out
}
