//! Phasing a plan by yearly budgets: each year builds the fibre villages that bring the most
//! households per tenge, each hanging off the existing network or earlier builds.
//!
//! The plan's forest is rooted at its points of presence. A village's price in a year is its
//! own equipment and connections plus the corridors between it and what is already built.
//! Greedy by households per tenge: the best village that fits the year's remaining budget is
//! built, the corridors on its way are marked with the year, and the prices of villages below
//! them drop (an incremental update of their subtree). A year ends when nothing more fits;
//! budgets do not carry over. Villages left after the last year stay unphased.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The plan's fibre forest, as phasing needs it.
pub struct Forest<'a> {
    pub num_nodes: usize,
    /// Chosen corridors as `(a, b, capex)`, indexed by corridor id.
    pub corridor: &'a dyn Fn(u32) -> (u32, u32, i64),
    pub chosen: &'a [u32],
    /// Nodes of the existing network (points of presence, line joints).
    pub is_root: &'a dyn Fn(u32) -> bool,
}

/// A fibre village to schedule: its node, households and fixed capital cost.
#[derive(Clone, Copy, Debug)]
pub struct Demand {
    pub node: u32,
    pub households: u64,
    pub fixed_kzt: i64,
}

/// Years per village (same order as `demands`) and per chosen corridor id.
pub struct Schedule {
    pub village_phase: Vec<Option<u16>>,
    /// `(corridor id, year)` for every corridor built in some year.
    pub corridor_phase: Vec<(u32, u16)>,
    /// Spent per year, in the order of `years`.
    pub spent: Vec<(u16, i64)>,
}

#[derive(PartialEq, Eq)]
struct Entry {
    households: u64,
    cost: i64,
    village: usize,
    version: u32,
}

impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        // Higher households per tenge first; ties: lower village index first.
        let l = self.households as u128 * o.cost.max(1) as u128;
        let r = o.households as u128 * self.cost.max(1) as u128;
        l.cmp(&r).then_with(|| o.village.cmp(&self.village))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Schedule `demands` over `years` (year, budget), in year order.
pub fn schedule(f: &Forest, demands: &[Demand], years: &[(u16, i64)]) -> Schedule {
    let n = f.num_nodes;
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for &c in f.chosen {
        let (a, b, _) = (f.corridor)(c);
        adj[a as usize].push((b, c));
        adj[b as usize].push((a, c));
    }
    // Root the forest at the existing network (BFS in node order: deterministic).
    let mut parent: Vec<Option<(u32, u32)>> = vec![None; n];
    let mut built = vec![false; n];
    let mut order = Vec::new();
    for v in 0..n as u32 {
        if (f.is_root)(v) && !adj[v as usize].is_empty() {
            built[v as usize] = true;
            order.push(v);
        }
    }
    let mut seen = built.clone();
    let mut i = 0;
    while i < order.len() {
        let v = order[i];
        i += 1;
        for &(w, c) in &adj[v as usize] {
            if !seen[w as usize] {
                seen[w as usize] = true;
                parent[w as usize] = Some((v, c));
                order.push(w);
            }
        }
    }
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    for v in &order {
        if let Some((p, _)) = parent[*v as usize] {
            children[p as usize].push(*v);
        }
    }
    // Cost from each unbuilt node up to the built network.
    let mut up = vec![0i64; n];
    for &v in &order {
        if let Some((p, c)) = parent[v as usize] {
            up[v as usize] = (f.corridor)(c).2 + if built[p as usize] { 0 } else { up[p as usize] };
        }
    }
    let mut at_node: Vec<Vec<usize>> = vec![Vec::new(); n];
    let entry = |k: usize, cost: i64, version: u32| Entry {
        households: demands[k].households,
        cost,
        village: k,
        version,
    };
    for (k, d) in demands.iter().enumerate() {
        at_node[d.node as usize].push(k);
    }
    let mut version = vec![0u32; demands.len()];
    let mut done = vec![false; demands.len()];
    let mut heap = BinaryHeap::new();
    let price = |k: usize, up: &Vec<i64>, built: &Vec<bool>| {
        let node = demands[k].node as usize;
        demands[k].fixed_kzt + if built[node] { 0 } else { up[node] }
    };
    for k in 0..demands.len() {
        heap.push(entry(k, price(k, &up, &built), 0));
    }
    let mut out = Schedule {
        village_phase: vec![None; demands.len()],
        corridor_phase: Vec::new(),
        spent: Vec::new(),
    };
    for &(year, budget) in years {
        let mut left = budget;
        let mut deferred = Vec::new();
        while let Some(e) = heap.pop() {
            if done[e.village] || e.version != version[e.village] {
                continue;
            }
            if e.cost > left {
                deferred.push(e);
                continue;
            }
            left -= e.cost;
            done[e.village] = true;
            out.village_phase[e.village] = Some(year);
            // Build the way up, then re-price everything below the newly built nodes.
            let mut v = demands[e.village].node;
            let mut fresh = Vec::new();
            while !built[v as usize] {
                built[v as usize] = true;
                fresh.push(v);
                let (p, c) = parent[v as usize].expect("an unbuilt node has a parent");
                out.corridor_phase.push((c, year));
                v = p;
            }
            let mut stack: Vec<u32> = Vec::new();
            for &b in &fresh {
                for &k in &at_node[b as usize] {
                    if !done[k] {
                        version[k] += 1;
                        heap.push(entry(k, price(k, &up, &built), version[k]));
                    }
                }
                stack.extend(
                    children[b as usize]
                        .iter()
                        .copied()
                        .filter(|c| !built[*c as usize]),
                );
            }
            while let Some(u) = stack.pop() {
                let (p, c) = parent[u as usize].expect("child has a parent");
                up[u as usize] =
                    (f.corridor)(c).2 + if built[p as usize] { 0 } else { up[p as usize] };
                for &k in &at_node[u as usize] {
                    if !done[k] {
                        version[k] += 1;
                        heap.push(entry(k, price(k, &up, &built), version[k]));
                    }
                }
                stack.extend(children[u as usize].iter().copied());
            }
        }
        out.spent.push((year, budget - left));
        heap.extend(deferred);
    }
    out.corridor_phase.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Root 0 - 1 (cost 10) - 2 (cost 10); root 0 - 3 (cost 50).
    /// Villages: at 1 (10 hh, fixed 0), at 2 (100 hh, fixed 0), at 3 (30 hh, fixed 0).
    #[test]
    fn best_households_per_tenge_first_and_budgets_per_year() {
        let edges = [(0u32, 1u32, 10i64), (1, 2, 10), (0, 3, 50)];
        let corridor = |c: u32| edges[c as usize];
        let is_root = |v: u32| v == 0;
        let f = Forest {
            num_nodes: 4,
            corridor: &corridor,
            chosen: &[0, 1, 2],
            is_root: &is_root,
        };
        let d = [
            Demand {
                node: 1,
                households: 10,
                fixed_kzt: 0,
            },
            Demand {
                node: 2,
                households: 100,
                fixed_kzt: 0,
            },
            Demand {
                node: 3,
                households: 30,
                fixed_kzt: 0,
            },
        ];
        // Year 1 (budget 25): village at 2 costs 20 (5 hh/tenge): built; then village at 1
        // is free (0 cost): built. Village at 3 (50) waits. Year 2 (budget 40): 3 does not
        // fit. Year 3 (budget 60): 3 is built.
        let s = schedule(&f, &d, &[(2026, 25), (2027, 40), (2028, 60)]);
        assert_eq!(s.village_phase, vec![Some(2026), Some(2026), Some(2028)]);
        assert_eq!(s.corridor_phase, vec![(0, 2026), (1, 2026), (2, 2028)]);
        assert_eq!(s.spent, vec![(2026, 20), (2027, 0), (2028, 50)]);
    }
}
