//! Steiner-vertex insertion (Minoux 1990) and elimination.
//!
//! Insertion: a node outside the tree that touches at least two tree nodes is added. The
//! tree is the minimum spanning tree of its node set, so by the cycle property the MST of
//! the enlarged set uses only tree edges and the new node's edges. Only the tree paths
//! between the nodes it touches can change (each loses at most its heaviest edge), so the
//! MST is found on their virtual tree with LCA and path-maximum queries by binary lifting:
//! O(k log t) for k touched nodes of a tree on t nodes, where a Kruskal merge of the
//! presorted tree edges with the new node's edges is O(t) (kept for trees that are not
//! pruned, and as the tests' oracle). Then non-terminal leaves are pruned, and the result
//! replaces the tree when it is cheaper. The work budget still counts t + deg(v) per
//! candidate, as the merge did, so the search stops where it always stopped.
//!
//! Elimination: a Steiner node of tree degree at least three is removed and the MST of
//! the remaining nodes (over all their graph edges) recomputed; kept when connected and
//! cheaper.
//!
//! Candidates are tried in id order; rounds repeat until one improves nothing (a
//! fixpoint) or the work budget, counted in scanned edges, runs out.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::tree::{mst_on_nodes, prune_leaves, tree_cost, tree_nodes, UnionFind};

/// Improves `edges` (a pruned tree that is the MST of its nodes) by vertex insertion and
/// elimination until a fixpoint or `work_budget` scanned edges. Returns the new tree
/// (sorted) and its cost.
pub fn vertex_insertion(
    g: &Graph,
    edges: &[EdgeId],
    keep: &[bool],
    work_budget: u64,
) -> (Vec<EdgeId>, Cost) {
    let n = g.num_nodes();
    let mut tree = edges.to_vec();
    tree.sort_unstable();
    let mut cost = tree_cost(g, &tree);
    if tree.is_empty() {
        return (tree, cost);
    }
    let mut work = 0u64;
    let mut pos = vec![u32::MAX; n];
    let mut improved = true;
    while improved && work < work_budget {
        improved = false;
        // Insertion candidates of this round (from the tree at the round's start).
        let nodes = tree_nodes(g, &tree);
        for (i, &u) in nodes.iter().enumerate() {
            pos[u as usize] = i as u32;
        }
        let mut cands: Vec<NodeId> = Vec::new();
        for &u in &nodes {
            for (v, _) in g.neighbors(u) {
                if pos[v as usize] == u32::MAX {
                    cands.push(v);
                }
            }
        }
        for &u in &nodes {
            pos[u as usize] = u32::MAX;
        }
        cands.sort_unstable();
        cands.dedup();
        let mut state = Insertion::new(g, &tree, keep, &mut pos);
        for v in cands {
            if work >= work_budget {
                break;
            }
            work += (state.sorted.len() + g.degree(v)) as u64;
            if let Some((t, c)) = state.try_insert(g, v, keep, &pos, cost) {
                state.clear(&mut pos);
                tree = t;
                cost = c;
                improved = true;
                state = Insertion::new(g, &tree, keep, &mut pos);
            }
        }
        state.clear(&mut pos);
        // Elimination of Steiner nodes of degree >= 3.
        let nodes = tree_nodes(g, &tree);
        let mut deg = vec![0u32; nodes.len()];
        for &e in &tree {
            let (a, b, _) = g.edge(e);
            deg[nodes.binary_search(&a).unwrap_or(0)] += 1;
            deg[nodes.binary_search(&b).unwrap_or(0)] += 1;
        }
        let elim: Vec<NodeId> = nodes
            .iter()
            .zip(&deg)
            .filter(|(&u, &d)| d >= 3 && !keep[u as usize])
            .map(|(&u, _)| u)
            .collect();
        let mut in_set = vec![false; n];
        for u in elim {
            if work >= work_budget {
                break;
            }
            let cur = tree_nodes(g, &tree);
            if cur.binary_search(&u).is_err() {
                continue;
            }
            let set: Vec<NodeId> = cur.into_iter().filter(|&x| x != u).collect();
            for &x in &set {
                in_set[x as usize] = true;
            }
            let mst = mst_on_nodes(g, &set, &in_set);
            work += set.iter().map(|&x| g.degree(x) as u64).sum::<u64>();
            for &x in &set {
                in_set[x as usize] = false;
            }
            if mst.len() + 1 != set.len() {
                continue;
            }
            let t = prune_leaves(g, &mst, keep);
            let c = tree_cost(g, &t);
            if c < cost {
                tree = t;
                cost = c;
                improved = true;
            }
        }
    }
    (tree, cost)
}

/// The tree prepared for insertions: local indices, edges sorted by weight, and what each
/// candidate reuses. A candidate `v` touches the tree at a few nodes; the MST of the tree
/// plus `v` differs from the tree only on the paths between those nodes, so it is found on
/// the virtual tree of the touched nodes (LCAs by binary lifting, each path by its heaviest
/// edge): O(k log t) for k touched nodes instead of a Kruskal merge over the t tree edges.
/// Trees that are not a single tree with only kept leaves (the caller's first tree may not
/// be pruned) take the merge ([`Insertion::try_insert_kruskal`]); both give the same tree.
struct Insertion {
    nodes: Vec<NodeId>,
    sorted: Vec<(Cost, EdgeId)>,
    /// Cost of the tree.
    base: Cost,
    star: Vec<(Cost, EdgeId)>,
    /// The path-maximum structure, `None` when the merge must be used.
    paths: Option<PathMax>,
    // Scratch of the merge.
    uf: UnionFind,
    out: Vec<EdgeId>,
    deg: Vec<u32>,
    first: Vec<u32>,
    next: Vec<u32>,
    ends: Vec<u32>,
    gone: Vec<bool>,
    stack: Vec<u32>,
}

/// The tree rooted at local node 0: binary lifting tables of ancestors and of the heaviest
/// edge (its rank in `sorted`, plus one; 0 for none) on the 2^j edges above a node, DFS
/// entry times, the tree's adjacency by rank, and epoch-stamped scratch for the candidates.
struct PathMax {
    levels: usize,
    depth: Vec<u32>,
    tin: Vec<u32>,
    /// `up[j * t + x]`: the 2^j-th ancestor of x (the root's is the root).
    up: Vec<u32>,
    /// `top[j * t + x]`: the heaviest edge's rank + 1 on those 2^j edges.
    top: Vec<u32>,
    /// Local endpoints of each tree edge, by rank.
    ends: Vec<(u32, u32)>,
    adj_off: Vec<u32>,
    /// (neighbour, rank) by local node.
    adj: Vec<(u32, u32)>,
    /// Tree degree by local node (the candidate's slot t holds 0).
    deg: Vec<u32>,
    epoch: u32,
    /// Degree overlay of the current candidate: valid where `dstamp == epoch`.
    dstamp: Vec<u32>,
    dval: Vec<u32>,
    /// Tree edges (by rank) dropped by the current candidate: `gone == epoch`.
    gone: Vec<u32>,
    /// Index into the virtual tree of a touched node: valid where `kstamp == epoch`.
    kstamp: Vec<u32>,
    kidx: Vec<u32>,
    virt: Vec<u32>,
    items: Vec<Item>,
    uf: Vec<u32>,
    /// Accepted star edges: (weight, edge, local end, pruned).
    added: Vec<(Cost, EdgeId, u32, bool)>,
    removed: Vec<u32>,
    stack: Vec<u32>,
}

/// An edge of the compressed graph: a star edge, or a virtual-tree edge standing for its
/// path's heaviest tree edge. Ordered by the key (weight, edge id) of the edge it stands for.
#[derive(Clone, Copy)]
struct Item {
    key: (Cost, EdgeId),
    /// Compressed endpoints (indices into `virt`; the candidate is `virt.len()`).
    a: u32,
    b: u32,
    /// Rank of the tree edge, or `u32::MAX` for a star edge.
    rank: u32,
}

impl Insertion {
    fn new(g: &Graph, tree: &[EdgeId], keep: &[bool], pos: &mut [u32]) -> Self {
        let nodes = tree_nodes(g, tree);
        for (i, &u) in nodes.iter().enumerate() {
            pos[u as usize] = i as u32;
        }
        let mut sorted: Vec<(Cost, EdgeId)> = tree.iter().map(|&e| (g.weight(e), e)).collect();
        sorted.sort_unstable();
        let t = nodes.len();
        let base = sorted.iter().map(|&(w, _)| w).sum();
        let paths = PathMax::new(g, &nodes, &sorted, keep, pos);
        Insertion {
            nodes,
            sorted,
            base,
            star: Vec::new(),
            paths,
            uf: UnionFind::new(t + 1),
            out: Vec::with_capacity(t),
            deg: vec![0; t + 1],
            first: vec![u32::MAX; t + 1],
            next: Vec::with_capacity(2 * t),
            ends: Vec::with_capacity(2 * t),
            gone: Vec::with_capacity(t),
            stack: Vec::new(),
        }
    }

    fn clear(&self, pos: &mut [u32]) {
        for &u in &self.nodes {
            pos[u as usize] = u32::MAX;
        }
    }

    /// MST of tree + `v`, pruned, when it costs less than `below`; `None` when it does not
    /// or `v` touches fewer than two tree nodes. The MST is the unique one of the order
    /// (weight, edge id).
    fn try_insert(
        &mut self,
        g: &Graph,
        v: NodeId,
        keep: &[bool],
        pos: &[u32],
        below: Cost,
    ) -> Option<(Vec<EdgeId>, Cost)> {
        self.star.clear();
        self.star.extend(
            g.neighbors(v)
                .filter(|&(u, _)| pos[u as usize] != u32::MAX)
                .map(|(_, e)| (g.weight(e), e)),
        );
        if self.star.len() < 2 {
            return None;
        }
        self.star.sort_unstable();
        match &mut self.paths {
            Some(p) => p.try_insert(
                g,
                v,
                &self.star,
                &self.sorted,
                &self.nodes,
                self.base,
                keep,
                pos,
                below,
            ),
            None => self.try_insert_kruskal(g, v, keep, pos, below),
        }
    }

    /// [`Insertion::try_insert`] by a Kruskal merge of the sorted tree edges with `v`'s
    /// edges (`self.star`, sorted), stopped once the t + 1 nodes are joined, then pruning of
    /// non-terminal leaves on local indices: O(t).
    fn try_insert_kruskal(
        &mut self,
        g: &Graph,
        v: NodeId,
        keep: &[bool],
        pos: &[u32],
        below: Cost,
    ) -> Option<(Vec<EdgeId>, Cost)> {
        let t = self.nodes.len();
        let vi = t as u32;
        let local = |x: NodeId| if x == v { vi } else { pos[x as usize] };
        self.uf.reset();
        self.out.clear();
        let (sorted, star) = (&self.sorted, &self.star);
        let (mut i, mut j) = (0, 0);
        while (i < sorted.len() || j < star.len()) && self.out.len() < t {
            let take_star = j < star.len() && (i >= sorted.len() || star[j] < sorted[i]);
            let (_, e) = if take_star { star[j] } else { sorted[i] };
            if take_star {
                j += 1;
            } else {
                i += 1;
            }
            let (a, b, _) = g.edge(e);
            if self.uf.union(local(a), local(b)) {
                self.out.push(e);
            }
        }
        // Prune non-terminal leaves on local indices, O(t).
        let m = self.out.len();
        self.deg.clear();
        self.deg.resize(t + 1, 0);
        self.first.clear();
        self.first.resize(t + 1, u32::MAX);
        self.next.clear();
        self.next.resize(2 * m, u32::MAX);
        self.ends.clear();
        self.ends.resize(2 * m, 0);
        let (deg, first, next, ends) = (
            &mut self.deg,
            &mut self.first,
            &mut self.next,
            &mut self.ends,
        );
        for (k, &e) in self.out.iter().enumerate() {
            let (a, b, _) = g.edge(e);
            let (la, lb) = (local(a), local(b));
            deg[la as usize] += 1;
            deg[lb as usize] += 1;
            ends[2 * k] = lb;
            next[2 * k] = first[la as usize];
            first[la as usize] = 2 * k as u32;
            ends[2 * k + 1] = la;
            next[2 * k + 1] = first[lb as usize];
            first[lb as usize] = 2 * k as u32 + 1;
        }
        let nodes = &self.nodes;
        let node_of = |l: u32| if l == vi { v } else { nodes[l as usize] };
        self.gone.clear();
        self.gone.resize(m, false);
        let gone = &mut self.gone;
        let stack = &mut self.stack;
        stack.clear();
        stack
            .extend((0..=t as u32).filter(|&l| deg[l as usize] == 1 && !keep[node_of(l) as usize]));
        while let Some(l) = stack.pop() {
            if deg[l as usize] != 1 {
                continue;
            }
            let mut h = first[l as usize];
            while h != u32::MAX {
                let k = (h / 2) as usize;
                if !gone[k] {
                    gone[k] = true;
                    deg[l as usize] -= 1;
                    let o = ends[h as usize];
                    deg[o as usize] -= 1;
                    if deg[o as usize] == 1 && !keep[node_of(o) as usize] {
                        stack.push(o);
                    }
                    break;
                }
                h = next[h as usize];
            }
        }
        let c: Cost = self
            .out
            .iter()
            .zip(gone.iter())
            .filter(|(_, &x)| !x)
            .map(|(&e, _)| g.weight(e))
            .sum();
        if c >= below {
            return None;
        }
        let mut pruned: Vec<EdgeId> = self
            .out
            .iter()
            .zip(gone.iter())
            .filter(|(_, &x)| !x)
            .map(|(&e, _)| e)
            .collect();
        pruned.sort_unstable();
        Some((pruned, c))
    }
}

impl PathMax {
    /// The structure of the tree `sorted` on `nodes` (local index `pos`), or `None` when it
    /// is not a single tree whose leaves are all kept: the one shape whose pruned MST with
    /// a new node differs from it only around the new node's paths.
    fn new(
        g: &Graph,
        nodes: &[NodeId],
        sorted: &[(Cost, EdgeId)],
        keep: &[bool],
        pos: &[u32],
    ) -> Option<Self> {
        let t = nodes.len();
        if t < 2 || sorted.len() + 1 != t {
            return None;
        }
        let ends: Vec<(u32, u32)> = sorted
            .iter()
            .map(|&(_, e)| {
                let (a, b, _) = g.edge(e);
                (pos[a as usize], pos[b as usize])
            })
            .collect();
        let mut deg = vec![0u32; t + 1];
        for &(a, b) in &ends {
            deg[a as usize] += 1;
            deg[b as usize] += 1;
        }
        if (0..t).any(|l| deg[l] == 1 && !keep[nodes[l] as usize]) {
            return None;
        }
        let mut adj_off = vec![0u32; t + 1];
        for l in 0..t {
            adj_off[l + 1] = adj_off[l] + deg[l];
        }
        let mut fill = adj_off.clone();
        let mut adj = vec![(0u32, 0u32); 2 * ends.len()];
        for (r, &(a, b)) in ends.iter().enumerate() {
            adj[fill[a as usize] as usize] = (b, r as u32);
            fill[a as usize] += 1;
            adj[fill[b as usize] as usize] = (a, r as u32);
            fill[b as usize] += 1;
        }
        // DFS from local 0: parents, the rank of the edge above, depths, entry times.
        let levels = (usize::BITS - t.leading_zeros()) as usize;
        let mut up = vec![0u32; levels * t];
        let mut top = vec![0u32; levels * t];
        let mut depth = vec![0u32; t];
        let mut tin = vec![u32::MAX; t];
        let mut stack = vec![0u32];
        let mut clock = 0u32;
        while let Some(x) = stack.pop() {
            tin[x as usize] = clock;
            clock += 1;
            let xs = x as usize;
            for &(y, r) in &adj[adj_off[xs] as usize..adj_off[xs + 1] as usize] {
                if y != 0 && tin[y as usize] == u32::MAX {
                    up[y as usize] = x;
                    top[y as usize] = r + 1;
                    depth[y as usize] = depth[xs] + 1;
                    // Marks y as reached; its entry time is set when it is taken.
                    tin[y as usize] = u32::MAX - 1;
                    stack.push(y);
                }
            }
        }
        if clock as usize != t {
            return None;
        }
        for j in 1..levels {
            let (lo, hi) = up.split_at_mut(j * t);
            let (prev_up, cur_up) = (&lo[(j - 1) * t..], &mut hi[..t]);
            for x in 0..t {
                cur_up[x] = prev_up[prev_up[x] as usize];
            }
            let (lo, hi) = top.split_at_mut(j * t);
            let (prev_top, cur_top) = (&lo[(j - 1) * t..], &mut hi[..t]);
            for x in 0..t {
                cur_top[x] = prev_top[x].max(prev_top[prev_up[x] as usize]);
            }
        }
        Some(PathMax {
            levels,
            depth,
            tin,
            up,
            top,
            ends,
            adj_off,
            adj,
            deg,
            epoch: 0,
            dstamp: vec![0; t + 1],
            dval: vec![0; t + 1],
            gone: vec![0; t - 1],
            kstamp: vec![0; t],
            kidx: vec![0; t],
            virt: Vec::new(),
            items: Vec::new(),
            uf: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
            stack: Vec::new(),
        })
    }

    fn t(&self) -> usize {
        self.depth.len()
    }

    /// Lowest common ancestor of local nodes `a` and `b`.
    fn lca(&self, mut a: u32, mut b: u32) -> u32 {
        let t = self.t();
        if self.depth[a as usize] < self.depth[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        let mut d = self.depth[a as usize] - self.depth[b as usize];
        let mut j = 0;
        while d > 0 {
            if d & 1 == 1 {
                a = self.up[j * t + a as usize];
            }
            d >>= 1;
            j += 1;
        }
        if a == b {
            return a;
        }
        for j in (0..self.levels).rev() {
            let (pa, pb) = (self.up[j * t + a as usize], self.up[j * t + b as usize]);
            if pa != pb {
                a = pa;
                b = pb;
            }
        }
        self.up[a as usize]
    }

    /// Rank + 1 of the heaviest edge on the `d` edges above local node `x`.
    fn max_up(&self, mut x: u32, mut d: u32) -> u32 {
        let t = self.t();
        let (mut m, mut j) = (0, 0);
        while d > 0 {
            if d & 1 == 1 {
                m = m.max(self.top[j * t + x as usize]);
                x = self.up[j * t + x as usize];
            }
            d >>= 1;
            j += 1;
        }
        m
    }

    fn degree(&self, x: u32) -> u32 {
        if self.dstamp[x as usize] == self.epoch {
            self.dval[x as usize]
        } else {
            self.deg[x as usize]
        }
    }

    fn set_degree(&mut self, x: u32, d: u32) {
        self.dstamp[x as usize] = self.epoch;
        self.dval[x as usize] = d;
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.uf[x as usize] != x {
            let p = self.uf[x as usize];
            self.uf[x as usize] = self.uf[p as usize];
            x = p;
        }
        x
    }

    /// [`Insertion::try_insert`] for `v` with its edges to the tree `star` (sorted).
    ///
    /// The MST of tree + star keeps every tree edge off the paths between the touched
    /// nodes (no cycle passes it) and every edge of such a path but its heaviest (any cycle
    /// through one edge of the path runs the whole path). So Kruskal on the virtual tree of
    /// the touched nodes, each virtual edge weighted as its path's heaviest edge, plus the
    /// star, decides everything: the rejected virtual edges are the tree edges to drop, the
    /// accepted star edges the ones to add. The tree's leaves are all kept, so only `v` and
    /// the ends of dropped edges can become prunable leaves; pruning walks from them.
    #[allow(clippy::too_many_arguments)]
    fn try_insert(
        &mut self,
        g: &Graph,
        v: NodeId,
        star: &[(Cost, EdgeId)],
        sorted: &[(Cost, EdgeId)],
        nodes: &[NodeId],
        base: Cost,
        keep: &[bool],
        pos: &[u32],
        below: Cost,
    ) -> Option<(Vec<EdgeId>, Cost)> {
        if self.epoch == u32::MAX {
            self.dstamp.fill(0);
            self.gone.fill(0);
            self.kstamp.fill(0);
            self.epoch = 0;
        }
        self.epoch += 1;
        let epoch = self.epoch;
        let t = self.t() as u32;
        let vi = t;
        let local = |e: EdgeId| pos[g.other(e, v) as usize];
        // The virtual tree: touched nodes and the LCAs of neighbours in DFS order.
        let mut virt = std::mem::take(&mut self.virt);
        virt.clear();
        for &(_, e) in star {
            let u = local(e);
            if self.kstamp[u as usize] != epoch {
                self.kstamp[u as usize] = epoch;
                virt.push(u);
            }
        }
        virt.sort_unstable_by_key(|&x| self.tin[x as usize]);
        let touched = virt.len();
        for i in 1..touched {
            let l = self.lca(virt[i - 1], virt[i]);
            if self.kstamp[l as usize] != epoch {
                self.kstamp[l as usize] = epoch;
                virt.push(l);
            }
        }
        if virt.len() > touched {
            virt.sort_unstable_by_key(|&x| self.tin[x as usize]);
        }
        for (i, &x) in virt.iter().enumerate() {
            self.kidx[x as usize] = i as u32;
        }
        let mut items = std::mem::take(&mut self.items);
        items.clear();
        for i in 1..virt.len() {
            // In DFS order, the virtual parent of a node is its LCA with the one before.
            let x = virt[i];
            let p = self.lca(virt[i - 1], x);
            let d = self.depth[x as usize] - self.depth[p as usize];
            let rank = self.max_up(x, d) - 1;
            items.push(Item {
                key: sorted[rank as usize],
                a: i as u32,
                b: self.kidx[p as usize],
                rank,
            });
        }
        let vc = virt.len() as u32;
        for &(w, e) in star {
            items.push(Item {
                key: (w, e),
                a: vc,
                b: self.kidx[local(e) as usize],
                rank: u32::MAX,
            });
        }
        items.sort_unstable_by_key(|it| it.key);
        self.uf.clear();
        self.uf.extend(0..=vc);
        self.added.clear();
        self.removed.clear();
        for it in &items {
            let (ra, rb) = (self.find(it.a), self.find(it.b));
            let joined = ra != rb;
            if joined {
                self.uf[ra as usize] = rb;
            }
            match (joined, it.rank) {
                (true, u32::MAX) => {
                    self.added
                        .push((it.key.0, it.key.1, virt[it.b as usize], false))
                }
                (false, r) if r != u32::MAX => self.removed.push(r),
                _ => {}
            }
        }
        self.virt = virt;
        self.items = items;

        // The new tree's degrees, then pruning from the leaves that may have appeared.
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        let mut c = base;
        for k in 0..self.removed.len() {
            let r = self.removed[k];
            self.gone[r as usize] = epoch;
            c -= sorted[r as usize].0;
            let (a, b) = self.ends[r as usize];
            self.set_degree(a, self.degree(a) - 1);
            self.set_degree(b, self.degree(b) - 1);
            stack.push(a);
            stack.push(b);
        }
        for k in 0..self.added.len() {
            let (w, _, u, _) = self.added[k];
            c += w;
            self.set_degree(u, self.degree(u) + 1);
        }
        self.set_degree(vi, self.added.len() as u32);
        stack.push(vi);
        let node_of = |l: u32| if l == vi { v } else { nodes[l as usize] };
        while let Some(x) = stack.pop() {
            if self.degree(x) != 1 || keep[node_of(x) as usize] {
                continue;
            }
            // Its one edge left: a tree edge not dropped, or an added star edge.
            let mut next = None;
            if x != vi {
                let xs = x as usize;
                for &(y, r) in &self.adj[self.adj_off[xs] as usize..self.adj_off[xs + 1] as usize] {
                    if self.gone[r as usize] != epoch {
                        self.gone[r as usize] = epoch;
                        next = Some((sorted[r as usize].0, y));
                        break;
                    }
                }
            }
            if next.is_none() {
                for a in self.added.iter_mut() {
                    if !a.3 && (x == vi || a.2 == x) {
                        a.3 = true;
                        next = Some((a.0, if x == vi { a.2 } else { vi }));
                        break;
                    }
                }
            }
            let (w, y) = next.expect("a leaf has one edge");
            c -= w;
            self.set_degree(x, 0);
            self.set_degree(y, self.degree(y) - 1);
            if self.degree(y) == 1 && !keep[node_of(y) as usize] {
                stack.push(y);
            }
        }
        self.stack = stack;
        if c >= below {
            return None;
        }
        let mut out: Vec<EdgeId> = sorted
            .iter()
            .enumerate()
            .filter(|&(r, _)| self.gone[r] != epoch)
            .map(|(_, &(_, e))| e)
            .chain(self.added.iter().filter(|a| !a.3).map(|a| a.1))
            .collect();
        out.sort_unstable();
        Some((out, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{is_tree_spanning, mst_and_prune};
    use proptest::prelude::*;

    /// Every candidate's insertion through the path maxima and through the Kruskal merge.
    fn both_ways(g: &Graph, tree: &[EdgeId], keep: &[bool]) -> usize {
        let n = g.num_nodes();
        let mut pos = vec![u32::MAX; n];
        let mut fast = Insertion::new(g, tree, keep, &mut pos);
        assert!(fast.paths.is_some(), "a pruned tree takes the fast way");
        let mut checked = 0;
        for v in 0..n as NodeId {
            if pos[v as usize] != u32::MAX {
                continue;
            }
            for below in [Cost::MAX, fast.base, fast.base / 2] {
                let a = fast.try_insert(g, v, keep, &pos, below);
                let b = if fast.star.len() < 2 {
                    None
                } else {
                    fast.try_insert_kruskal(g, v, keep, &pos, below)
                };
                assert_eq!(a, b, "candidate {v}, below {below}");
                checked += usize::from(a.is_some());
            }
        }
        fast.clear(&mut pos);
        checked
    }

    proptest! {
        /// The virtual-tree insertion gives exactly the tree and cost of the Kruskal merge,
        /// on graphs with many equal weights, zero weights and parallel edges.
        #[test]
        fn path_maxima_give_the_merges_tree(
            n in 3usize..28,
            raw in prop::collection::vec((0u32..28, 0u32..28, 0i64..6), 2..90),
            pick in prop::collection::vec(any::<bool>(), 28),
            kept in prop::collection::vec(0u8..4, 28),
        ) {
            let edges: Vec<(NodeId, NodeId, Cost)> = raw
                .iter()
                .map(|&(a, b, w)| (a % n as u32, b % n as u32, w))
                .collect();
            let g = Graph::from_edges(n, &edges);
            let keep: Vec<bool> = (0..n).map(|i| kept[i] == 0 || i == 0 || i == n - 1).collect();
            let all: Vec<EdgeId> = (0..g.num_edges() as EdgeId)
                .filter(|&e| pick[e as usize % 28] || e % 2 == 0)
                .collect();
            // A pruned forest; its first edge's tree.
            let forest = mst_and_prune(&g, &all, &[], &keep);
            if forest.is_empty() {
                return Ok(());
            }
            let mut tree = vec![forest[0]];
            let mut grew = true;
            while grew {
                let nodes = tree_nodes(&g, &tree);
                let before = tree.len();
                tree.extend(forest.iter().filter(|e| !tree.contains(e)).filter(|&&e| {
                    let (a, b, _) = g.edge(e);
                    nodes.binary_search(&a).is_ok() || nodes.binary_search(&b).is_ok()
                }).collect::<Vec<_>>());
                grew = tree.len() > before;
            }
            tree.sort_unstable();
            prop_assert!(is_tree_spanning(&g, &tree, &tree_nodes(&g, &tree)));
            both_ways(&g, &tree, &keep);
        }
    }

    #[test]
    fn a_path_between_two_touches_loses_its_heaviest_edge() {
        // Path 0-1-2-3 (weights 1, 9, 1), terminals 0 and 3; node 4 touches 1 and 2 at 2
        // each: the MST drops 1-2 (9) for 1-4-2 (4).
        let g = Graph::from_edges(5, &[(0, 1, 1), (1, 2, 9), (2, 3, 1), (1, 4, 2), (4, 2, 2)]);
        let mut keep = vec![false; 5];
        keep[0] = true;
        keep[3] = true;
        assert_eq!(both_ways(&g, &[0, 1, 2], &keep), 2);
        let (t, c) = vertex_insertion(&g, &[0, 1, 2], &keep, 1_000);
        assert_eq!((t, c), (vec![0, 2, 3, 4], 6));
    }
}
