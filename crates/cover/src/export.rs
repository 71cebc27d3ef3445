//! The set-cover text format of issue 15 (`--export-cover FILE`): a writer and a strict
//! parser, so that an outside greedy (`scripts/greedy_cover.py`) can reproduce the coverage
//! sets.
//!
//! ```text
//! # comment lines start with '#'; an optional "# target_m T" states the target in metres
//! candidates N
//! C id cost_kzt new lon lat height_m       (N lines; new is 0 or 1; existing sites cost 0)
//! segments M
//! S id km lon lat                          (M lines; the segment's midpoint; km with up to 3 decimals)
//! covers
//! V candidate_id segment_id segment_id ... (N lines, in candidate order)
//! ```
//!
//! Ids are non-empty strings without whitespace, unique within candidates and within
//! segments. Fields are separated by single spaces or tabs (any run of whitespace is
//! accepted). Lengths are written in km with exactly three decimals, so metres survive the
//! round trip exactly. Blank lines are ignored. The parser rejects anything else with the
//! 1-based line number and the problem.

use std::collections::BTreeMap;
use std::io::{self, Write};

use thiserror::Error;

/// A candidate site as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportCandidate {
    /// Identifier (no whitespace).
    pub id: String,
    /// Cost in tenge; 0 for existing sites.
    pub cost_kzt: u64,
    /// A new site (true) or an existing one (false, cost 0).
    pub new: bool,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Antenna height above ground, metres.
    pub height_m: f64,
}

/// A road segment as exported.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportSegment {
    /// Identifier (no whitespace).
    pub id: String,
    /// Length in metres (written as km with three decimals).
    pub metres: u64,
    /// Longitude of the midpoint, WGS84 degrees.
    pub lon: f64,
    /// Latitude of the midpoint, WGS84 degrees.
    pub lat: f64,
}

/// A malformed export file: where and what.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {problem}")]
pub struct ParseError {
    /// 1-based line number (the last line + 1 for a missing section at the end).
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

/// Everything a parsed export holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedExport {
    /// Candidates in file order.
    pub candidates: Vec<ExportCandidate>,
    /// Segments in file order.
    pub segments: Vec<ExportSegment>,
    /// Per candidate: indices of the segments it covers, ascending.
    pub sets: Vec<Vec<u32>>,
    /// The target from a `# target_m T` comment, if present.
    pub target_m: Option<u64>,
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

fn check_id(id: &str, what: &str) -> io::Result<()> {
    if id.is_empty() || id.chars().any(char::is_whitespace) || id.starts_with('#') {
        return Err(invalid(format!(
            "{what} id {id:?} is empty, contains whitespace or starts with '#'"
        )));
    }
    Ok(())
}

/// Writes the export without a target line. See [`write_export_with_target`].
pub fn write_export(
    w: &mut impl Write,
    cands: &[ExportCandidate],
    segs: &[ExportSegment],
    sets: &[Vec<u32>],
) -> io::Result<()> {
    write_export_with_target(w, cands, segs, sets, None)
}

/// Writes the export, with a `# target_m T` comment when `target_m` is given.
///
/// # Errors
/// `InvalidInput` if an id is empty, has whitespace or starts with `#`, the number of sets
/// differs from the number of candidates, a set names a segment out of range, an existing
/// site has a cost, or a coordinate is not finite; otherwise the writer's errors.
pub fn write_export_with_target(
    w: &mut impl Write,
    cands: &[ExportCandidate],
    segs: &[ExportSegment],
    sets: &[Vec<u32>],
    target_m: Option<u64>,
) -> io::Result<()> {
    if sets.len() != cands.len() {
        return Err(invalid(format!(
            "{} candidates but {} coverage sets",
            cands.len(),
            sets.len()
        )));
    }
    writeln!(w, "# fiberplan set-cover export (issue 15)")?;
    writeln!(
        w,
        "# candidates N / C id cost_kzt new(0|1) lon lat height_m; segments M / S id km lon lat;"
    )?;
    writeln!(
        w,
        "# covers / V candidate_id segment_id ... (one line per candidate, candidate order)"
    )?;
    if let Some(t) = target_m {
        writeln!(w, "# target_m {t}")?;
    }
    writeln!(w, "candidates {}", cands.len())?;
    for c in cands {
        check_id(&c.id, "candidate")?;
        if !c.new && c.cost_kzt != 0 {
            return Err(invalid(format!(
                "existing candidate {} has cost {}",
                c.id, c.cost_kzt
            )));
        }
        if !(c.lon.is_finite() && c.lat.is_finite() && c.height_m.is_finite()) {
            return Err(invalid(format!("candidate {}: non-finite number", c.id)));
        }
        writeln!(
            w,
            "C {} {} {} {} {} {}",
            c.id,
            c.cost_kzt,
            u8::from(c.new),
            c.lon,
            c.lat,
            c.height_m
        )?;
    }
    writeln!(w, "segments {}", segs.len())?;
    for s in segs {
        check_id(&s.id, "segment")?;
        if !(s.lon.is_finite() && s.lat.is_finite()) {
            return Err(invalid(format!("segment {}: non-finite number", s.id)));
        }
        writeln!(
            w,
            "S {} {}.{:03} {} {}",
            s.id,
            s.metres / 1000,
            s.metres % 1000,
            s.lon,
            s.lat
        )?;
    }
    writeln!(w, "covers")?;
    for (c, set) in cands.iter().zip(sets) {
        write!(w, "V {}", c.id)?;
        for &e in set {
            let seg = segs.get(e as usize).ok_or_else(|| {
                invalid(format!(
                    "candidate {} covers segment {e} of {}",
                    c.id,
                    segs.len()
                ))
            })?;
            write!(w, " {}", seg.id)?;
        }
        writeln!(w)?;
    }
    Ok(())
}

/// Candidates, segments and per-candidate segment indices, as [`parse_export`] returns them.
pub type Export = (Vec<ExportCandidate>, Vec<ExportSegment>, Vec<Vec<u32>>);

/// Parses an export (strict; see the module documentation), dropping the target line.
pub fn parse_export(text: &str) -> Result<Export, ParseError> {
    let p = parse_export_full(text)?;
    Ok((p.candidates, p.segments, p.sets))
}

/// Parses km with at most three decimals into metres, exactly.
fn parse_km(s: &str) -> Result<u64, String> {
    let bad = || format!("bad length {s:?} (km, a non-negative decimal with at most 3 decimals)");
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > 3
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (s.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let km: u64 = int.parse().map_err(|_| bad())?;
    let mut m: u64 = 0;
    for (k, b) in frac.bytes().enumerate() {
        m += u64::from(b - b'0') * [100, 10, 1][k];
    }
    km.checked_mul(1000)
        .and_then(|x| x.checked_add(m))
        .ok_or_else(|| format!("length {s} km too large"))
}

fn parse_f64(s: &str, what: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("bad {what} {s:?} (not a number)"))?;
    if !v.is_finite() {
        return Err(format!("bad {what} {s:?} (not finite)"));
    }
    Ok(v)
}

fn parse_lon_lat(lon: &str, lat: &str) -> Result<(f64, f64), String> {
    let lon = parse_f64(lon, "longitude")?;
    let lat = parse_f64(lat, "latitude")?;
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} outside [-180, 180]"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} outside [-90, 90]"));
    }
    Ok((lon, lat))
}

/// Parses an export (strict; see the module documentation), with the optional target.
///
/// # Errors
/// A [`ParseError`] naming the 1-based line: a missing or misplaced section header, a count
/// that disagrees with the lines that follow, a wrong number of fields, a bad or negative
/// number, `new` not 0 or 1, an existing site with a cost, a duplicate id, a `V` line for
/// the wrong candidate, an unknown or repeated segment id.
pub fn parse_export_full(text: &str) -> Result<ParsedExport, ParseError> {
    let mut target_m = None;
    let mut lines = Vec::new();
    let mut last_line = 0;
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        last_line = line;
        let t = raw.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(c) = t.strip_prefix('#') {
            let f: Vec<&str> = c.split_whitespace().collect();
            if f.first() == Some(&"target_m") {
                if f.len() != 2 {
                    return Err(err(line, "expected \"# target_m T\"".into()));
                }
                let v = f[1].parse::<u64>().map_err(|_| {
                    err(
                        line,
                        format!("bad target {:?} (metres, an integer >= 0)", f[1]),
                    )
                })?;
                if target_m.replace(v).is_some() {
                    return Err(err(line, "second target_m line".into()));
                }
            }
            continue;
        }
        lines.push((line, t.split_whitespace().collect::<Vec<&str>>()));
    }
    let end = last_line + 1;
    let mut it = lines.into_iter().peekable();

    let header = |it: &mut std::iter::Peekable<std::vec::IntoIter<(usize, Vec<&str>)>>,
                  name: &str|
     -> Result<(usize, usize), ParseError> {
        let Some((line, f)) = it.next() else {
            return Err(err(end, format!("missing \"{name} N\" section header")));
        };
        if f[0] != name || f.len() != 2 {
            return Err(err(
                line,
                format!("expected \"{name} N\", found {:?}", f.join(" ")),
            ));
        }
        let n = f[1]
            .parse::<usize>()
            .map_err(|_| err(line, format!("bad count {:?}", f[1])))?;
        Ok((line, n))
    };

    let (_, n) = header(&mut it, "candidates")?;
    let mut candidates = Vec::with_capacity(n.min(1 << 20));
    let mut cand_ids: BTreeMap<String, usize> = BTreeMap::new();
    for k in 0..n {
        let Some((line, f)) = it.next() else {
            return Err(err(
                end,
                format!("{n} candidates announced, only {k} given"),
            ));
        };
        if f[0] != "C" {
            return Err(err(
                line,
                format!(
                    "{n} candidates announced, only {k} given (found {:?})",
                    f[0]
                ),
            ));
        }
        if f.len() != 7 {
            return Err(err(
                line,
                format!(
                    "a C line has 7 fields (C id cost_kzt new lon lat height_m), found {}",
                    f.len()
                ),
            ));
        }
        let id = f[1].to_string();
        let cost_kzt = if f[2].starts_with('-') {
            return Err(err(line, format!("negative cost {}", f[2])));
        } else {
            f[2].parse::<u64>().map_err(|_| {
                err(
                    line,
                    format!("bad cost {:?} (tenge, an integer >= 0)", f[2]),
                )
            })?
        };
        let new = match f[3] {
            "0" => false,
            "1" => true,
            o => return Err(err(line, format!("bad new flag {o:?} (0 or 1)"))),
        };
        if !new && cost_kzt != 0 {
            return Err(err(
                line,
                format!("existing site {id} has cost {cost_kzt}; existing sites cost 0"),
            ));
        }
        let (lon, lat) = parse_lon_lat(f[4], f[5]).map_err(|p| err(line, p))?;
        let height_m = parse_f64(f[6], "height").map_err(|p| err(line, p))?;
        if cand_ids.insert(id.clone(), k).is_some() {
            return Err(err(line, format!("duplicate candidate id {id}")));
        }
        candidates.push(ExportCandidate {
            id,
            cost_kzt,
            new,
            lon,
            lat,
            height_m,
        });
    }

    let (_, m) = header(&mut it, "segments")?;
    let mut segments = Vec::with_capacity(m.min(1 << 22));
    let mut seg_ids: BTreeMap<&str, u32> = BTreeMap::new();
    for k in 0..m {
        let Some((line, f)) = it.next() else {
            return Err(err(end, format!("{m} segments announced, only {k} given")));
        };
        if f[0] != "S" {
            return Err(err(
                line,
                format!("{m} segments announced, only {k} given (found {:?})", f[0]),
            ));
        }
        if f.len() != 5 {
            return Err(err(
                line,
                format!(
                    "an S line has 5 fields (S id km lon lat), found {}",
                    f.len()
                ),
            ));
        }
        let metres = parse_km(f[2]).map_err(|p| err(line, p))?;
        let (lon, lat) = parse_lon_lat(f[3], f[4]).map_err(|p| err(line, p))?;
        let idx = u32::try_from(k).map_err(|_| err(line, "too many segments".into()))?;
        if seg_ids.insert(f[1], idx).is_some() {
            return Err(err(line, format!("duplicate segment id {}", f[1])));
        }
        segments.push(ExportSegment {
            id: f[1].to_string(),
            metres,
            lon,
            lat,
        });
    }

    match it.next() {
        Some((_, f)) if f.len() == 1 && f[0] == "covers" => {}
        Some((line, f)) => {
            return Err(err(
                line,
                format!("expected \"covers\", found {:?}", f.join(" ")),
            ))
        }
        None => return Err(err(end, "missing \"covers\" section header".into())),
    }
    let mut sets = Vec::with_capacity(n.min(1 << 20));
    for c in &candidates {
        let Some((line, f)) = it.next() else {
            return Err(err(
                end,
                format!("{} V lines expected, only {} given", n, sets.len()),
            ));
        };
        if f[0] != "V" || f.len() < 2 {
            return Err(err(line, format!("expected \"V {} segment_id ...\"", c.id)));
        }
        if f[1] != c.id {
            let problem = if cand_ids.contains_key(f[1]) {
                format!(
                    "V line for candidate {} out of order (expected {})",
                    f[1], c.id
                )
            } else {
                format!("unknown candidate id {} (expected {})", f[1], c.id)
            };
            return Err(err(line, problem));
        }
        let mut set = Vec::with_capacity(f.len() - 2);
        for s in &f[2..] {
            let Some(&e) = seg_ids.get(s) else {
                return Err(err(line, format!("unknown segment id {s}")));
            };
            set.push(e);
        }
        set.sort_unstable();
        if let Some(w) = set.windows(2).find(|w| w[0] == w[1]) {
            return Err(err(
                line,
                format!("segment {} listed twice", segments[w[0] as usize].id),
            ));
        }
        sets.push(set);
    }
    if let Some((line, f)) = it.next() {
        return Err(err(
            line,
            format!(
                "unexpected line after the covers section: {:?}",
                f.join(" ")
            ),
        ));
    }
    Ok(ParsedExport {
        candidates,
        segments,
        sets,
        target_m,
    })
}

fn err(line: usize, problem: String) -> ParseError {
    ParseError { line, problem }
}

impl ParsedExport {
    /// The cover instance of this export: costs, segment metres, sets, and the given target
    /// (or the file's `target_m`, or 0).
    pub fn instance(&self, target: Option<u64>) -> crate::Instance {
        crate::Instance {
            costs: self.candidates.iter().map(|c| c.cost_kzt).collect(),
            weights: self.segments.iter().map(|s| s.metres).collect(),
            sets: self.sets.clone(),
            target: target.or(self.target_m).unwrap_or(0),
        }
    }
}
