//! A second pass over an extract for tagged features (buildings, masts), apart from
//! [`super::read_osm`]'s corridor pass so that the corridor reader keeps its speed.
//!
//! The format is told by the first bytes as in `read_osm`: PBF through the osmpbf crate,
//! XML and `.osm.gz` streamed with quick-xml. Node positions are rounded to the PBF's
//! 1e-7 degrees in both, so a `.pbf` and its `.osm` twin give the same features. A node
//! without a position inside WGS84's range is an error, as in the corridor pass: this pass
//! may be the only reader of its file (`--existing masts.osm.pbf`).

use crate::{InputError, Where};
use fiberplan_model::LonLat;
use std::io::{BufRead, Read};
use std::path::Path;

/// The tags a pass keeps of one element, and whether they make it a feature.
pub(super) trait FeatureTags: Default {
    fn set(&mut self, k: &str, v: &str);
    fn wanted(&self) -> bool;
}

/// What a pass found: every node position (to resolve way rings) and the wanted elements.
pub(super) struct Pass<T> {
    /// Every node of the extract, sorted by id, without repeats.
    nodes: Vec<(i64, LonLat)>,
    /// Wanted nodes, in file order.
    pub node_hits: Vec<(i64, LonLat, T)>,
    /// Wanted ways with their node refs, in file order.
    pub way_hits: Vec<(i64, Vec<i64>, T)>,
}

impl<T> Pass<T> {
    /// Positions of `refs`, or `None` when the extract lacks one of them.
    pub fn positions(&self, refs: &[i64]) -> Option<Vec<LonLat>> {
        refs.iter()
            .map(|r| {
                self.nodes
                    .binary_search_by_key(r, |n| n.0)
                    .ok()
                    .map(|i| self.nodes[i].1)
            })
            .collect()
    }
}

/// Reads the nodes and ways of an extract whose tags `T` wants.
///
/// # Errors
/// An [`InputError`] naming the file when it cannot be read or is not OSM data.
pub(super) fn read_features<T: FeatureTags>(path: &Path) -> Result<Pass<T>, InputError> {
    let mut head = [0u8; 64];
    let (mut f, _) = crate::text::open_regular(path)?;
    let n = f
        .read(&mut head)
        .map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    drop(f);
    if n == 0 {
        return Err(InputError::file(path, "empty file, not an OSM extract"));
    }
    let open = || {
        std::fs::File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))
    };
    let mut c = if head[..n].starts_with(&[0x1f, 0x8b]) {
        xml(path, super::xml::input(open()?, true))?
    } else if head[..n].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
        || head[..n].starts_with(b"\xEF\xBB\xBF")
    {
        xml(path, super::xml::input(open()?, false))?
    } else {
        pbf(path)?
    };
    c.nodes.sort_by_key(|n| n.0);
    c.nodes.dedup_by_key(|n| n.0);
    Ok(c)
}

/// A node position inside WGS84's lon/lat range.
fn in_range(p: LonLat) -> bool {
    (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1])
}

fn bad_node(path: &Path, id: i64) -> InputError {
    InputError::new(
        path,
        Where::Osm { kind: "node", id },
        "missing or out-of-range lat/lon",
    )
}

fn pbf<T: FeatureTags>(path: &Path) -> Result<Pass<T>, InputError> {
    use osmpbf::{Element, ElementReader};
    let reader = ElementReader::from_path(path)
        .map_err(|e| InputError::file(path, format!("cannot open: {e}")))?;
    let mut c = Pass {
        nodes: Vec::new(),
        node_hits: Vec::new(),
        way_hits: Vec::new(),
    };
    let mut bad: Option<i64> = None;
    let tags_of = |it: &mut dyn Iterator<Item = (&str, &str)>| {
        let mut t = T::default();
        for (k, v) in it {
            t.set(k, v);
        }
        t
    };
    reader
        .for_each(|el| match el {
            Element::Node(nd) => {
                let p = [nd.lon(), nd.lat()];
                if !in_range(p) {
                    bad.get_or_insert(nd.id());
                }
                c.nodes.push((nd.id(), p));
                let t = tags_of(&mut nd.tags());
                if t.wanted() {
                    c.node_hits.push((nd.id(), p, t));
                }
            }
            Element::DenseNode(nd) => {
                let p = [nd.lon(), nd.lat()];
                if !in_range(p) {
                    bad.get_or_insert(nd.id());
                }
                c.nodes.push((nd.id(), p));
                let t = tags_of(&mut nd.tags());
                if t.wanted() {
                    c.node_hits.push((nd.id(), p, t));
                }
            }
            Element::Way(w) => {
                let t = tags_of(&mut w.tags());
                if t.wanted() {
                    c.way_hits.push((w.id(), w.refs().collect(), t));
                }
            }
            Element::Relation(_) => {}
        })
        .map_err(|e| InputError::file(path, format!("corrupt or truncated OSM PBF: {e}")))?;
    match bad {
        Some(id) => Err(bad_node(path, id)),
        None => Ok(c),
    }
}

fn xml<T: FeatureTags, R: BufRead>(path: &Path, input: R) -> Result<Pass<T>, InputError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut c = Pass {
        nodes: Vec::new(),
        node_hits: Vec::new(),
        way_hits: Vec::new(),
    };
    // The element being read: kind (1 node, 2 way, 3 other), id, position, tags, refs.
    let mut kind = 0u8;
    let mut id = 0i64;
    let mut pos = [0.0f64; 2];
    let mut tags = T::default();
    let mut refs: Vec<i64> = Vec::new();
    let mut closed = false;
    let attr = |e: &quick_xml::events::BytesStart, key: &[u8]| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
    };
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            InputError::file(
                path,
                format!(
                    "malformed or truncated OSM XML near byte {}: {e}",
                    reader.error_position()
                ),
            )
        })?;
        let (e, empty) = match ev {
            Event::Start(e) => (Some(e.into_owned()), false),
            Event::Empty(e) => (Some(e.into_owned()), true),
            Event::End(e) => {
                match e.name().as_ref() {
                    b"node" | b"way" | b"relation" => {
                        flush(&mut c, kind, id, pos, &mut tags, &mut refs);
                        kind = 0;
                    }
                    b"osm" => closed = true,
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = e {
            let num = |k: &[u8]| attr(&e, k).and_then(|v| v.parse::<f64>().ok());
            match e.name().as_ref() {
                b"node" | b"way" | b"relation" => {
                    kind = match e.name().as_ref() {
                        b"node" => 1,
                        b"way" => 2,
                        _ => 3,
                    };
                    id = attr(&e, b"id").and_then(|v| v.parse().ok()).unwrap_or(0);
                    if attr(&e, b"action").as_deref() == Some("delete") {
                        kind = 3;
                    }
                    if kind == 1 {
                        match (num(b"lon"), num(b"lat")) {
                            (Some(lon), Some(lat)) if in_range([lon, lat]) => pos = [lon, lat],
                            _ => return Err(bad_node(path, id)),
                        }
                    }
                    if empty {
                        flush(&mut c, kind, id, pos, &mut tags, &mut refs);
                        kind = 0;
                    }
                }
                b"tag" if kind != 0 => {
                    if let (Some(k), Some(v)) = (attr(&e, b"k"), attr(&e, b"v")) {
                        tags.set(&k, &v);
                    }
                }
                b"nd" if kind == 2 => {
                    if let Some(r) = attr(&e, b"ref").and_then(|v| v.parse().ok()) {
                        refs.push(r);
                    }
                }
                _ => {}
            }
        }
        buf.clear();
    }
    if !closed {
        return Err(InputError::file(
            path,
            "truncated OSM XML: the file ends before </osm>",
        ));
    }
    Ok(c)
}

fn flush<T: FeatureTags>(
    c: &mut Pass<T>,
    kind: u8,
    id: i64,
    pos: [f64; 2],
    tags: &mut T,
    refs: &mut Vec<i64>,
) {
    let t = std::mem::take(tags);
    let r = std::mem::take(refs);
    match kind {
        1 => {
            let p = [(pos[0] * 1e7).round() * 1e-7, (pos[1] * 1e7).round() * 1e-7];
            c.nodes.push((id, p));
            if t.wanted() {
                c.node_hits.push((id, p, t));
            }
        }
        2 if t.wanted() => c.way_hits.push((id, r, t)),
        _ => {}
    }
}
