//! Dual ascent (Wong 1984): a certified lower bound from the directed cut formulation of
//! the Steiner arborescence problem, for Steiner trees and, through the usual
//! transformation, for prize-collecting trees.
//!
//! Every arc has a reduced cost, at first its cost. For a terminal `t` not yet joined to
//! the root, `W` is the set of nodes reaching `t` along arcs of reduced cost zero; when
//! `W` lacks the root, every arborescence crosses the cut into `W`, so its dual variable
//! may rise by the least reduced cost `delta` of an arc entering `W`: the bound rises by
//! `delta` and those arcs' reduced costs fall by it. Every intermediate value is a valid
//! bound, so a work budget (counted in scanned arcs) may stop it early.
//!
//! The terminal with the smallest component goes first (Wong's rule). A terminal, once
//! picked, keeps rising while its component stays within twice the next smallest one: a
//! heap of the cut's arcs keyed by reduced cost plus the level at which their head joined
//! makes each further step O(log m) instead of a fresh search of the component, and the
//! reduced costs are settled once when the terminal is put back.
//!
//! The nodes the root reaches along zero arcs are marked as they become known (the path
//! by which a component reached the root), so a closure that takes one stops there: late
//! in an ascent the components hold tens of thousands of nodes and most picks only find
//! that the root already reaches them. The reduced costs are kept in the order of the
//! arcs into each node, beside their tails, which the closures read in turn, and the
//! nodes are numbered inside in breadth-first order, so that a component's nodes lie near
//! each other in memory. None of it changes the cuts raised: the bound and the reduced
//! costs are those of the search to the end (`ascend_reference`, the test oracle behind
//! the `oracle` feature). On the 1M-node quota instance's reduced graph (271,260 nodes,
//! 480,473 edges) a complete prize-collecting ascent at a multiplier of 109 takes a
//! quarter of the reference's time (9.0 s against 35.4 s in one process, load 7).
//!
//! Complexity: each pick costs O(a log a) for the a arcs into its component; the number
//! of picks is bounded by the work budget.
//!
//! References: R. T. Wong, "A dual ascent approach for Steiner tree problems on a
//! directed graph", Math. Programming 28 (1984); T. Polzin, S. Vahdati Daneshmand,
//! "Improved algorithms for the Steiner problem in networks", Discrete Applied
//! Mathematics 112 (2001), for the transformation of prize-collecting trees.

use crate::graph::{Cost, Graph, NodeId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A directed graph with arcs stored by head (the ascent scans arcs into a set).
#[derive(Clone, Debug)]
pub struct ArcGraph {
    /// `in_start[v]..in_start[v + 1]` are the places of the arcs into `v`; at each place
    /// the arc's id, tail and cost, so that a scan of `v`'s arcs reads one run of memory
    /// (the ascent keeps its reduced costs by place too).
    in_start: Vec<u32>,
    in_arcs: Vec<u32>,
    in_tail: Vec<NodeId>,
    in_cost: Vec<Cost>,
    /// The nodes are numbered inside in breadth-first order (`inner[v]` for the callers'
    /// `v`), so that a component's nodes lie near each other in memory; callers see their
    /// own ids.
    inner: Vec<NodeId>,
}

impl ArcGraph {
    /// Builds the graph from `(tail, head, cost)` arcs on nodes `0..n`.
    pub fn from_arcs(n: usize, arcs: &[(NodeId, NodeId, Cost)]) -> ArcGraph {
        ArcGraph::from_parts(n, arcs.len(), |a| arcs[a])
    }

    /// The graph of `m` arcs, arc `a` from `arc(a).0` to `arc(a).1` at `arc(a).2`, on
    /// nodes `0..n`.
    fn from_parts(n: usize, m: usize, arc: impl Fn(usize) -> (NodeId, NodeId, Cost)) -> ArcGraph {
        // The arcs by head, in the callers' ids, then the breadth-first numbering along
        // them (either direction of an arc is a step).
        let by_head = |head: &dyn Fn(usize) -> usize| {
            let mut start = vec![0u32; n + 1];
            for a in 0..m {
                start[head(a) + 1] += 1;
            }
            for i in 0..n {
                start[i + 1] += start[i];
            }
            let mut fill = start[..n].to_vec();
            let mut arcs = vec![0u32; m];
            for a in 0..m {
                let h = head(a);
                arcs[fill[h] as usize] = a as u32;
                fill[h] += 1;
            }
            (start, arcs)
        };
        let (start, arcs) = by_head(&|a| arc(a).1 as usize);
        let mut outer: Vec<NodeId> = Vec::with_capacity(n);
        let mut inner = vec![NodeId::MAX; n];
        for s in 0..n {
            if inner[s] != NodeId::MAX {
                continue;
            }
            inner[s] = outer.len() as NodeId;
            outer.push(s as NodeId);
            let mut next = outer.len() - 1;
            while next < outer.len() {
                let v = outer[next] as usize;
                next += 1;
                for &a in &arcs[start[v] as usize..start[v + 1] as usize] {
                    let u = arc(a as usize).0 as usize;
                    if inner[u] == NodeId::MAX {
                        inner[u] = outer.len() as NodeId;
                        outer.push(u as NodeId);
                    }
                }
            }
        }
        drop((start, arcs));
        let (in_start, in_arcs) = by_head(&|a| inner[arc(a).1 as usize] as usize);
        ArcGraph {
            in_tail: in_arcs
                .iter()
                .map(|&a| inner[arc(a as usize).0 as usize])
                .collect(),
            in_cost: in_arcs.iter().map(|&a| arc(a as usize).2).collect(),
            in_start,
            in_arcs,
            inner,
        }
    }

    /// Both directions of every edge: arc `2e` runs from the edge's first endpoint to its
    /// second, arc `2e + 1` back. (Made straight from the edges: no list of arcs first,
    /// which on a country's graph would be as large again.)
    pub fn bidirected(g: &Graph) -> ArcGraph {
        let edges = g.edges();
        ArcGraph::from_parts(g.num_nodes(), 2 * edges.len(), |a| {
            let (u, v, w) = edges[a / 2];
            if a.is_multiple_of(2) {
                (u, v, w)
            } else {
                (v, u, w)
            }
        })
    }

    /// The rooted prize-collecting tree as an arborescence problem: every node `v` with
    /// a prize gets a new terminal `v'` (node `n + i` for the i-th such node) with an arc
    /// `v -> v'` of cost 0 and an arc `root -> v'` of cost `prize(v)` (leaving `v` out).
    /// An arborescence from the root spanning the new terminals costs exactly a tree's
    /// edges plus the prizes it leaves out, so its bound is a bound on that objective.
    /// Returns the graph and the new terminals.
    pub fn prize_collecting(g: &Graph, prizes: &[Cost], root: NodeId) -> (ArcGraph, Vec<NodeId>) {
        let n = g.num_nodes();
        let mut arcs = Vec::with_capacity(2 * g.num_edges() + 2 * n);
        for &(a, b, w) in g.edges() {
            arcs.push((a, b, w));
            arcs.push((b, a, w));
        }
        let mut terms = Vec::new();
        for (v, &p) in prizes.iter().enumerate() {
            if p > 0 && v as NodeId != root {
                let t = (n + terms.len()) as NodeId;
                arcs.push((v as NodeId, t, 0));
                arcs.push((root, t, p));
                terms.push(t);
            }
        }
        (ArcGraph::from_arcs(n + terms.len(), &arcs), terms)
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.in_start.len() - 1
    }

    /// The places in `in_arcs` of the arcs into `v`.
    fn places(&self, v: NodeId) -> std::ops::Range<usize> {
        self.in_start[v as usize] as usize..self.in_start[v as usize + 1] as usize
    }

    /// The arcs into `v` (the callers' id).
    #[cfg(feature = "oracle")]
    fn arcs_into(&self, v: NodeId) -> &[u32] {
        &self.in_arcs[self.places(self.inner[v as usize])]
    }

    /// Every arc's tail and cost by its id (the test oracle reads them so).
    #[cfg(feature = "oracle")]
    fn by_id(&self) -> (Vec<NodeId>, Vec<Cost>) {
        let mut outer = vec![0; self.inner.len()];
        for (v, &i) in self.inner.iter().enumerate() {
            outer[i as usize] = v as NodeId;
        }
        let mut tail = vec![0; self.in_arcs.len()];
        let mut cost = vec![0; self.in_arcs.len()];
        for (place, &a) in self.in_arcs.iter().enumerate() {
            tail[a as usize] = outer[self.in_tail[place] as usize];
            cost[a as usize] = self.in_cost[place];
        }
        (tail, cost)
    }
}

/// The bound and the reduced arc costs it leaves (indexed like the arcs).
#[derive(Clone, Debug)]
pub struct Ascent {
    /// Lower bound on any arborescence from the root spanning the terminals.
    pub lower_bound: Cost,
    /// Reduced cost of every arc; non-negative.
    pub reduced: Vec<Cost>,
    /// Whether every terminal was joined to the root (false when the budget ran out).
    pub complete: bool,
}

/// Lower bound on the cost of any tree spanning `terms` (rooted at `root`, which should
/// be a terminal), after at most about `work_budget` scanned arcs.
pub fn dual_ascent(g: &Graph, terms: &[NodeId], root: NodeId, work_budget: u64) -> Cost {
    ascend(&ArcGraph::bidirected(g), terms, root, work_budget).lower_bound
}

/// Dual ascent on an arc graph: terminals `terms`, root `root`, about `work_budget`
/// scanned arcs at most. Deterministic.
pub fn ascend(ag: &ArcGraph, terms: &[NodeId], root: NodeId, work_budget: u64) -> Ascent {
    let n = ag.num_nodes();
    // Reduced costs by place in `in_arcs` (the order the closures read them in).
    let mut red: Vec<Cost> = ag.in_cost.clone();
    let mut lb: Cost = 0;
    let mut work = 0u64;
    // Per node, together (one cache line for the three): `mark == stamp` when it is in the
    // component being raised, `join` the rise of that component when it entered, `via`
    // the node it entered through.
    let mut node = vec![Member::default(); n];
    let mut stamp = 0u32;
    // Nodes the root is known to reach along zero arcs: a component that takes one holds
    // the root, so its closure stops there instead of searching on to the root itself.
    // (Every marked node is reached; not every reached node need be marked.)
    let mut rooted = vec![false; n];
    rooted[ag.inner[root as usize] as usize] = true;
    // Terminals by the callers' ids (ties broken by them, as before the numbering).
    let mut order: BinaryHeap<Reverse<(usize, NodeId)>> = terms
        .iter()
        .filter(|&&t| t != root)
        .map(|&t| Reverse((1, t)))
        .collect();
    let mut set: Vec<NodeId> = Vec::new();
    // Cut arcs by level, then arc id; with the arc's head and tail. A closure's arcs are
    // gathered in `found` and put in the heap at once.
    let mut cut: BinaryHeap<Reverse<(Cost, u32, NodeId, NodeId)>> = BinaryHeap::new();
    let mut found: Vec<Reverse<(Cost, u32, NodeId, NodeId)>> = Vec::new();
    let mut complete = true;
    while let Some(Reverse((_, outer_t))) = order.pop() {
        let t = ag.inner[outer_t as usize];
        if work > work_budget {
            complete = false;
            break;
        }
        let next_size = order.peek().map_or(usize::MAX, |r| r.0 .0);
        stamp += 1;
        set.clear();
        cut.clear();
        found.clear();
        let mut rise: Cost = 0;
        let mut scanned = 0;
        node[t as usize] = Member {
            join: 0,
            mark: stamp,
            via: t,
        };
        set.push(t);
        // The marked node the component took, when it took one.
        let mut reached: Option<NodeId> = None;
        let mut stuck = false;
        loop {
            // Close the component over zero arcs; queue the cut's arcs by their level.
            while scanned < set.len() && reached.is_none() {
                let v = set[scanned];
                scanned += 1;
                let join_v = node[v as usize].join;
                for place in ag.places(v) {
                    work += 1;
                    let u = ag.in_tail[place];
                    if node[u as usize].mark == stamp {
                        continue;
                    }
                    if red[place] == 0 {
                        node[u as usize] = Member {
                            join: rise,
                            mark: stamp,
                            via: v,
                        };
                        set.push(u);
                        if rooted[u as usize] {
                            reached = Some(u);
                            break;
                        }
                    } else {
                        let a = ag.in_arcs[place];
                        found.push(Reverse((red[place] + join_v, a, v, u)));
                    }
                }
            }
            if reached.is_some() || set.len() > next_size.saturating_mul(2) || work > work_budget {
                break;
            }
            // Raise to the cheapest arc still entering; every arc at that level joins.
            cut.extend(found.drain(..));
            let mut entered = false;
            while let Some(&Reverse((level, _, head, u))) = cut.peek() {
                if node[u as usize].mark == stamp {
                    cut.pop();
                    continue;
                }
                if entered && level > rise {
                    break;
                }
                cut.pop();
                rise = level;
                entered = true;
                node[u as usize] = Member {
                    join: rise,
                    mark: stamp,
                    via: head,
                };
                set.push(u);
                if rooted[u as usize] && reached.is_none() {
                    reached = Some(u);
                }
            }
            if !entered {
                stuck = true; // nothing enters: t is cut off from the root
                break;
            }
        }
        // Settle: an arc u -> v into the component fell from v's entry until u's (or
        // the end).
        lb += rise;
        if rise > 0 {
            for &v in &set[..scanned] {
                let join_v = node[v as usize].join;
                for place in ag.places(v) {
                    let u = node[ag.in_tail[place] as usize];
                    let until = if u.mark == stamp { u.join } else { rise };
                    if until > join_v {
                        red[place] -= until - join_v;
                    }
                }
            }
            work += (set.len() - scanned) as u64;
            // Nodes that joined but were never scanned: their in-arcs were not in the
            // cut (their head was outside), so nothing to settle for them.
        }
        if let Some(u) = reached {
            // The root reaches u, and u reaches t along the arcs each node entered by
            // (now at zero): mark that path.
            let mut x = u;
            while x != t {
                x = node[x as usize].via;
                rooted[x as usize] = true;
                work += 1;
            }
        } else if !stuck {
            order.push(Reverse((set.len(), outer_t)));
        }
    }
    if !order.is_empty() {
        complete = false;
    }
    // By place to by id, in place along the permutation's cycles (a second vector of
    // reduced costs would be most of an ascent's memory on a country's graph).
    let mut done = vec![false; red.len()];
    for start in 0..red.len() {
        if done[start] {
            continue;
        }
        let mut carry = red[start];
        let mut id = ag.in_arcs[start] as usize;
        loop {
            // `carry` is the reduced cost of arc `id`; what it displaces is that of the
            // arc at place `id`.
            done[id] = true;
            std::mem::swap(&mut carry, &mut red[id]);
            if id == start {
                break;
            }
            id = ag.in_arcs[id] as usize;
        }
    }
    Ascent {
        lower_bound: lb,
        reduced: red,
        complete,
    }
}

/// The ascent as it was before the closures stopped at nodes the root is known to reach
/// (and before the reduced costs were kept by place): the oracle of the differential
/// tests, which give both complete budgets and compare bounds and reduced costs bit for
/// bit. Behind the `oracle` feature.
#[cfg(feature = "oracle")]
pub fn ascend_reference(ag: &ArcGraph, terms: &[NodeId], root: NodeId, work_budget: u64) -> Ascent {
    let n = ag.num_nodes();
    let (tail, mut red) = ag.by_id();
    let mut lb: Cost = 0;
    let mut work = 0u64;
    // `mark[v] == stamp`: v is in the component being raised; `join[v]`: the rise of
    // that component when v entered it.
    let mut mark = vec![0u32; n];
    let mut stamp = 0u32;
    let mut join: Vec<Cost> = vec![0; n];
    // Terminals the root already reaches along zero arcs: reaching one reaches the root.
    let mut rooted = vec![false; n];
    rooted[root as usize] = true;
    let mut order: BinaryHeap<Reverse<(usize, NodeId)>> = terms
        .iter()
        .filter(|&&t| t != root)
        .map(|&t| Reverse((1, t)))
        .collect();
    let mut set: Vec<NodeId> = Vec::new();
    let mut cut: BinaryHeap<Reverse<(Cost, u32)>> = BinaryHeap::new();
    let mut complete = true;
    while let Some(Reverse((_, t))) = order.pop() {
        if work > work_budget {
            complete = false;
            break;
        }
        let next_size = order.peek().map_or(usize::MAX, |r| r.0 .0);
        stamp += 1;
        set.clear();
        cut.clear();
        let mut rise: Cost = 0;
        let mut scanned = 0;
        mark[t as usize] = stamp;
        join[t as usize] = 0;
        set.push(t);
        let mut reached = false;
        let mut stuck = false;
        loop {
            // Close the component over zero arcs; queue the cut's arcs by their level.
            while scanned < set.len() && !reached {
                let v = set[scanned];
                scanned += 1;
                for &a in ag.arcs_into(v) {
                    work += 1;
                    let u = tail[a as usize];
                    if mark[u as usize] == stamp {
                        continue;
                    }
                    if red[a as usize] == 0 {
                        mark[u as usize] = stamp;
                        join[u as usize] = rise;
                        set.push(u);
                        if rooted[u as usize] {
                            reached = true;
                            break;
                        }
                    } else {
                        cut.push(Reverse((red[a as usize] + join[v as usize], a)));
                    }
                }
            }
            if reached || set.len() > next_size.saturating_mul(2) || work > work_budget {
                break;
            }
            // Raise to the cheapest arc still entering; every arc at that level joins.
            let mut entered = false;
            while let Some(&Reverse((level, a))) = cut.peek() {
                let u = tail[a as usize];
                if mark[u as usize] == stamp {
                    cut.pop();
                    continue;
                }
                if entered && level > rise {
                    break;
                }
                cut.pop();
                rise = level;
                entered = true;
                mark[u as usize] = stamp;
                join[u as usize] = rise;
                set.push(u);
                if rooted[u as usize] {
                    reached = true;
                }
            }
            if !entered {
                stuck = true; // nothing enters: t is cut off from the root
                break;
            }
        }
        // Settle: an arc u -> v into the component fell from v's entry until u's (or
        // the end).
        lb += rise;
        if rise > 0 {
            for &v in &set[..scanned] {
                for &a in ag.arcs_into(v) {
                    let u = tail[a as usize];
                    let until = if mark[u as usize] == stamp {
                        join[u as usize]
                    } else {
                        rise
                    };
                    if until > join[v as usize] {
                        red[a as usize] -= until - join[v as usize];
                    }
                }
            }
            work += (set.len() - scanned) as u64;
            // Nodes that joined but were never scanned: their in-arcs were not in the
            // cut (their head was outside), so nothing to settle for them.
        }
        if reached {
            rooted[t as usize] = true;
        } else if !stuck {
            order.push(Reverse((set.len(), t)));
        }
    }
    if !order.is_empty() {
        complete = false;
    }
    Ascent {
        lower_bound: lb,
        reduced: red,
        complete,
    }
}

/// A node's place in the component being raised (see [`ascend`]).
#[derive(Clone, Copy, Default)]
struct Member {
    join: Cost,
    mark: u32,
    via: NodeId,
}

/// Reduced-cost distances over the bidirected arcs of `g` (arc `2e` from the edge's first
/// endpoint to its second): from the `sources` at their start values (`reverse` false), or
/// to the nearest of them (`reverse` true: along arcs backwards). `Cost::MAX` when
/// unreached.
pub(crate) fn reduced_distances(
    g: &Graph,
    reduced: &[Cost],
    sources: &[(NodeId, Cost)],
    reverse: bool,
) -> Vec<Cost> {
    let mut dist = vec![Cost::MAX; g.num_nodes()];
    let mut heap = BinaryHeap::new();
    for &(s, d) in sources {
        if d < dist[s as usize] {
            dist[s as usize] = d;
            heap.push(Reverse((d, s)));
        }
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for (u, e) in g.neighbors(v) {
            let forward_arc = if g.edge(e).0 == v { 2 * e } else { 2 * e + 1 } as usize;
            let arc = if reverse {
                forward_arc ^ 1
            } else {
                forward_arc
            };
            let nd = d.saturating_add(reduced[arc]);
            if nd < dist[u as usize] {
                dist[u as usize] = nd;
                heap.push(Reverse((nd, u)));
            }
        }
    }
    dist
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_on_a_path_is_exact() {
        let g = Graph::from_edges(3, &[(0, 1, 4), (1, 2, 5)]);
        assert_eq!(dual_ascent(&g, &[0, 2], 0, u64::MAX), 9);
    }

    #[test]
    fn bound_below_optimum_on_a_star() {
        let g = Graph::from_edges(4, &[(0, 1, 5), (1, 2, 5), (0, 3, 3), (1, 3, 3), (2, 3, 3)]);
        let lb = dual_ascent(&g, &[0, 1, 2], 0, u64::MAX);
        assert!((6..=9).contains(&lb), "{lb}");
    }

    #[test]
    fn reduced_costs_stay_non_negative_and_tight_on_the_path() {
        let g = Graph::from_edges(3, &[(0, 1, 4), (1, 2, 5)]);
        let a = ascend(&ArcGraph::bidirected(&g), &[0, 2], 0, u64::MAX);
        assert!(a.complete);
        assert_eq!(a.lower_bound, 9);
        // arcs 0 -> 1 and 1 -> 2 are used up; their reverses keep their costs
        assert_eq!(a.reduced, vec![0, 4, 0, 5]);
    }

    #[test]
    fn prize_collecting_bound() {
        // root 0; node 1 (prize 5) behind an edge of 4, node 2 (prize 6) behind 9:
        // the optimum takes 1 and pays 6 for 2, objective 10.
        let g = Graph::from_edges(3, &[(0, 1, 4), (0, 2, 9)]);
        let (ag, terms) = ArcGraph::prize_collecting(&g, &[0, 5, 6], 0);
        assert_eq!(terms, vec![3, 4]);
        let a = ascend(&ag, &terms, 0, u64::MAX);
        assert_eq!(a.lower_bound, 10);
    }
}
