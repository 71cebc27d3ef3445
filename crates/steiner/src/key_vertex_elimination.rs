//! Key-vertex elimination with Voronoi bookkeeping (after Uchoa and Werneck 2010).
//!
//! A Steiner key vertex `v` (tree degree at least three) is removed together with the key
//! paths at it: its parent path and one path per key-tree child. The tree falls into the
//! part above `v` and one part per child; the cheapest way to join them again is a minimum
//! spanning tree over boundary paths between the parts. When that costs less than the
//! removed paths, the elimination improves the tree.
//!
//! One pass, O(m log n) after the Voronoi regions of the tree nodes:
//! - a boundary path whose key-tree route climbs through `v` from child `c` towards the
//!   root joins part `c` to the part above: boundary paths taken cheapest first and a
//!   union-find jumping over covered (child path, parent path) pairs give each child its
//!   cheapest such link;
//! - a boundary path whose route turns at `v` (the lowest common ancestor of its ends)
//!   joins two child parts: the cheapest per pair is kept;
//! - per Steiner key vertex, Kruskal over those few links decides.
//!
//! The best elimination is applied; the result is checked to be a tree spanning the
//! terminals, and the pass is repeated by the caller.
//!
//! References: E. Uchoa, R. F. Werneck, "Fast local search for Steiner trees in graphs",
//! ALENEX 2010.

use crate::graph::{Cost, EdgeId, Graph, NodeId};
use crate::key_path_exchange::{boundary_paths, build_key_tree, find};
use crate::tree::{is_tree_spanning, mst_and_prune, prune_leaves, tree_cost, UnionFind};

const NIL: u32 = u32::MAX;

/// One elimination pass: the improved tree (sorted) and its cost, or `None` when no
/// Steiner key vertex pays to remove.
pub fn key_vertex_elimination(
    g: &Graph,
    weights: &[Cost],
    tree: &[EdgeId],
    is_term: &[bool],
) -> Option<(Vec<EdgeId>, Cost)> {
    if tree.len() < 3 {
        return None;
    }
    let kt = build_key_tree(g, tree, is_term);
    let k = kt.kparent.len();
    // Binary lifting for ancestors at a given depth.
    let levels = (usize::BITS - k.leading_zeros()) as usize + 1;
    let mut up = vec![kt
        .kparent
        .iter()
        .map(|&p| if p == NIL { 0 } else { p })
        .collect::<Vec<u32>>()];
    for j in 1..levels {
        let prev = &up[j - 1];
        let next: Vec<u32> = (0..k).map(|x| prev[prev[x] as usize]).collect();
        up.push(next);
    }
    let ancestor_at = |mut x: u32, depth: u32| -> u32 {
        let mut diff = kt.kdepth[x as usize] - depth;
        let mut j = 0;
        while diff > 0 {
            if diff & 1 == 1 {
                x = up[j][x as usize];
            }
            diff >>= 1;
            j += 1;
        }
        x
    };
    let lca = |a: u32, b: u32| -> u32 {
        let (da, db) = (kt.kdepth[a as usize], kt.kdepth[b as usize]);
        let (mut a, mut b) = if da >= db {
            (ancestor_at(a, db), b)
        } else {
            (a, ancestor_at(b, da))
        };
        if a == b {
            return a;
        }
        for j in (0..levels).rev() {
            if up[j][a as usize] != up[j][b as usize] {
                a = up[j][a as usize];
                b = up[j][b as usize];
            }
        }
        kt.kparent[a as usize]
    };
    let steiner_key = |x: u32| !is_term[kt.kverts[x as usize] as usize];
    let (vor, cands) = boundary_paths(g, weights, tree);
    // up_link[c]: cheapest boundary path from the subtree of c to above parent(c).
    let mut up_link: Vec<(Cost, EdgeId)> = vec![(Cost::MAX, NIL); k];
    let mut jump: Vec<u32> = (0..k as u32).collect();
    // turn_links[v]: cheapest boundary path per pair of children of v.
    let mut turn_links: Vec<Vec<(u32, u32, Cost, EdgeId)>> = vec![Vec::new(); k];
    for (c, e) in cands {
        let (x, y, _) = g.edge(e);
        let (bx, by) = (vor.base[x as usize], vor.base[y as usize]);
        let Some((a, b)) = kt.route(bx, by) else {
            continue;
        };
        if a == b {
            continue;
        }
        let l = lca(a, b);
        let dl = kt.kdepth[l as usize];
        for s in [a, b] {
            let mut f = find(&mut jump, s);
            while f != NIL && kt.kparent[f as usize] != NIL && kt.kdepth[f as usize] > dl + 1 {
                up_link[f as usize] = (c, e);
                jump[f as usize] = kt.kparent[f as usize];
                f = find(&mut jump, f);
            }
        }
        if a != l && b != l && steiner_key(l) {
            let ca = ancestor_at(a, dl + 1);
            let cb = ancestor_at(b, dl + 1);
            let (p, q) = if ca < cb { (ca, cb) } else { (cb, ca) };
            let list = &mut turn_links[l as usize];
            if !list.iter().any(|&(u, w, _, _)| u == p && w == q) {
                list.push((p, q, c, e));
            }
        }
    }
    // Children lists.
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); k];
    for x in 1..k as u32 {
        let p = kt.kparent[x as usize];
        if p != NIL {
            children[p as usize].push(x);
        }
    }
    let mut found: Vec<(Cost, u32, Vec<EdgeId>)> = Vec::new();
    for v in 0..k as u32 {
        if !steiner_key(v) || children[v as usize].len() + usize::from(v != 0) < 3 {
            continue;
        }
        let kids = &children[v as usize];
        let has_parent = kt.kparent[v as usize] != NIL;
        let mut saved: Cost = kids.iter().map(|&c| kt.path_cost[c as usize]).sum();
        if has_parent {
            saved += kt.path_cost[v as usize];
        }
        // Parts: 0..kids.len() children, kids.len() the part above.
        let above = kids.len() as u32;
        let mut links: Vec<(Cost, u32, u32, EdgeId)> = Vec::new();
        if has_parent {
            for (i, &c) in kids.iter().enumerate() {
                let (cost, e) = up_link[c as usize];
                if e != NIL {
                    links.push((cost, i as u32, above, e));
                }
            }
        }
        for &(p, q, cost, e) in &turn_links[v as usize] {
            let i = kids.iter().position(|&c| c == p).expect("child") as u32;
            let j = kids.iter().position(|&c| c == q).expect("child") as u32;
            links.push((cost, i, j, e));
        }
        links.sort_unstable();
        let parts = kids.len() + usize::from(has_parent);
        let mut uf = UnionFind::new(parts);
        let mut total = 0;
        let mut used = Vec::new();
        for (cost, i, j, e) in links {
            if uf.union(i, j) {
                total += cost;
                used.push(e);
            }
        }
        if used.len() + 1 != parts || total >= saved {
            continue;
        }
        found.push((saved - total, v, used));
    }
    if found.is_empty() {
        return None;
    }
    // Largest gain first (ties by key vertex). Besides the best one, every later
    // elimination that touches nothing an earlier pick removes or leans on is applied in
    // the same pass: far-apart eliminations do not interact, and one pass costs as much
    // as one elimination.
    found.sort_unstable_by_key(|f| (std::cmp::Reverse(f.0), f.1));
    let old_cost = tree_cost(g, tree);
    let apply = |picks: &[&(Cost, u32, Vec<EdgeId>)]| -> Option<(Vec<EdgeId>, Cost)> {
        let mut drop = vec![false; g.num_edges()];
        let mut t: Vec<EdgeId> = Vec::new();
        for &(_, v, used) in picks {
            for &c in &children[*v as usize] {
                for &e in &kt.path_edges[c as usize] {
                    drop[e as usize] = true;
                }
            }
            if kt.kparent[*v as usize] != NIL {
                for &e in &kt.path_edges[*v as usize] {
                    drop[e as usize] = true;
                }
            }
            for &e in used {
                let (x, y, _) = g.edge(e);
                t.push(e);
                vor.path_to_base(g, x, &mut t);
                vor.path_to_base(g, y, &mut t);
            }
        }
        t.extend(tree.iter().copied().filter(|&e| !drop[e as usize]));
        t.sort_unstable();
        t.dedup();
        let terms: Vec<NodeId> = kt
            .kverts
            .iter()
            .copied()
            .filter(|&x| is_term[x as usize])
            .collect();
        let t = if is_tree_spanning(g, &t, &terms) {
            prune_leaves(g, &t, is_term)
        } else if picks.len() > 1 {
            // Reconnections of two picks may share a Voronoi path: repair by MST.
            let t = mst_and_prune(g, &t, &[], is_term);
            if !is_tree_spanning(g, &t, &terms) {
                return None;
            }
            t
        } else {
            return None;
        };
        let c = tree_cost(g, &t);
        (c < old_cost).then_some((t, c))
    };
    // Marks on key paths (named by their lower key vertex) and key vertices.
    let mut removed_path = vec![false; k];
    let mut leaned_path = vec![false; k];
    let mut removed_vertex = vec![false; k];
    let mut leaned_vertex = vec![false; k];
    let mut picks: Vec<&(Cost, u32, Vec<EdgeId>)> = Vec::new();
    for f in &found {
        let v = f.1;
        let mut paths: Vec<u32> = children[v as usize].clone();
        if kt.kparent[v as usize] != NIL {
            paths.push(v);
        }
        let mut lean_paths = Vec::new();
        let mut lean_vertices = Vec::new();
        for &e in &f.2 {
            let (x, y, _) = g.edge(e);
            for b in [vor.base[x as usize], vor.base[y as usize]] {
                if kt.key_of[b as usize] != NIL {
                    lean_vertices.push(kt.key_of[b as usize]);
                } else {
                    lean_paths.push(kt.path_of[b as usize]);
                }
            }
        }
        let clash = removed_vertex[v as usize]
            || leaned_vertex[v as usize]
            || paths
                .iter()
                .any(|&p| removed_path[p as usize] || leaned_path[p as usize])
            || lean_paths.iter().any(|&p| removed_path[p as usize])
            || lean_vertices.iter().any(|&x| removed_vertex[x as usize]);
        if clash {
            continue;
        }
        removed_vertex[v as usize] = true;
        for p in paths {
            removed_path[p as usize] = true;
        }
        for p in lean_paths {
            leaned_path[p as usize] = true;
        }
        for x in lean_vertices {
            leaned_vertex[x as usize] = true;
        }
        picks.push(f);
    }
    let single = picks[0].0;
    if picks.len() > 1 {
        if let Some((t, c)) = apply(&picks) {
            if c <= old_cost - single {
                return Some((t, c));
            }
        }
    }
    apply(&picks[..1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_a_costly_hub() {
        // terminals 1, 2, 3 hang on hub 0 by edges of 10; a cheap ring 1-4-2, 2-5-3 (2 each)
        let g = Graph::from_edges(
            6,
            &[
                (0, 1, 10),
                (0, 2, 10),
                (0, 3, 10),
                (1, 4, 1),
                (4, 2, 1),
                (2, 5, 1),
                (5, 3, 1),
            ],
        );
        let w: Vec<Cost> = g.edges().iter().map(|e| e.2).collect();
        let mut term = vec![false; 6];
        for t in [1, 2, 3] {
            term[t] = true;
        }
        let (t, c) = key_vertex_elimination(&g, &w, &[0, 1, 2], &term).unwrap();
        assert_eq!(c, 4);
        assert_eq!(t, vec![3, 4, 5, 6]);
    }
}
