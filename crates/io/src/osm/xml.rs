//! OSM XML (`.osm`, and `.osm.gz` through flate2), streamed with quick-xml: one element at a
//! time, only the tags the readers look at are kept.
//!
//! A file must open `<osm>` and close it: a download cut short (no `</osm>`) is an error,
//! not a silently smaller extract. Elements marked `action="delete"` (JOSM) are skipped.

use super::{OsmReadOptions, Raw, Tags};
use crate::{InputError, Where};
use fiberplan_model::osm::OsmElement;
use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;
use std::path::Path;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Elem {
    None,
    Node,
    Way,
    Other,
}

pub(super) fn read(
    path: &Path,
    file: impl std::io::Read,
    gzip: bool,
    opts: &OsmReadOptions,
) -> Result<Raw, InputError> {
    read_from(path, input(file, gzip), opts)
}

/// `file`, inflated when `gzip`, buffered for quick-xml, its runs without markup bounded
/// ([`MAX_RUN`]): what every OSM XML reader reads.
pub(super) fn input<'a>(file: impl std::io::Read + 'a, gzip: bool) -> Box<dyn BufRead + 'a> {
    fn buffered<R: std::io::Read>(r: R) -> std::io::BufReader<R> {
        std::io::BufReader::with_capacity(1 << 16, r)
    }
    if gzip {
        let dec = flate2::bufread::MultiGzDecoder::new(buffered(file));
        Box::new(buffered(RunLimit::new(dec)))
    } else {
        Box::new(buffered(RunLimit::new(file)))
    }
}

/// The longest run of bytes without a `<` or `>` the reader takes: quick-xml holds one
/// whole tag or text in memory, so gigabytes of spaces (or a small gzip file that inflates
/// to them) would otherwise take that much room. An OSM tag or text is a few kilobytes.
const MAX_RUN: u64 = 16 << 20;

/// A byte stream that fails once it runs longer than [`MAX_RUN`] bytes without markup.
struct RunLimit<R> {
    inner: R,
    /// Bytes since the last `<` or `>`.
    run: u64,
}

impl<R> RunLimit<R> {
    fn new(inner: R) -> Self {
        RunLimit { inner, run: 0 }
    }

    fn count(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mark = |c: &u8| *c == b'<' || *c == b'>';
        // The run the first mark ends; runs between marks within `bytes` are shorter than
        // `bytes` (a read of at most a buffer, far below the limit).
        let (ended, open) = match (bytes.iter().position(mark), bytes.iter().rposition(mark)) {
            (Some(first), Some(last)) => (self.run + first as u64, (bytes.len() - 1 - last) as u64),
            _ => (0, self.run + bytes.len() as u64),
        };
        self.run = open;
        if ended.max(self.run) > MAX_RUN {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("more than {} MiB without a tag", MAX_RUN >> 20),
            ));
        }
        Ok(())
    }
}

impl<R: std::io::Read> std::io::Read for RunLimit<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.count(&out[..n])?;
        Ok(n)
    }
}

/// Owned state of the element being read (its tags arrive as child events).
struct Current {
    elem: Elem,
    id: i64,
    lonlat: [i32; 2],
    deleted: bool,
    /// Only keys the readers look at.
    tags: Vec<(String, String)>,
    refs: Vec<i64>,
    /// Positions given on `<nd>` (Overpass `out geom`).
    nd_pos: Vec<(i64, [i32; 2])>,
}

fn read_from<R: BufRead>(path: &Path, input: R, opts: &OsmReadOptions) -> Result<Raw, InputError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::with_capacity(1024);
    let mut raw = Raw::default();
    let mut cur = Current {
        elem: Elem::None,
        id: 0,
        lonlat: [0, 0],
        deleted: false,
        tags: Vec::new(),
        refs: Vec::new(),
        nd_pos: Vec::new(),
    };
    let mut opened = false;
    let mut closed = false;
    loop {
        let pos = reader.buffer_position();
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            InputError::file(
                path,
                format!(
                    "malformed or truncated OSM XML near byte {}: {e}",
                    reader.error_position().max(pos)
                ),
            )
        })?;
        match ev {
            Event::Start(e) | Event::Empty(e) if !opened => {
                if e.name().as_ref() != b"osm" {
                    return Err(InputError::file(
                        path,
                        "not OSM XML (the root element is not <osm>)",
                    ));
                }
                opened = true;
            }
            Event::Start(e) => {
                start(path, &e, &mut cur, &mut raw)?;
            }
            Event::Empty(e) => {
                let is_element = matches!(e.name().as_ref(), b"node" | b"way" | b"relation");
                start(path, &e, &mut cur, &mut raw)?;
                if is_element {
                    end(&mut cur, &mut raw, opts);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"node" | b"way" | b"relation" => end(&mut cur, &mut raw, opts),
                b"osm" => closed = true,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !opened {
        return Err(InputError::file(path, "not OSM XML (no <osm> element)"));
    }
    if !closed {
        return Err(InputError::file(
            path,
            "truncated OSM XML: the file ends before </osm>",
        ));
    }
    Ok(raw)
}

fn attr_str(v: &[u8]) -> &str {
    std::str::from_utf8(v).unwrap_or("")
}

fn start(path: &Path, e: &BytesStart, cur: &mut Current, raw: &mut Raw) -> Result<(), InputError> {
    match e.name().as_ref() {
        b"node" | b"way" | b"relation" => {
            cur.elem = match e.name().as_ref() {
                b"node" => Elem::Node,
                b"way" => Elem::Way,
                _ => Elem::Other,
            };
            cur.id = 0;
            cur.deleted = false;
            cur.tags.clear();
            cur.refs.clear();
            cur.nd_pos.clear();
            let (mut lat, mut lon) = (None, None);
            let mut id = None;
            for a in e.attributes().flatten() {
                match a.key.as_ref() {
                    b"id" => id = attr_str(&a.value).parse::<i64>().ok(),
                    b"lat" => lat = attr_str(&a.value).parse::<f64>().ok(),
                    b"lon" => lon = attr_str(&a.value).parse::<f64>().ok(),
                    b"action" => cur.deleted = a.value.as_ref() == b"delete",
                    _ => {}
                }
            }
            let kind = match cur.elem {
                Elem::Node => "node",
                Elem::Way => "way",
                _ => "relation",
            };
            cur.id = id.ok_or_else(|| {
                InputError::file(path, format!("a <{kind}> without a numeric id"))
            })?;
            if cur.elem == Elem::Node {
                match (lon, lat) {
                    (Some(lon), Some(lat))
                        if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) =>
                    {
                        cur.lonlat = [super::to_e7(lon), super::to_e7(lat)];
                    }
                    _ if cur.deleted => {}
                    _ => {
                        return Err(InputError::new(
                            path,
                            Where::Osm {
                                kind: "node",
                                id: cur.id,
                            },
                            "missing or out-of-range lat/lon",
                        ))
                    }
                }
            }
        }
        b"tag" if cur.elem != Elem::None => {
            let (mut k, mut v) = (None, None);
            for a in e.attributes().flatten() {
                match a.key.as_ref() {
                    b"k" => k = a.unescape_value().ok().map(|s| s.into_owned()),
                    b"v" => v = a.unescape_value().ok().map(|s| s.into_owned()),
                    _ => {}
                }
            }
            if let (Some(k), Some(v)) = (k, v) {
                if super::KEYS.contains(&k.as_str()) {
                    cur.tags.push((k, v));
                }
            }
        }
        b"nd" if cur.elem == Elem::Way => {
            // Overpass `out geom` puts positions on <nd> and may leave the nodes out.
            let (mut lat, mut lon) = (None, None);
            for a in e.attributes().flatten() {
                match a.key.as_ref() {
                    b"lat" => lat = attr_str(&a.value).parse::<f64>().ok(),
                    b"lon" => lon = attr_str(&a.value).parse::<f64>().ok(),
                    _ => {}
                }
            }
            for a in e.attributes().flatten() {
                if a.key.as_ref() == b"ref" {
                    let r = attr_str(&a.value).parse::<i64>().map_err(|_| {
                        InputError::new(
                            path,
                            Where::Osm {
                                kind: "way",
                                id: cur.id,
                            },
                            "a <nd> without a numeric ref",
                        )
                    })?;
                    cur.refs.push(r);
                    if let (Some(lat), Some(lon)) = (lat, lon) {
                        if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
                            cur.nd_pos.push((r, [super::to_e7(lon), super::to_e7(lat)]));
                        }
                    }
                }
            }
        }
        b"bounds" => {
            let mut b = [None; 4];
            for a in e.attributes().flatten() {
                let i = match a.key.as_ref() {
                    b"minlon" => 0,
                    b"minlat" => 1,
                    b"maxlon" => 2,
                    b"maxlat" => 3,
                    _ => continue,
                };
                b[i] = attr_str(&a.value).parse::<f64>().ok();
            }
            if let [Some(a), Some(b), Some(c), Some(d)] = b {
                raw.bounds = raw.bounds.or(Some([a, b, c, d]));
            }
        }
        _ => {}
    }
    Ok(())
}

fn end(cur: &mut Current, raw: &mut Raw, opts: &OsmReadOptions) {
    let elem = std::mem::replace(&mut cur.elem, Elem::None);
    if cur.deleted {
        return;
    }
    let mut t = Tags::default();
    for (k, v) in &cur.tags {
        t.set(k, v);
    }
    match elem {
        Elem::Node => {
            raw.stats.nodes += 1;
            if raw.node_blocks.is_empty() {
                raw.node_blocks.push(Vec::new());
            }
            raw.node_blocks[0].push((cur.id, cur.lonlat));
            if let Some(p) = t.place.filter(|p| opts.wants_place(p)) {
                raw.places
                    .push(t.place(cur.id, OsmElement::Node, p, super::from_e7(cur.lonlat)));
            }
        }
        Elem::Way => {
            raw.stats.ways += 1;
            let wanted = t.corridor(opts).is_some() || t.place.is_some_and(|p| opts.wants_place(p));
            if wanted && !cur.nd_pos.is_empty() {
                if raw.node_blocks.is_empty() {
                    raw.node_blocks.push(Vec::new());
                }
                raw.node_blocks[0].extend_from_slice(&cur.nd_pos);
            }
            if let Some((kind, class)) = t.corridor(opts) {
                raw.ways
                    .push((t.way_head(cur.id, kind, class), cur.refs.clone()));
            }
            if let Some(p) = t.place.filter(|p| opts.wants_place(p)) {
                if cur.refs.len() >= 4 && cur.refs.first() == cur.refs.last() {
                    raw.place_ways.push((
                        t.place(cur.id, OsmElement::Way, p, [0.0, 0.0]),
                        cur.refs.clone(),
                    ));
                }
            }
        }
        Elem::Other => raw.stats.relations += 1,
        Elem::None => {}
    }
}
