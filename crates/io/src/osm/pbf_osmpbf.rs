//! `.osm.pbf` through the osmpbf crate (whole messages decoded): the reference the lean
//! decoder in `wire.rs` is tested against, and the home of what both share: the per-block
//! output and its merge in file order.
//!
//! One pass: every node position is kept (16 bytes a node, as 1e-7 degree integers), ways
//! and places are filtered by tag. A key that a block's string table lacks is never looked
//! up in that block, so blocks without corridor or place tags cost only their decoding.

use super::{OsmReadOptions, Raw, Tags, WayHead};
use crate::InputError;
use fiberplan_model::osm::{OsmElement, OsmPlace};
use osmpbf::{BlobDecode, BlobReader, PrimitiveBlock};
use rayon::prelude::*;
use std::path::Path;

/// What one data block holds of interest.
#[derive(Default)]
pub(super) struct BlockOut {
    /// Node positions: every node (osmpbf), or only positions given on ways (the lean
    /// reader's first pass).
    pub(super) nodes: Vec<(i64, [i32; 2])>,
    /// The block holds nodes (the lean reader's second pass reads it again).
    pub(super) has_nodes: bool,
    pub(super) ways: Vec<(WayHead, Vec<i64>)>,
    pub(super) place_ways: Vec<(OsmPlace, Vec<i64>)>,
    pub(super) places: Vec<OsmPlace>,
    pub(super) bounds: Option<[f64; 4]>,
    pub(super) is_header: bool,
    pub(super) n_nodes: u64,
    pub(super) n_ways: u64,
    pub(super) n_relations: u64,
}

#[cfg_attr(not(test), allow(dead_code))]
pub(super) fn read(path: &Path, opts: &OsmReadOptions) -> Result<Raw, InputError> {
    let reader = BlobReader::from_path(path)
        .map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let mut outs: Vec<(usize, Result<BlockOut, String>)> = reader
        .enumerate()
        .par_bridge()
        .map(|(i, blob)| {
            let out = match blob {
                Ok(blob) => decode(&blob, opts),
                Err(e) if i == 0 => Err(format!(
                    "not an OSM file (neither PBF, OSM XML nor gzip): {e}"
                )),
                Err(e) => Err(format!("truncated or corrupt PBF (blob {i}): {e}")),
            };
            (i, out)
        })
        .collect();
    outs.sort_unstable_by_key(|o| o.0);
    merge(path, outs)
}

/// Put the blocks' outputs together in file order; the first error wins.
pub(super) fn merge(
    path: &Path,
    outs: Vec<(usize, Result<BlockOut, String>)>,
) -> Result<Raw, InputError> {
    let mut m = Merger::default();
    for (i, out) in outs {
        m.push(i, out.map_err(|e| InputError::file(path, e))?);
    }
    m.finish(path)
}

/// Blocks' outputs put together one by one, in file order.
#[derive(Default)]
pub(super) struct Merger {
    raw: Raw,
    saw_header: bool,
}

impl Merger {
    pub(super) fn push(&mut self, i: usize, out: BlockOut) {
        let raw = &mut self.raw;
        if i == 0 {
            self.saw_header = out.is_header;
        }
        raw.bounds = raw.bounds.or(out.bounds);
        if !out.nodes.is_empty() {
            raw.node_blocks.push(out.nodes);
        }
        raw.ways.extend(out.ways);
        raw.place_ways.extend(out.place_ways);
        raw.places.extend(out.places);
        raw.stats.nodes += out.n_nodes;
        raw.stats.ways += out.n_ways;
        raw.stats.relations += out.n_relations;
    }

    pub(super) fn finish(self, path: &Path) -> Result<Raw, InputError> {
        if !self.saw_header {
            return Err(InputError::file(
                path,
                "not an OSM PBF file (no OSMHeader block first)",
            ));
        }
        Ok(self.raw)
    }
}

/// Decode one blob; a panic inside the decoder (corrupt data) becomes an error too.
fn decode(blob: &osmpbf::Blob, opts: &OsmReadOptions) -> Result<BlockOut, String> {
    let run = || -> Result<BlockOut, String> {
        match blob
            .decode()
            .map_err(|e| format!("corrupt PBF block: {e}"))?
        {
            BlobDecode::OsmHeader(h) => {
                for f in h.required_features() {
                    if !matches!(
                        f.as_str(),
                        "OsmSchema-V0.6" | "DenseNodes" | "Sort.Type_then_ID" | "LocationsOnWays"
                    ) {
                        return Err(format!("PBF requires unsupported feature {f:?}"));
                    }
                }
                let bounds = h.bbox().map(|b| {
                    [
                        b.left.min(b.right),
                        b.top.min(b.bottom),
                        b.left.max(b.right),
                        b.top.max(b.bottom),
                    ]
                });
                Ok(BlockOut {
                    bounds,
                    is_header: true,
                    ..Default::default()
                })
            }
            BlobDecode::OsmData(block) => Ok(block_out(&block, opts)),
            BlobDecode::Unknown(_) => Ok(BlockOut::default()),
        }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(_) => Err("corrupt PBF block (the decoder failed on it)".to_string()),
    }
}

fn block_out(block: &PrimitiveBlock, opts: &OsmReadOptions) -> BlockOut {
    let st = block.raw_stringtable();
    let key = |name: &[u8]| {
        st.iter()
            .position(|s| s.as_slice() == name)
            .map(|i| i as u32)
    };
    let place_k = key(b"place");
    let way_keys: Vec<u32> = [
        &b"highway"[..],
        b"power",
        b"railway",
        b"telecom",
        b"communication",
        b"place",
    ]
    .iter()
    .filter_map(|k| key(k))
    .collect();
    let mut out = BlockOut::default();
    for group in block.groups() {
        for n in group.dense_nodes() {
            out.n_nodes += 1;
            out.nodes
                .push((n.id(), [n.decimicro_lon(), n.decimicro_lat()]));
            if let Some(pk) = place_k {
                if n.raw_tags().any(|(k, _)| k as u32 == pk) {
                    let mut t = Tags::default();
                    n.tags().for_each(|(k, v)| t.set(k, v));
                    push_place_node(
                        &mut out,
                        &t,
                        n.id(),
                        [n.decimicro_lon(), n.decimicro_lat()],
                        opts,
                    );
                }
            }
        }
        for n in group.nodes() {
            out.n_nodes += 1;
            out.nodes
                .push((n.id(), [n.decimicro_lon(), n.decimicro_lat()]));
            if let Some(pk) = place_k {
                if n.raw_tags().any(|(k, _)| k == pk) {
                    let mut t = Tags::default();
                    n.tags().for_each(|(k, v)| t.set(k, v));
                    push_place_node(
                        &mut out,
                        &t,
                        n.id(),
                        [n.decimicro_lon(), n.decimicro_lat()],
                        opts,
                    );
                }
            }
        }
        for w in group.ways() {
            out.n_ways += 1;
            if way_keys.is_empty() || !w.raw_tags().any(|(k, _)| way_keys.contains(&k)) {
                continue;
            }
            let mut t = Tags::default();
            w.tags().for_each(|(k, v)| t.set(k, v));
            let wanted = t.corridor(opts).is_some() || t.place.is_some_and(|p| opts.wants_place(p));
            // LocationsOnWays files (osmium add-locations-to-ways) may lack the nodes: the
            // positions on the way are taken as nodes (real nodes, read first, win).
            if wanted && w.node_locations().len() > 0 {
                out.nodes.extend(
                    w.refs()
                        .zip(w.node_locations())
                        .map(|(r, l)| (r, [l.decimicro_lon(), l.decimicro_lat()])),
                );
            }
            if let Some((kind, class)) = t.corridor(opts) {
                out.ways
                    .push((t.way_head(w.id(), kind, class), w.refs().collect()));
            }
            if let Some(p) = t.place.filter(|p| opts.wants_place(p)) {
                let refs: Vec<i64> = w.refs().collect();
                if refs.len() >= 4 && refs.first() == refs.last() {
                    out.place_ways
                        .push((t.place(w.id(), OsmElement::Way, p, [0.0, 0.0]), refs));
                }
            }
        }
        out.n_relations += group.relations().count() as u64;
    }
    out
}

fn push_place_node(out: &mut BlockOut, t: &Tags, id: i64, pos: [i32; 2], opts: &OsmReadOptions) {
    if let Some(p) = t.place.filter(|p| opts.wants_place(p)) {
        out.places
            .push(t.place(id, OsmElement::Node, p, super::from_e7(pos)));
    }
}
