//! Reductions with a history to expand solutions back.
//!
//! Tests applied until none fires, then the survivors are renumbered compactly:
//! - parallel edges: only the cheapest copy between two nodes stays;
//! - degree 1: a node that need not be in the tree (not a terminal, no prize, not the
//!   root) with one edge goes, with that edge;
//! - degree 2: such a node with two edges `a-v-b` is replaced by one edge `a-b` of the
//!   summed weight (a two-edge loop back to `a` goes entirely). Road graphs are 40-70 %
//!   degree-2 nodes, so this shrinks them most;
//! - least cost (a bounded special-distance test): an edge `u-v` goes when a search from
//!   `u` limited to a few nodes finds another path to `v` no longer than it. Any tree using
//!   the edge can use that path instead at no extra cost (and for prize problems only
//!   gains nodes), so an optimal tree survives.
//!
//! Each reduced edge remembers the input edges it stands for, so a tree in the reduced
//! graph expands to a tree of the input of the same cost.
//!
//! [`reduce`] is valid for every problem of the crate (nodes in `keep` are never removed).
//! [`reduce_steiner`] is for the Steiner tree problem alone and adds the tests that rely on
//! every terminal being spanned: terminal leaves and the nearest-vertex test contract edges
//! (kept in [`Reduction::fixed`]), the special-distance tests of [`crate::special_distance`]
//! delete edges, and its least-cost search lets a path rest at terminals.
//!
//! Complexity: O(m log m) for the degree tests; the least-cost test is O(m L log L) for
//! a node limit L.
//!
//! References: C. Duin, A. Volgenant, "Reduction tests for the Steiner problem in graphs",
//! Networks 19 (1989); T. Koch, A. Martin, "Solving Steiner tree problems in graphs to
//! optimality", Networks 32 (1998).

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::special_distance::{nv_test, sd_search, sd_test, TerminalRegions};
use std::cmp::Reverse;

/// A reduced graph and the way back to the input.
#[derive(Clone, Debug)]
pub struct Reduction {
    /// The reduced graph on compact ids.
    pub graph: Graph,
    /// Input node of each reduced node.
    pub old_of_new: Vec<NodeId>,
    /// Reduced node of each input node (`NodeId::MAX` when removed).
    pub new_of_old: Vec<NodeId>,
    /// Input edges each reduced edge stands for.
    pub paths: Vec<Vec<EdgeId>>,
    /// Input edges contracted because some optimal tree uses them (sorted; only
    /// [`reduce_steiner`] fills it). [`Reduction::expand`] adds them to every tree.
    pub fixed: Vec<EdgeId>,
}

impl Reduction {
    /// Input edges of a tree given in reduced edges, with the fixed edges (sorted).
    pub fn expand(&self, edges: &[EdgeId]) -> Vec<EdgeId> {
        let mut out: Vec<EdgeId> = edges
            .iter()
            .flat_map(|&e| self.paths[e as usize].iter().copied())
            .chain(self.fixed.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }

    /// Reduced id of input node `v`, when it survived.
    pub fn map_node(&self, v: NodeId) -> Option<NodeId> {
        let r = self.new_of_old[v as usize];
        (r != NodeId::MAX).then_some(r)
    }

    /// The reduced instance: graph, mapped terminals, root and prizes.
    pub fn instance(&self, inst: &crate::problem::Instance) -> crate::problem::Instance {
        let map = |v: NodeId| self.new_of_old[v as usize];
        crate::problem::Instance {
            graph: self.graph.clone(),
            terminals: self.terminals(&inst.terminals),
            root: inst.root.map(map),
            prizes: if inst.prizes.is_empty() {
                Vec::new()
            } else {
                self.old_of_new
                    .iter()
                    .map(|&v| inst.prizes[v as usize])
                    .collect()
            },
        }
    }

    /// Reduced ids of the surviving `terminals`, in their order, each once (terminals
    /// contracted together map to one node).
    pub fn terminals(&self, terminals: &[NodeId]) -> Vec<NodeId> {
        let mut seen = vec![false; self.old_of_new.len()];
        terminals
            .iter()
            .filter_map(|&t| self.map_node(t))
            .filter(|&r| !std::mem::replace(&mut seen[r as usize], true))
            .collect()
    }

    /// Total input weight of the fixed edges: the reduced optimum plus this is the input's.
    pub fn fixed_cost(&self, g: &Graph) -> Cost {
        self.fixed.iter().map(|&e| g.weight(e)).sum()
    }

    /// Surviving nodes as a fraction of the input's.
    pub fn node_ratio(&self) -> f64 {
        self.old_of_new.len() as f64 / self.new_of_old.len().max(1) as f64
    }
}

/// The graph being reduced: edges by id (input edges first, then edges made by the
/// degree-2 test), with liveness, the input edges each stands for and incidence lists
/// (which may hold dead edges until [`Work::live_inc`] prunes them).
pub(crate) struct Work {
    pub(crate) ends: Vec<(NodeId, NodeId)>,
    pub(crate) weight: Vec<Cost>,
    pub(crate) alive: Vec<bool>,
    /// Input edges of each edge; empty for an untouched input edge below `lazy_below`,
    /// which stands for itself (saves an allocation per input edge).
    pub(crate) paths: Vec<Vec<EdgeId>>,
    lazy_below: u32,
    /// Input edge of each edge below `lazy_below` (empty: the same id).
    orig: Vec<EdgeId>,
    pub(crate) inc: Vec<Vec<u32>>,
    /// Node a contracted node was merged into (itself while it stands alone).
    pub(crate) rep: Vec<NodeId>,
    /// Input edges contracted into nodes.
    pub(crate) fixed: Vec<EdgeId>,
    /// Edges killed or contracted so far (a round with no new event is a fixpoint).
    pub(crate) events: u64,
    /// When on, endpoints of killed edges and of moved edges are appended to `log`.
    pub(crate) logging: bool,
    pub(crate) log: Vec<NodeId>,
    /// Scratch, one per node: an edge id or `u32::MAX`, always reset after use.
    mark: Vec<u32>,
}

impl Work {
    /// The input graph with self-loops dead and parallel edges reduced to the cheapest
    /// copy (ties to the smaller id).
    pub(crate) fn new(g: &Graph) -> Work {
        let n = g.num_nodes();
        let inc = (0..n as NodeId)
            .map(|v| Vec::with_capacity(g.degree(v)))
            .collect();
        let mut w = Work::blank(inc, g.num_edges(), g.num_edges() as u32);
        for &(u, v, c) in g.edges() {
            w.push_edge(u, v, c, Vec::new());
        }
        for v in 0..n as NodeId {
            w.drop_parallel(v, &mut Vec::new());
        }
        w
    }

    /// No edges yet, on the nodes of `inc` (empty lists, maybe with capacity), room for
    /// `m` edges; edges below `lazy_below` find their input edge through `orig`.
    fn blank(inc: Vec<Vec<u32>>, m: usize, lazy_below: u32) -> Work {
        let n = inc.len();
        Work {
            ends: Vec::with_capacity(m),
            weight: Vec::with_capacity(m),
            alive: Vec::with_capacity(m),
            paths: Vec::with_capacity(m),
            lazy_below,
            orig: Vec::new(),
            inc,
            rep: (0..n as NodeId).collect(),
            fixed: Vec::new(),
            events: 0,
            logging: false,
            log: Vec::new(),
            mark: vec![u32::MAX; n],
        }
    }

    /// Appends the edge `a-b` of weight `w` standing for `path` (dead when a loop).
    fn push_edge(&mut self, a: NodeId, b: NodeId, w: Cost, path: Vec<EdgeId>) {
        let id = self.ends.len() as u32;
        self.ends.push((a, b));
        self.weight.push(w);
        self.alive.push(a != b);
        self.paths.push(path);
        if a != b {
            self.inc[a as usize].push(id);
            self.inc[b as usize].push(id);
        }
    }

    /// [`Work::new`] on `g` renumbered in breadth-first order (each component from its
    /// smallest node), edges sorted by their new endpoints, so that neighbours sit close in
    /// memory. Also returns the input node behind each node.
    fn new_ordered(g: &Graph) -> (Work, Vec<NodeId>) {
        let n = g.num_nodes();
        let (old_of_new, new_of_old) = breadth_first_numbering(
            n,
            |_| true,
            |v, out| out.extend(g.neighbors(v).map(|x| x.0)),
        );
        let mut order: Vec<(NodeId, NodeId, EdgeId)> = g
            .edges()
            .iter()
            .enumerate()
            .map(|(e, &(u, v, _))| {
                let (a, b) = (new_of_old[u as usize], new_of_old[v as usize]);
                (a.min(b), a.max(b), e as EdgeId)
            })
            .collect();
        order.sort_unstable();
        let m = order.len();
        let inc = old_of_new
            .iter()
            .map(|&v| Vec::with_capacity(g.degree(v)))
            .collect();
        let mut w = Work::blank(inc, m, m as u32);
        w.orig.reserve(m);
        for &(a, b, e) in &order {
            w.push_edge(a, b, g.weight(e), Vec::new());
            w.orig.push(e);
        }
        for v in 0..n as NodeId {
            w.drop_parallel(v, &mut Vec::new());
        }
        (w, old_of_new)
    }

    /// Takes the input edges of `e` (which must be dead or about to be dropped).
    pub(crate) fn take_path(&mut self, e: u32) -> Vec<EdgeId> {
        let p = std::mem::take(&mut self.paths[e as usize]);
        if p.is_empty() && e < self.lazy_below {
            vec![if self.orig.is_empty() {
                e
            } else {
                self.orig[e as usize]
            }]
        } else {
            p
        }
    }

    /// The live part renumbered compactly in breadth-first order (each component from its
    /// smallest node; nodes without edges kept only when marked in `keep`), edges sorted by
    /// their new endpoints: neighbours get nearby ids, so the searches of the rounds touch
    /// memory mostly in order. Also returns the node of `self` behind each new node.
    /// Only for a graph without contractions.
    fn compact(mut self, keep: &[bool]) -> (Work, Vec<NodeId>) {
        let n = self.inc.len();
        let starts: Vec<bool> = (0..n as NodeId)
            .map(|s| !self.live_inc(s).is_empty() || keep[s as usize])
            .collect();
        let (old_of_new, new_of_old) = breadth_first_numbering(
            n,
            |s| starts[s as usize],
            |v, out| {
                for &f in &self.inc[v as usize] {
                    out.push(self.other(f, v));
                }
            },
        );
        let mut order: Vec<(NodeId, NodeId, u32)> = (0..self.ends.len() as u32)
            .filter(|&e| self.alive[e as usize])
            .map(|e| {
                let (u, v) = self.ends[e as usize];
                let (a, b) = (new_of_old[u as usize], new_of_old[v as usize]);
                (a.min(b), a.max(b), e)
            })
            .collect();
        order.sort_unstable();
        let mut w = Work::blank(vec![Vec::new(); old_of_new.len()], order.len(), 0);
        for &(a, b, e) in &order {
            let path = self.take_path(e);
            w.push_edge(a, b, self.weight[e as usize], path);
        }
        (w, old_of_new)
    }

    pub(crate) fn other(&self, e: u32, v: NodeId) -> NodeId {
        let (a, b) = self.ends[e as usize];
        if a == v {
            b
        } else {
            a
        }
    }
    pub(crate) fn live_inc(&mut self, v: NodeId) -> &Vec<u32> {
        let alive = &self.alive;
        self.inc[v as usize].retain(|&e| alive[e as usize]);
        &self.inc[v as usize]
    }
    pub(crate) fn kill(&mut self, e: u32) {
        if self.alive[e as usize] {
            self.events += 1;
            if self.logging {
                let (a, b) = self.ends[e as usize];
                self.log.push(a);
                self.log.push(b);
            }
        }
        self.alive[e as usize] = false;
    }

    /// Keeps only the cheapest live edge (ties: smaller id) from `v` to each neighbour;
    /// pushes the far ends of killed copies on `touched`. O(deg v).
    fn drop_parallel(&mut self, v: NodeId, touched: &mut Vec<NodeId>) {
        let list = std::mem::take(&mut self.inc[v as usize]);
        for &e in &list {
            if !self.alive[e as usize] {
                continue;
            }
            let u = self.other(e, v);
            let b = self.mark[u as usize];
            if b == u32::MAX || !self.alive[b as usize] {
                self.mark[u as usize] = e;
            } else if (self.weight[e as usize], e) < (self.weight[b as usize], b) {
                self.kill(b);
                self.mark[u as usize] = e;
                touched.push(u);
            } else {
                self.kill(e);
                touched.push(u);
            }
        }
        for &e in &list {
            let u = self.other(e, v);
            self.mark[u as usize] = u32::MAX;
        }
        self.inc[v as usize] = list;
    }

    /// Contracts live edge `e`: its input edges become fixed, the endpoint with fewer
    /// live edges (ties: the larger id) is merged into the other, which is returned.
    /// Loops die, parallel copies are dropped; nodes whose degree fell go on `touched`.
    pub(crate) fn contract(&mut self, e: u32, touched: &mut Vec<NodeId>) -> NodeId {
        let (a, b) = self.ends[e as usize];
        self.kill(e);
        let mut p = self.take_path(e);
        self.fixed.append(&mut p);
        let (da, db) = (self.live_inc(a).len(), self.live_inc(b).len());
        let (keep, gone) = if (da, Reverse(a)) >= (db, Reverse(b)) {
            (a, b)
        } else {
            (b, a)
        };
        let moved = std::mem::take(&mut self.inc[gone as usize]);
        for f in moved {
            if !self.alive[f as usize] {
                continue;
            }
            let (x, y) = self.ends[f as usize];
            let (x, y) = (
                if x == gone { keep } else { x },
                if y == gone { keep } else { y },
            );
            self.ends[f as usize] = (x, y);
            if self.logging {
                self.log.push(x);
                self.log.push(y);
            }
            if x == y {
                self.kill(f);
            } else {
                self.inc[keep as usize].push(f);
            }
        }
        self.rep[gone as usize] = keep;
        self.drop_parallel(keep, touched);
        touched.push(keep);
        keep
    }

    /// Current representative of input node `v` (iterative, with path halving).
    pub(crate) fn find(&mut self, mut v: NodeId) -> NodeId {
        while self.rep[v as usize] != v {
            let up = self.rep[self.rep[v as usize] as usize];
            self.rep[v as usize] = up;
            v = up;
        }
        v
    }

    /// Renumbers the survivors: nodes that are their own representative with a live
    /// edge or marked in `keep`; a merged node maps to its representative's new id.
    fn finish(mut self, keep: &[bool]) -> Reduction {
        let n = self.inc.len();
        let mut new_of_old = vec![NodeId::MAX; n];
        let mut old_of_new = Vec::new();
        for v in 0..n as NodeId {
            if self.rep[v as usize] != v {
                continue;
            }
            let deg = self.live_inc(v).len();
            if deg > 0 || keep[v as usize] {
                new_of_old[v as usize] = old_of_new.len() as NodeId;
                old_of_new.push(v);
            }
        }
        for v in 0..n as NodeId {
            if self.rep[v as usize] != v {
                let r = self.find(v);
                new_of_old[v as usize] = new_of_old[r as usize];
            }
        }
        let mut edges = Vec::new();
        let mut paths = Vec::new();
        for e in 0..self.ends.len() {
            if self.alive[e] {
                let (a, b) = self.ends[e];
                edges.push((
                    new_of_old[a as usize],
                    new_of_old[b as usize],
                    self.weight[e],
                ));
                paths.push(self.take_path(e as u32));
            }
        }
        let mut fixed = self.fixed;
        fixed.sort_unstable();
        Reduction {
            graph: Graph::from_edges(old_of_new.len(), &edges),
            old_of_new,
            new_of_old,
            paths,
            fixed,
        }
    }
}

/// Reduces `g`; nodes marked in `keep` (terminals, prize nodes, the root) are never
/// removed. `least_cost_limit` is the node limit of the least-cost test (0: off).
pub fn reduce(g: &Graph, keep: &[bool], least_cost_limit: usize) -> Reduction {
    reduce_with(g, keep, None, least_cost_limit)
}

/// [`reduce`] for the prize-collecting objective (edge cost plus prizes left out), with
/// one more test: a prize node other than the root hanging on a single edge that costs at
/// least its prize loses that edge. Any tree using it as a leaf does no worse without it,
/// so an optimal tree survives; the node stays, isolated (a one-node tree, unrooted).
/// Not for quota or budget problems, where a prize may be needed whatever it costs.
pub fn reduce_pcst(
    g: &Graph,
    prizes: &[Cost],
    root: Option<NodeId>,
    least_cost_limit: usize,
) -> Reduction {
    let mut keep: Vec<bool> = prizes.iter().map(|&p| p > 0).collect();
    keep.resize(g.num_nodes(), false);
    if let Some(r) = root {
        keep[r as usize] = true;
    }
    reduce_with(g, &keep, Some((prizes, root)), least_cost_limit)
}

fn reduce_with(
    g: &Graph,
    keep: &[bool],
    prize_leaves: Option<(&[Cost], Option<NodeId>)>,
    least_cost_limit: usize,
) -> Reduction {
    let n = g.num_nodes();
    let mut w = Work::new(g);
    let mut queue: Vec<NodeId> = (0..n as NodeId).rev().collect();
    degree_tests(&mut w, keep, prize_leaves, &mut queue);
    if least_cost_limit > 0 {
        let removed = least_cost(&mut w, least_cost_limit);
        let mut queue: Vec<NodeId> = removed;
        queue.sort_unstable_by(|a, b| b.cmp(a));
        queue.dedup();
        degree_tests(&mut w, keep, prize_leaves, &mut queue);
    }
    w.finish(keep)
}

/// Degree-1 and degree-2 tests from a work stack of nodes (popped from the end); with
/// `prize_leaves`, also the prize-leaf test of [`reduce_pcst`].
fn degree_tests(
    w: &mut Work,
    keep: &[bool],
    prize_leaves: Option<(&[Cost], Option<NodeId>)>,
    queue: &mut Vec<NodeId>,
) {
    while let Some(v) = queue.pop() {
        if !keep[v as usize] {
            degree_step(w, v, queue);
        } else if let Some((prizes, root)) = prize_leaves {
            if Some(v) == root {
                continue;
            }
            let live = w.live_inc(v);
            if live.len() == 1 {
                let e = live[0];
                if prizes[v as usize] <= w.weight[e as usize] {
                    w.kill(e);
                    queue.push(w.other(e, v));
                }
            }
        }
    }
}

/// The degree-1 and degree-2 tests at a node that need not be in the tree.
fn degree_step(w: &mut Work, v: NodeId, queue: &mut Vec<NodeId>) {
    let live = w.live_inc(v);
    let inc = [
        live.first().copied().unwrap_or(0),
        live.get(1).copied().unwrap_or(0),
    ];
    match live.len() {
        1 => {
            let e = inc[0];
            w.kill(e);
            queue.push(w.other(e, v));
        }
        2 => {
            let (e1, e2) = (inc[0], inc[1]);
            let a = w.other(e1, v);
            let b = w.other(e2, v);
            w.kill(e1);
            w.kill(e2);
            if a == b {
                queue.push(a);
                return;
            }
            let c = w.weight[e1 as usize] + w.weight[e2 as usize];
            // An existing a-b edge no dearer makes the new one useless.
            let (sa, sb) = (w.live_inc(a).len(), w.live_inc(b).len());
            let (x, y) = if sa <= sb { (a, b) } else { (b, a) };
            let existing = w.inc[x as usize]
                .iter()
                .copied()
                .find(|&f| w.other(f, x) == y);
            if let Some(f) = existing {
                if w.weight[f as usize] <= c {
                    queue.push(a);
                    queue.push(b);
                    return;
                }
                w.kill(f);
            }
            let mut path = w.take_path(e1);
            path.append(&mut w.take_path(e2));
            let id = w.ends.len() as u32;
            w.ends.push((a, b));
            w.weight.push(c);
            w.alive.push(true);
            w.paths.push(path);
            w.inc[a as usize].push(id);
            w.inc[b as usize].push(id);
            queue.push(a);
            queue.push(b);
        }
        _ => {}
    }
}

/// Most rounds of [`reduce_steiner`]; later rounds rarely find much.
const MAX_ROUNDS: usize = 12;

/// Reduces a Steiner tree instance (`terminals_mask` marks the terminals; no prizes): the
/// degree tests of [`reduce`] first, then rounds of the Steiner-only tests on the compacted
/// result, each followed by the degree tests again:
/// - degree 1 at a terminal: its only edge is in every tree; contracted;
/// - special distance (SD) and nearest vertex (NV), from terminal Voronoi regions (see
///   [`crate::special_distance`]): SD deletes edges, NV contracts a terminal's cheapest
///   edge (the merged node is a terminal);
/// - the least-cost search with `least_cost_limit` nodes, where a path may rest at
///   terminals (a bounded SD test; after the first round only at edges next to changes);
/// - with one terminal left, every edge goes.
///
/// Rounds stop at a fixpoint, when a round changes at most 0.4 % of the edges, or after
/// twelve rounds. Nodes are numbered in the input's order for [`reduce`]; here in
/// breadth-first order (deterministic, cache-friendly: input ids are often scattered).
///
/// Contracted input edges are in [`Reduction::fixed`]; [`Reduction::expand`] adds them, so
/// an optimal tree of the reduced graph over [`Reduction::terminals`] expands to an optimal
/// tree of the input of the same cost (plus [`Reduction::fixed_cost`]). Not for prize
/// problems: the tests assume every marked node must be spanned. When the terminals are
/// not all connected (or there are none), this is [`reduce`] with `terminals_mask` kept.
///
/// # Complexity
/// O(m log n) per round plus the least-cost test's O(m L log L).
pub fn reduce_steiner(g: &Graph, terminals_mask: &[bool], least_cost_limit: usize) -> Reduction {
    reduce_steiner_with_stats(g, terminals_mask, least_cost_limit).0
}

/// How often each test of [`reduce_steiner`] fired.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SteinerStats {
    /// Rounds run (each: regions, SD, NV, degree tests, least cost).
    pub rounds: usize,
    /// Edges deleted by the SD test (those no terminal reaches included).
    pub sd_deleted: usize,
    /// Edges contracted by the NV test.
    pub nv_contracted: usize,
    /// Edges contracted at terminals of degree 1.
    pub leaf_contracted: usize,
    /// Edges deleted by the bounded least-cost test.
    pub least_cost_deleted: usize,
}

/// [`reduce_steiner`] with the number of times each test fired.
pub fn reduce_steiner_with_stats(
    g: &Graph,
    terminals_mask: &[bool],
    least_cost_limit: usize,
) -> (Reduction, SteinerStats) {
    let n = g.num_nodes();
    let mut stats = SteinerStats::default();
    let terms: Vec<NodeId> = (0..n as NodeId)
        .filter(|&v| terminals_mask[v as usize])
        .collect();
    if terms.is_empty() || !all_connected(g, &terms) {
        return (reduce(g, terminals_mask, least_cost_limit), stats);
    }
    let trace = std::env::var_os("FIBERPLAN_STEINER_TRACE").is_some();
    let clock = std::time::Instant::now();
    // Stage 1: the cheap degree tests on the input; stage 2 runs the rounds on the much
    // smaller result, renumbered compactly.
    let (mut w, order) = Work::new_ordered(g);
    let mask: Vec<bool> = order.iter().map(|&v| terminals_mask[v as usize]).collect();
    let mut queue: Vec<NodeId> = (0..n as NodeId).rev().collect();
    degree_tests(&mut w, &mask, None, &mut queue);
    let (mut w, mut ids) = w.compact(&mask);
    for v in ids.iter_mut() {
        *v = order[*v as usize];
    }
    if trace {
        eprintln!(
            "reduce_steiner: degree tests n {} m {} at {:.3}s",
            ids.len(),
            w.ends.len(),
            clock.elapsed().as_secs_f64()
        );
    }
    let n0 = n;
    let n = ids.len();
    let mut term: Vec<bool> = ids.iter().map(|&v| terminals_mask[v as usize]).collect();
    let mut nterm = terms.len();
    let mut queue: Vec<NodeId> = (0..n as NodeId).rev().collect();
    stats.leaf_contracted += steiner_degree_tests(&mut w, &mut term, &mut nterm, &mut queue);
    w.logging = true;
    // Nodes whose edges changed since the last search (all at first).
    let mut changed = vec![true; n];
    for _ in 0..MAX_ROUNDS {
        if nterm < 2 {
            break;
        }
        let before = w.events;
        stats.rounds += 1;
        for v in 0..w.inc.len() as NodeId {
            w.live_inc(v);
        }
        let t_start = clock.elapsed().as_secs_f64();
        let regions = TerminalRegions::compute(&w, &term);
        let t_regions = clock.elapsed().as_secs_f64();
        let mut touched = sd_test(&mut w, &regions);
        stats.sd_deleted += touched.len() / 2;
        let (more, contracted) = nv_test(&mut w, &regions, &mut term, &mut nterm);
        stats.nv_contracted += contracted;
        touched.extend(more);
        drop(regions);
        requeue(&mut queue, touched);
        stats.leaf_contracted += steiner_degree_tests(&mut w, &mut term, &mut nterm, &mut queue);
        let t_tests = clock.elapsed().as_secs_f64();
        if least_cost_limit > 0 && nterm >= 2 {
            for v in w.log.drain(..) {
                changed[v as usize] = true;
            }
            let removed = sd_search(&mut w, &term, least_cost_limit, Some(&changed));
            changed.iter_mut().for_each(|c| *c = false);
            stats.least_cost_deleted += removed.len() / 2;
            requeue(&mut queue, removed);
            stats.leaf_contracted +=
                steiner_degree_tests(&mut w, &mut term, &mut nterm, &mut queue);
        }
        if trace {
            let t_end = clock.elapsed().as_secs_f64();
            eprintln!(
                "reduce_steiner: round {} events {} regions {:.3}s tests {:.3}s search {:.3}s",
                stats.rounds,
                w.events - before,
                t_regions - t_start,
                t_tests - t_regions,
                t_end - t_tests
            );
        }
        // A fixpoint, or a round that changed at most 0.4 % of the edges: the next
        // would cost as much for even less.
        let live = w.alive.iter().filter(|&&a| a).count() as u64;
        if w.events - before <= live / 250 {
            break;
        }
    }
    if nterm < 2 {
        for e in 0..w.alive.len() as u32 {
            w.kill(e);
        }
    }
    let mut red = w.finish(&term);
    // Back from the compact ids to the input's.
    for v in red.old_of_new.iter_mut() {
        *v = ids[*v as usize];
    }
    let mut new_of_old = vec![NodeId::MAX; n0];
    for (i, &v) in ids.iter().enumerate() {
        new_of_old[v as usize] = red.new_of_old[i];
    }
    red.new_of_old = new_of_old;
    if trace {
        eprintln!(
            "reduce_steiner: n {} m {} fixed {} at {:.3}s",
            red.graph.num_nodes(),
            red.graph.num_edges(),
            red.fixed.len(),
            clock.elapsed().as_secs_f64()
        );
    }
    (red, stats)
}

/// Replaces the work stack by `nodes`, so that they pop in increasing id order.
fn requeue(queue: &mut Vec<NodeId>, mut nodes: Vec<NodeId>) {
    nodes.sort_unstable_by(|a, b| b.cmp(a));
    nodes.dedup();
    *queue = nodes;
}

/// Whether every node of `terms` is reachable from the first (explicit stack, no recursion).
fn all_connected(g: &Graph, terms: &[NodeId]) -> bool {
    let mut seen = vec![false; g.num_nodes()];
    let mut stack = vec![terms[0]];
    seen[terms[0] as usize] = true;
    while let Some(v) = stack.pop() {
        for (u, _) in g.neighbors(v) {
            if !std::mem::replace(&mut seen[u as usize], true) {
                stack.push(u);
            }
        }
    }
    terms.iter().all(|&t| seen[t as usize])
}

/// [`degree_step`] at non-terminals; at a terminal with one edge (while two or more
/// terminals remain), that edge joins every tree and is contracted. Returns the number of
/// contractions.
fn steiner_degree_tests(
    w: &mut Work,
    term: &mut [bool],
    nterm: &mut usize,
    queue: &mut Vec<NodeId>,
) -> usize {
    let mut touched = Vec::new();
    let mut contracted = 0;
    while let Some(v) = queue.pop() {
        if w.rep[v as usize] != v {
            continue;
        }
        if !term[v as usize] {
            degree_step(w, v, queue);
            continue;
        }
        if *nterm < 2 || w.live_inc(v).len() != 1 {
            continue;
        }
        let e = w.inc[v as usize][0];
        let u = w.other(e, v);
        if term[u as usize] {
            *nterm -= 1;
        }
        term[v as usize] = false;
        term[u as usize] = false;
        let keep = w.contract(e, &mut touched);
        term[keep as usize] = true;
        queue.append(&mut touched);
        contracted += 1;
    }
    contracted
}

/// Breadth-first numbering of nodes `0..n`: each component from its smallest node that
/// `start` accepts, `neighbours(v, out)` pushing `v`'s neighbours (repeats are fine).
/// Returns the old node of each new one and the new id of each old one (`NodeId::MAX`
/// when not reached).
fn breadth_first_numbering(
    n: usize,
    start: impl Fn(NodeId) -> bool,
    mut neighbours: impl FnMut(NodeId, &mut Vec<NodeId>),
) -> (Vec<NodeId>, Vec<NodeId>) {
    let mut new_of_old = vec![NodeId::MAX; n];
    let mut old_of_new: Vec<NodeId> = Vec::with_capacity(n);
    let mut next = Vec::new();
    for s in 0..n as NodeId {
        if new_of_old[s as usize] != NodeId::MAX || !start(s) {
            continue;
        }
        new_of_old[s as usize] = old_of_new.len() as NodeId;
        let mut head = old_of_new.len();
        old_of_new.push(s);
        while head < old_of_new.len() {
            let v = old_of_new[head];
            head += 1;
            next.clear();
            neighbours(v, &mut next);
            for &u in &next {
                if new_of_old[u as usize] == NodeId::MAX {
                    new_of_old[u as usize] = old_of_new.len() as NodeId;
                    old_of_new.push(u);
                }
            }
        }
    }
    (old_of_new, new_of_old)
}

/// Bounded least-cost test; returns the endpoints of removed edges. It is the search of
/// the special-distance test with no terminals to rest at (so it is valid for prize
/// problems too: the alternative path only gains nodes).
fn least_cost(w: &mut Work, limit: usize) -> Vec<NodeId> {
    let no_terminals = vec![false; w.inc.len()];
    sd_search(w, &no_terminals, limit, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prize_leaf_worth_less_than_its_edge_is_cut_off() {
        // root 0 - 1 (edge 5) with prize 3 at 1, root 0 - 2 (edge 5) with prize 6 at 2
        let g = Graph::from_edges(3, &[(0, 1, 5), (0, 2, 5)]);
        let r = reduce_pcst(&g, &[0, 3, 6], Some(0), 16);
        assert_eq!(r.graph.num_nodes(), 3, "prize nodes stay");
        assert_eq!(r.graph.num_edges(), 1);
        assert_eq!(r.paths, vec![vec![1]]);
        // a tie (prize = edge) also goes; the root is never cut off
        let r = reduce_pcst(&g, &[9, 5, 6], Some(1), 16);
        assert_eq!(
            r.graph.num_edges(),
            2,
            "node 1 is the root; node 0 is not a leaf"
        );
        let r = reduce_pcst(&g, &[0, 5, 6], Some(0), 16);
        assert_eq!(r.paths, vec![vec![1]]);
    }

    #[test]
    fn chains_collapse_and_expand_back() {
        // 0 - 1 - 2 - 3 with terminal ends, a pendant 4 at 1, a parallel 0-1 copy,
        // and a long edge 0-3 that the path beats.
        let g = Graph::from_edges(
            5,
            &[
                (0, 1, 2),
                (1, 2, 3),
                (2, 3, 4),
                (1, 4, 1),
                (0, 1, 5),
                (0, 3, 10),
            ],
        );
        let mut keep = vec![false; 5];
        keep[0] = true;
        keep[3] = true;
        let r = reduce(&g, &keep, 8);
        assert_eq!(r.graph.num_nodes(), 2);
        assert_eq!(r.graph.num_edges(), 1);
        assert_eq!(r.graph.edge(0).2, 9);
        assert_eq!(r.expand(&[0]), vec![0, 1, 2]);
        assert_eq!(r.map_node(3), Some(1));
        assert_eq!(r.map_node(4), None);
    }
}
