//! A lean `.osm.pbf` decoder: the protobuf wire format read straight from the inflated
//! block, without building messages. It reads only what fiberplan keeps (node ids and
//! positions, tags of tagged nodes, corridor and place ways, a relation count) and skips
//! the rest (metadata, relation members) unread: about twice as fast as decoding whole
//! messages with osmpbf, which remains the reference the tests compare against
//! (`pbf_osmpbf.rs`).
//!
//! Blobs are read in file order and decoded in parallel (rayon), the results put back in
//! file order. Every length and index is checked: a corrupt block is an error, never a
//! panic.

use super::pbf_osmpbf::{BlockOut, Merger};
use super::{find_near, Needed, OsmReadOptions, Raw, Tags, UNSET};
use crate::InputError;
use fiberplan_model::osm::OsmElement;
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Largest blob header and blob the format allows (64 KiB, 32 MiB).
const MAX_HEADER: usize = 64 * 1024;
const MAX_BLOB: usize = 32 * 1024 * 1024;

type R<T> = Result<T, String>;

/// A protobuf reader over a byte slice.
struct Pb<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Pb<'a> {
    fn new(b: &'a [u8]) -> Self {
        Pb { b, i: 0 }
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    fn varint(&mut self) -> R<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let Some(&byte) = self.b.get(self.i) else {
                return Err("varint runs past the end".into());
            };
            self.i += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(v);
            }
        }
        Err("varint longer than 10 bytes".into())
    }
    fn key(&mut self) -> R<(u32, u8)> {
        let k = self.varint()?;
        Ok(((k >> 3) as u32, (k & 7) as u8))
    }
    fn bytes(&mut self) -> R<&'a [u8]> {
        let n = self.varint()? as usize;
        let end = self
            .i
            .checked_add(n)
            .filter(|e| *e <= self.b.len())
            .ok_or("field runs past the end")?;
        let s = &self.b[self.i..end];
        self.i = end;
        Ok(s)
    }
    fn skip(&mut self, wire: u8) -> R<()> {
        match wire {
            0 => self.varint().map(drop),
            1 => self.advance(8),
            2 => self.bytes().map(drop),
            5 => self.advance(4),
            w => Err(format!("unsupported wire type {w}")),
        }
    }
    fn advance(&mut self, n: usize) -> R<()> {
        if self.i + n > self.b.len() {
            return Err("field runs past the end".into());
        }
        self.i += n;
        Ok(())
    }
}

fn zigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A repeated varint field, packed (`wire` 2) or not (`wire` 0), kept as its bytes.
enum Rep<'a> {
    Packed(&'a [u8]),
    One(u64),
}

fn rep<'a>(pb: &mut Pb<'a>, wire: u8, into: &mut Vec<Rep<'a>>) -> R<()> {
    match wire {
        2 => into.push(Rep::Packed(pb.bytes()?)),
        0 => into.push(Rep::One(pb.varint()?)),
        w => return Err(format!("unexpected wire type {w} for a repeated number")),
    }
    Ok(())
}

/// All values of a repeated varint field.
struct RepIter<'a, 'b> {
    parts: &'b [Rep<'a>],
    cur: Pb<'a>,
}

impl<'a, 'b> RepIter<'a, 'b> {
    fn new(parts: &'b [Rep<'a>]) -> Self {
        RepIter {
            parts,
            cur: Pb::new(&[]),
        }
    }
    fn next_value(&mut self) -> R<Option<u64>> {
        loop {
            if !self.cur.done() {
                return self.cur.varint().map(Some);
            }
            match self.parts.split_first() {
                None => return Ok(None),
                Some((Rep::Packed(b), rest)) => {
                    self.cur = Pb::new(b);
                    self.parts = rest;
                }
                Some((Rep::One(v), rest)) => {
                    self.parts = rest;
                    return Ok(Some(*v));
                }
            }
        }
    }
    fn is_empty(&self) -> bool {
        self.cur.done()
            && self
                .parts
                .iter()
                .all(|p| matches!(p, Rep::Packed(b) if b.is_empty()))
    }
}

/// Blobs decoded together (in parallel, results applied in file order): at most this
/// many, and no more compressed bytes than this once one is in.
const CHUNK_BLOBS: usize = 64;
const CHUNK_BYTES: usize = 64 << 20;

/// Two passes over the file. The first reads everything but node positions: the kept ways
/// (with their refs), the places, the counts, and which blobs hold nodes. The needed node
/// ids are then the kept ways' refs, sorted and unique ([`Needed`]); the second pass reads
/// only the blobs that hold nodes again and keeps the positions of the needed nodes. Memory
/// goes with the kept ways, not the file's nodes; the price is inflating the node blocks
/// twice.
pub(super) fn read(
    path: &Path,
    bytes: u64,
    opts: &OsmReadOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Raw, InputError> {
    let open = || {
        std::fs::File::open(path).map_err(|e| InputError::file(path, format!("cannot open: {e}")))
    };
    let half = bytes / 2;
    // Pass 1.
    let mut blobs = Blobs::new(open()?);
    let mut merger = Merger::default();
    // (start, end) in the file of the blobs holding nodes.
    let mut node_blobs: Vec<(u64, u64)> = Vec::new();
    let mut told = 0u64;
    in_chunks(
        &mut || blobs.next(),
        &|i, kind, data| {
            decode(kind, data, opts).map_err(|e| format!("corrupt PBF block {i}: {e}"))
        },
        &mut |i, start, end, out: R<BlockOut>| {
            let out = out.map_err(|e| InputError::file(path, e))?;
            if out.has_nodes {
                node_blobs.push((start, end));
            }
            merger.push(i, out);
            if end - told >= 1 << 20 {
                told = end;
                progress(end.min(bytes) / 2, bytes);
            }
            Ok(())
        },
        &|i, e| {
            if i == 0 {
                format!("not an OSM file (neither PBF, OSM XML nor gzip): {e}")
            } else {
                format!("truncated or corrupt PBF (blob {i}): {e}")
            }
        },
        path,
    )?;
    let mut raw = merger.finish(path)?;
    progress(half, bytes);
    // Pass 2.
    let mut needed = Needed::of(&raw.ways, &raw.place_ways);
    if !needed.ids.is_empty() && !node_blobs.is_empty() {
        let node_bytes: u64 = node_blobs.iter().map(|(s, e)| e - s).sum::<u64>().max(1);
        let mut again = Blobs::new(open()?);
        let mut k = 0usize;
        let mut done = 0u64;
        let ids = &needed.ids;
        let pos = &mut needed.pos;
        in_chunks(
            &mut || {
                let &(start, end) = node_blobs.get(k)?;
                k += 1;
                Some(match again.at(start) {
                    Ok((_, _, _, b)) => (k - 1, start, end, b),
                    Err(e) => (k - 1, start, end, Err(e)),
                })
            },
            &|i, kind, data| {
                if kind != "OSMData" {
                    return Err(format!("blob {i} changed while reading"));
                }
                nodes_of(&inflate(data)?, ids).map_err(|e| format!("corrupt PBF block: {e}"))
            },
            &mut |_, start, end, found: R<Vec<(usize, [i32; 2])>>| {
                let found = found
                    .map_err(|e| InputError::file(path, format!("{e} (changed while reading?)")))?;
                // In file order: the first position of a node wins.
                for (i, p) in found {
                    if pos[i] == UNSET {
                        pos[i] = p;
                    }
                }
                done += end - start;
                progress(half + (bytes - half) * done / node_bytes, bytes);
                Ok(())
            },
            &|_, e| format!("changed while reading (second pass): {e}"),
            path,
        )?;
    }
    raw.needed = Some(needed);
    Ok(raw)
}

/// One blob as read: (index, start and end in the file, (type, Blob bytes) or the error).
type BlobAt = (usize, u64, u64, R<(String, Vec<u8>)>);
/// A blob read whole: (index, start, end, (type, Blob bytes)).
type BlobOk = (usize, u64, u64, (String, Vec<u8>));
/// Decodes one blob: (index, type, Blob bytes).
type Decode<'a, T> = &'a (dyn Fn(usize, &str, &[u8]) -> R<T> + Sync);

/// Blobs of a file, numbered, with their place in it; the first bad one ends the stream
/// (reading on past corruption could go on forever: a stream of zero bytes is an endless
/// run of empty blob headers).
struct Blobs {
    f: std::io::BufReader<std::fs::File>,
    pos: u64,
    index: usize,
    failed: bool,
}

impl Blobs {
    fn new(f: std::fs::File) -> Blobs {
        Blobs {
            f: std::io::BufReader::with_capacity(1 << 16, f),
            pos: 0,
            index: 0,
            failed: false,
        }
    }

    fn next(&mut self) -> Option<BlobAt> {
        if self.failed {
            return None;
        }
        let (i, start) = (self.index, self.pos);
        self.index += 1;
        match next_blob(&mut self.f) {
            Ok(None) => None,
            Ok(Some((kind, data, len))) => {
                self.pos += len;
                Some((i, start, self.pos, Ok((kind, data))))
            }
            Err(e) => {
                self.failed = true;
                Some((i, start, start, Err(e)))
            }
        }
    }

    /// The blob starting at `start` (at or after the current place).
    fn at(&mut self, start: u64) -> R<BlobAt> {
        if start < self.pos {
            return Err("blobs out of order".into());
        }
        self.f
            .seek_relative((start - self.pos) as i64)
            .map_err(|e| e.to_string())?;
        self.pos = start;
        self.failed = false;
        self.next().ok_or_else(|| "file ends early".to_string())
    }
}

/// Reads blobs with `next` in chunks, decodes each chunk in parallel and hands the results
/// to `apply` in file order; the first error in file order wins (a decoding error of an
/// earlier blob before the read error that ended the stream, named by `read_err`).
fn in_chunks<T: Send>(
    next: &mut dyn FnMut() -> Option<BlobAt>,
    decode: Decode<T>,
    apply: &mut dyn FnMut(usize, u64, u64, R<T>) -> Result<(), InputError>,
    read_err: &dyn Fn(usize, String) -> String,
    path: &Path,
) -> Result<(), InputError> {
    loop {
        let mut chunk: Vec<BlobOk> = Vec::new();
        let mut size = 0usize;
        let mut ended = None;
        let mut eof = false;
        while chunk.len() < CHUNK_BLOBS && size < CHUNK_BYTES {
            match next() {
                None => {
                    eof = true;
                    break;
                }
                Some((i, s, e, Ok(b))) => {
                    size += b.1.len();
                    chunk.push((i, s, e, b));
                }
                Some((i, _, _, Err(e))) => {
                    ended = Some(read_err(i, e));
                    break;
                }
            }
        }
        let outs: Vec<R<T>> = chunk
            .par_iter()
            .map(|(i, _, _, (kind, data))| decode(*i, kind, data))
            .collect();
        for ((i, s, e, _), out) in chunk.iter().zip(outs) {
            apply(*i, *s, *e, out)?;
        }
        if let Some(e) = ended {
            return Err(InputError::file(path, e));
        }
        if eof {
            return Ok(());
        }
    }
}

/// The next blob: (type, bytes of the Blob message, bytes taken from the file); `None` at
/// a clean end of file.
fn next_blob(f: &mut impl Read) -> R<Option<(String, Vec<u8>, u64)>> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match f.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err("file ends inside a blob header length".into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    let hlen = u32::from_be_bytes(len) as usize;
    if hlen == 0 {
        return Err("blob header of 0 bytes".into());
    }
    if hlen > MAX_HEADER {
        return Err(format!(
            "blob header of {hlen} bytes (at most {MAX_HEADER})"
        ));
    }
    let mut header = vec![0u8; hlen];
    f.read_exact(&mut header)
        .map_err(|_| "file ends inside a blob header".to_string())?;
    let mut pb = Pb::new(&header);
    let (mut kind, mut size) = (None, None);
    while !pb.done() {
        match pb.key()? {
            (1, 2) => kind = Some(String::from_utf8_lossy(pb.bytes()?).into_owned()),
            (3, 0) => size = Some(pb.varint()? as usize),
            (_, w) => pb.skip(w)?,
        }
    }
    let (kind, size) = (
        kind.ok_or("blob header without a type")?,
        size.ok_or("blob header without a size")?,
    );
    if size > MAX_BLOB {
        return Err(format!("blob of {size} bytes (at most {MAX_BLOB})"));
    }
    let mut data = vec![0u8; size];
    f.read_exact(&mut data)
        .map_err(|_| "file ends inside a blob".to_string())?;
    Ok(Some((kind, data, (4 + hlen + size) as u64)))
}

/// The block inside a Blob message, inflated.
fn inflate(blob: &[u8]) -> R<Vec<u8>> {
    let mut pb = Pb::new(blob);
    let (mut raw, mut zlib, mut raw_size) = (None, None, 0usize);
    while !pb.done() {
        match pb.key()? {
            (1, 2) => raw = Some(pb.bytes()?),
            (2, 0) => raw_size = pb.varint()? as usize,
            (3, 2) => zlib = Some(pb.bytes()?),
            (4 | 6 | 7, 2) => {
                return Err("lzma, lz4 and zstd blobs are not supported; use zlib".into())
            }
            (_, w) => pb.skip(w)?,
        }
    }
    if let Some(r) = raw {
        return Ok(r.to_vec());
    }
    let z = zlib.ok_or("blob without data")?;
    if raw_size > MAX_BLOB {
        return Err(format!("block of {raw_size} bytes (at most {MAX_BLOB})"));
    }
    let mut out = Vec::with_capacity(raw_size);
    flate2::read::ZlibDecoder::new(z)
        .take(MAX_BLOB as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("zlib: {e}"))?;
    if out.len() != raw_size {
        return Err(format!(
            "inflated to {} bytes, the blob says {raw_size}",
            out.len()
        ));
    }
    Ok(out)
}

fn decode(kind: &str, blob: &[u8], opts: &OsmReadOptions) -> R<BlockOut> {
    match kind {
        "OSMHeader" => header(&inflate(blob)?),
        "OSMData" => primitive(&inflate(blob)?, opts),
        _ => Ok(BlockOut::default()),
    }
}

fn header(b: &[u8]) -> R<BlockOut> {
    let mut pb = Pb::new(b);
    let mut out = BlockOut {
        is_header: true,
        ..Default::default()
    };
    while !pb.done() {
        match pb.key()? {
            (1, 2) => {
                let mut bb = Pb::new(pb.bytes()?);
                let mut v = [0i64; 4];
                while !bb.done() {
                    match bb.key()? {
                        (f @ 1..=4, 0) => v[f as usize - 1] = zigzag(bb.varint()?),
                        (_, w) => bb.skip(w)?,
                    }
                }
                let d = |x: i64| x as f64 * 1e-9;
                let (l, r, t, btm) = (d(v[0]), d(v[1]), d(v[2]), d(v[3]));
                out.bounds = Some([l.min(r), t.min(btm), l.max(r), t.max(btm)]);
            }
            (4, 2) => {
                let f = String::from_utf8_lossy(pb.bytes()?).into_owned();
                if !matches!(
                    f.as_str(),
                    "OsmSchema-V0.6" | "DenseNodes" | "Sort.Type_then_ID" | "LocationsOnWays"
                ) {
                    return Err(format!("PBF requires unsupported feature {f:?}"));
                }
            }
            (_, w) => pb.skip(w)?,
        }
    }
    Ok(out)
}

/// Decimicro degrees (1e-7) of a coordinate in the block's units, range-checked.
fn e7(offset: i64, gran: i64, v: i64, max: i64) -> R<i32> {
    let nano = offset.wrapping_add(gran.wrapping_mul(v));
    let d = nano / 100;
    if d.abs() > max {
        return Err(format!("coordinate {} out of range", nano as f64 * 1e-9));
    }
    Ok(d as i32)
}

struct Block<'a> {
    strings: Vec<&'a [u8]>,
    gran: i64,
    lat_off: i64,
    lon_off: i64,
}

impl<'a> Block<'a> {
    fn str(&self, i: u64) -> Option<&'a str> {
        self.strings
            .get(i as usize)
            .and_then(|s| std::str::from_utf8(s).ok())
    }
    fn index_of(&self, key: &[u8]) -> Option<u64> {
        self.strings
            .iter()
            .position(|s| *s == key)
            .map(|i| i as u64)
    }
    fn pos(&self, lon: i64, lat: i64) -> R<[i32; 2]> {
        Ok([
            e7(self.lon_off, self.gran, lon, 1_800_000_000)?,
            e7(self.lat_off, self.gran, lat, 900_000_000)?,
        ])
    }
}

fn primitive(b: &[u8], opts: &OsmReadOptions) -> R<BlockOut> {
    let mut pb = Pb::new(b);
    let mut blk = Block {
        strings: Vec::new(),
        gran: 100,
        lat_off: 0,
        lon_off: 0,
    };
    let mut groups = Vec::new();
    while !pb.done() {
        match pb.key()? {
            (1, 2) => {
                let mut st = Pb::new(pb.bytes()?);
                while !st.done() {
                    match st.key()? {
                        (1, 2) => blk.strings.push(st.bytes()?),
                        (_, w) => st.skip(w)?,
                    }
                }
            }
            (2, 2) => groups.push(pb.bytes()?),
            (17, 0) => blk.gran = pb.varint()? as i64,
            (19, 0) => blk.lat_off = pb.varint()? as i64,
            (20, 0) => blk.lon_off = pb.varint()? as i64,
            (_, w) => pb.skip(w)?,
        }
    }
    let place_k = blk.index_of(b"place");
    let way_keys: Vec<u64> = [
        &b"highway"[..],
        b"power",
        b"railway",
        b"telecom",
        b"communication",
        b"place",
    ]
    .iter()
    .filter_map(|k| blk.index_of(k))
    .collect();
    let mut out = BlockOut::default();
    for g in groups {
        let mut gp = Pb::new(g);
        while !gp.done() {
            match gp.key()? {
                (1, 2) => node(&blk, gp.bytes()?, place_k, opts, &mut out)?,
                (2, 2) => dense(&blk, gp.bytes()?, place_k, opts, &mut out)?,
                (3, 2) => way(&blk, gp.bytes()?, &way_keys, opts, &mut out)?,
                (4, 2) => {
                    gp.bytes()?;
                    out.n_relations += 1;
                }
                (_, w) => gp.skip(w)?,
            }
        }
    }
    Ok(out)
}

/// The second pass over a block: the positions of its nodes whose ids are in `ids`, as
/// (index in `ids`, position), in block order.
fn nodes_of(b: &[u8], ids: &[i64]) -> R<Vec<(usize, [i32; 2])>> {
    let mut pb = Pb::new(b);
    let mut blk = Block {
        strings: Vec::new(),
        gran: 100,
        lat_off: 0,
        lon_off: 0,
    };
    let mut groups = Vec::new();
    while !pb.done() {
        match pb.key()? {
            (2, 2) => groups.push(pb.bytes()?),
            (17, 0) => blk.gran = pb.varint()? as i64,
            (19, 0) => blk.lat_off = pb.varint()? as i64,
            (20, 0) => blk.lon_off = pb.varint()? as i64,
            (_, w) => pb.skip(w)?,
        }
    }
    let mut found = Vec::new();
    let mut hint = 0usize;
    let mut first = true;
    let mut keep = |id: i64, lon: i64, lat: i64, found: &mut Vec<_>| -> R<()> {
        if first {
            hint = ids.partition_point(|&x| x < id);
            first = false;
        }
        if let Some(i) = find_near(ids, id, &mut hint) {
            found.push((i, blk.pos(lon, lat)?));
        }
        Ok(())
    };
    for g in groups {
        let mut gp = Pb::new(g);
        while !gp.done() {
            match gp.key()? {
                (1, 2) => {
                    let mut pb = Pb::new(gp.bytes()?);
                    let (mut id, mut lat, mut lon) = (0, 0, 0);
                    while !pb.done() {
                        match pb.key()? {
                            (1, 0) => id = zigzag(pb.varint()?),
                            (8, 0) => lat = zigzag(pb.varint()?),
                            (9, 0) => lon = zigzag(pb.varint()?),
                            (_, w) => pb.skip(w)?,
                        }
                    }
                    keep(id, lon, lat, &mut found)?;
                }
                (2, 2) => {
                    let mut pb = Pb::new(gp.bytes()?);
                    let (mut i, mut la, mut lo) = (Vec::new(), Vec::new(), Vec::new());
                    while !pb.done() {
                        match pb.key()? {
                            (1, w) => rep(&mut pb, w, &mut i)?,
                            (8, w) => rep(&mut pb, w, &mut la)?,
                            (9, w) => rep(&mut pb, w, &mut lo)?,
                            (_, w) => pb.skip(w)?,
                        }
                    }
                    let (mut ii, mut la, mut lo) =
                        (RepIter::new(&i), RepIter::new(&la), RepIter::new(&lo));
                    let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
                    while let Some(di) = ii.next_value()? {
                        let (Some(dla), Some(dlo)) = (la.next_value()?, lo.next_value()?) else {
                            return Err("dense nodes with fewer positions than ids".into());
                        };
                        id = id.wrapping_add(zigzag(di));
                        lat = lat.wrapping_add(zigzag(dla));
                        lon = lon.wrapping_add(zigzag(dlo));
                        keep(id, lon, lat, &mut found)?;
                    }
                }
                (_, w) => gp.skip(w)?,
            }
        }
    }
    Ok(found)
}

fn tags<'a>(blk: &Block<'a>, keys: &[Rep<'a>], vals: &[Rep<'a>]) -> R<Tags<'a>> {
    let mut t = Tags::default();
    let (mut k, mut v) = (RepIter::new(keys), RepIter::new(vals));
    while let (Some(ki), Some(vi)) = (k.next_value()?, v.next_value()?) {
        if let (Some(ks), Some(vs)) = (blk.str(ki), blk.str(vi)) {
            t.set(ks, vs);
        }
    }
    Ok(t)
}

fn push_place(out: &mut BlockOut, t: &Tags, id: i64, pos: [i32; 2], opts: &OsmReadOptions) {
    if let Some(p) = t.place.filter(|p| opts.wants_place(p)) {
        out.places
            .push(t.place(id, OsmElement::Node, p, super::from_e7(pos)));
    }
}

fn node(
    blk: &Block,
    b: &[u8],
    place_k: Option<u64>,
    opts: &OsmReadOptions,
    out: &mut BlockOut,
) -> R<()> {
    let mut pb = Pb::new(b);
    let (mut id, mut lat, mut lon) = (0, 0, 0);
    let (mut keys, mut vals) = (Vec::new(), Vec::new());
    while !pb.done() {
        match pb.key()? {
            (1, 0) => id = zigzag(pb.varint()?),
            (2, w) => rep(&mut pb, w, &mut keys)?,
            (3, w) => rep(&mut pb, w, &mut vals)?,
            (8, 0) => lat = zigzag(pb.varint()?),
            (9, 0) => lon = zigzag(pb.varint()?),
            (_, w) => pb.skip(w)?,
        }
    }
    let pos = blk.pos(lon, lat)?;
    out.n_nodes += 1;
    out.has_nodes = true;
    if let Some(pk) = place_k {
        let mut k = RepIter::new(&keys);
        while let Some(ki) = k.next_value()? {
            if ki == pk {
                let t = tags(blk, &keys, &vals)?;
                push_place(out, &t, id, pos, opts);
                break;
            }
        }
    }
    Ok(())
}

fn dense(
    blk: &Block,
    b: &[u8],
    place_k: Option<u64>,
    opts: &OsmReadOptions,
    out: &mut BlockOut,
) -> R<()> {
    let mut pb = Pb::new(b);
    let (mut ids, mut lats, mut lons, mut kvs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    while !pb.done() {
        match pb.key()? {
            (1, w) => rep(&mut pb, w, &mut ids)?,
            (8, w) => rep(&mut pb, w, &mut lats)?,
            (9, w) => rep(&mut pb, w, &mut lons)?,
            (10, w) => rep(&mut pb, w, &mut kvs)?,
            (_, w) => pb.skip(w)?,
        }
    }
    let (mut ii, mut la, mut lo) = (RepIter::new(&ids), RepIter::new(&lats), RepIter::new(&lons));
    let mut kv = RepIter::new(&kvs);
    let has_tags = !kv.is_empty();
    let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
    while let Some(di) = ii.next_value()? {
        let (Some(dla), Some(dlo)) = (la.next_value()?, lo.next_value()?) else {
            return Err("dense nodes with fewer positions than ids".into());
        };
        id = id.wrapping_add(zigzag(di));
        lat = lat.wrapping_add(zigzag(dla));
        lon = lon.wrapping_add(zigzag(dlo));
        let pos = blk.pos(lon, lat)?;
        out.n_nodes += 1;
        out.has_nodes = true;
        if has_tags {
            // This node's key/value pairs, up to a 0.
            let mut t: Option<Tags> = None;
            let mut is_place = false;
            let mut pairs: Vec<(u64, u64)> = Vec::new();
            while let Some(k) = kv.next_value()? {
                if k == 0 {
                    break;
                }
                let v = kv.next_value()?.ok_or("dense key without a value")?;
                is_place |= Some(k) == place_k;
                pairs.push((k, v));
            }
            if is_place {
                let mut tt = Tags::default();
                for (k, v) in pairs {
                    if let (Some(ks), Some(vs)) = (blk.str(k), blk.str(v)) {
                        tt.set(ks, vs);
                    }
                }
                t = Some(tt);
            }
            if let Some(t) = t {
                push_place(out, &t, id, pos, opts);
            }
        }
    }
    Ok(())
}

fn way(
    blk: &Block,
    b: &[u8],
    way_keys: &[u64],
    opts: &OsmReadOptions,
    out: &mut BlockOut,
) -> R<()> {
    out.n_ways += 1;
    if way_keys.is_empty() {
        return Ok(());
    }
    let mut pb = Pb::new(b);
    let mut id = 0i64;
    let (mut keys, mut vals, mut refs, mut lats, mut lons) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    while !pb.done() {
        match pb.key()? {
            (1, 0) => id = pb.varint()? as i64,
            (2, w) => rep(&mut pb, w, &mut keys)?,
            (3, w) => rep(&mut pb, w, &mut vals)?,
            (8, w) => rep(&mut pb, w, &mut refs)?,
            (9, w) => rep(&mut pb, w, &mut lats)?,
            (10, w) => rep(&mut pb, w, &mut lons)?,
            (_, w) => pb.skip(w)?,
        }
    }
    let mut k = RepIter::new(&keys);
    let mut any = false;
    while let Some(ki) = k.next_value()? {
        if way_keys.contains(&ki) {
            any = true;
            break;
        }
    }
    if !any {
        return Ok(());
    }
    let t = tags(blk, &keys, &vals)?;
    let corridor = t.corridor(opts);
    let place = t.place.filter(|p| opts.wants_place(p));
    if corridor.is_none() && place.is_none() {
        return Ok(());
    }
    let mut ids = Vec::new();
    let mut r = RepIter::new(&refs);
    let mut cur = 0i64;
    while let Some(d) = r.next_value()? {
        cur = cur.wrapping_add(zigzag(d));
        ids.push(cur);
    }
    // LocationsOnWays: positions on the way stand in for missing nodes (real ones win).
    let (mut la, mut lo) = (RepIter::new(&lats), RepIter::new(&lons));
    if !la.is_empty() {
        let (mut lat, mut lon) = (0i64, 0i64);
        for &nid in &ids {
            let (Some(dla), Some(dlo)) = (la.next_value()?, lo.next_value()?) else {
                return Err(format!("way {id}: fewer locations than nodes"));
            };
            lat = lat.wrapping_add(zigzag(dla));
            lon = lon.wrapping_add(zigzag(dlo));
            out.nodes.push((nid, blk.pos(lon, lat)?));
        }
    }
    if let Some((kind, class)) = corridor {
        out.ways.push((t.way_head(id, kind, class), ids.clone()));
    }
    if let Some(p) = place {
        if ids.len() >= 4 && ids.first() == ids.last() {
            out.place_ways
                .push((t.place(id, OsmElement::Way, p, [0.0, 0.0]), ids));
        }
    }
    Ok(())
}
