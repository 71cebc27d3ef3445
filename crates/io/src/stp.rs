//! SteinLib STP and PACE 2018 `.gr` instances: reading and writing.
//!
//! Sections `SECTION <name>` ... `END`, names and keywords case-insensitive, fields split
//! on spaces or tabs, `#` starts a comment, `EOF` ends the file, unknown sections (Comment,
//! Coordinates, Presolve, Tree Decomposition ...) are skipped. Section Graph: `Nodes n`,
//! `Edges m` (or `Arcs m`), `E u v w` (or `A u v w`, read as an undirected edge). Section
//! Terminals: `Terminals k`, `T v`, `Root r` (a rooted instance; the root is a terminal),
//! `RootP r` (the root of a rooted prize-collecting instance), `TP v p` (a node with a
//! prize). Node ids are 1-based in files and 0-based inside.
//!
//! Numbers may be decimals (`E 1 513 1.000000`, `TP 738 113110.316273`). They are read
//! exactly as fixed point: the file's largest number of decimal places sets one scale
//! (`10^decimals`) for all its weights and prizes, so internal values are integers and
//! [`StpInstance::format_value`] prints a value back in the file's own units.

use crate::{InputError, Where};
use fiberplan_steiner::{Cost, Graph, Instance, NodeId};
use std::path::Path;

/// A problem in an STP or `.gr` text: the 1-based line and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct StpError {
    /// 1-based line number (0 when the problem is the file as a whole).
    pub line: usize,
    /// What is wrong, one line.
    pub problem: String,
}

impl StpError {
    fn new(line: usize, problem: impl Into<String>) -> Self {
        StpError {
            line,
            problem: problem.into(),
        }
    }

    /// The same problem as an [`InputError`] naming `path`.
    pub fn at(self, path: &Path) -> InputError {
        let place = if self.line == 0 {
            Where::File
        } else {
            Where::Line(self.line as u64)
        };
        InputError::new(path, place, self.problem)
    }
}

/// A parsed instance with its fixed-point scale.
#[derive(Clone, Debug)]
pub struct StpInstance {
    /// Graph, terminals, root and prizes in internal (scaled, 0-based) form.
    pub instance: Instance,
    /// Number of decimal places of the file's numbers: internal = file value * 10^decimals.
    pub decimals: u32,
    /// `Name` from the Comment section, when present.
    pub name: Option<String>,
    /// True when the file has prizes (`TP` lines) and so is prize-collecting.
    pub prize_collecting: bool,
}

impl StpInstance {
    /// `value` (internal, scaled) in the file's own units, exactly.
    pub fn format_value(&self, value: Cost) -> String {
        format_fixed(value, self.decimals)
    }

    /// A warning when the prizes and edge costs of a prize-collecting instance look like
    /// different units, so that the problem is trivial: every prize below the cheapest edge
    /// (no edge can pay for itself: the best tree is one vertex), or every positive prize
    /// above the total cost of all edges (every prize vertex is worth any path: a Steiner
    /// tree on them all). Prizes in households against costs in metres, or in tenge
    /// against costs in thousands of tenge, give one of these.
    pub fn units_warning(&self) -> Option<String> {
        if !self.prize_collecting {
            return None;
        }
        let g = &self.instance.graph;
        let costs = g.edges().iter().map(|e| e.2);
        let (min_edge, total) = costs.fold((Cost::MAX, 0 as Cost), |(m, t), c| {
            (m.min(c), t.saturating_add(c))
        });
        let prizes: Vec<Cost> = self
            .instance
            .prize_vec()
            .into_iter()
            .filter(|&p| p > 0)
            .collect();
        let (Some(&max_p), Some(&min_p)) = (prizes.iter().max(), prizes.iter().min()) else {
            return None;
        };
        if g.num_edges() == 0 || prizes.len() < 2 {
            return None;
        }
        let f = |v: Cost| self.format_value(v);
        if max_p < min_edge {
            Some(format!(
                "every prize is below the cheapest edge (largest prize {}, cheapest edge {}): no edge pays for itself and the best tree is one vertex; are prizes and costs in the same units?",
                f(max_p),
                f(min_edge)
            ))
        } else if min_p > total {
            Some(format!(
                "every prize is above the total cost of all edges (smallest prize {}, all edges {}): every prize vertex is connected whatever it costs; are prizes and costs in the same units?",
                f(min_p),
                f(total)
            ))
        } else {
            None
        }
    }
}

/// Prints a scaled integer as a decimal with `decimals` places.
pub fn format_fixed(value: Cost, decimals: u32) -> String {
    if decimals == 0 {
        return value.to_string();
    }
    let scale = 10i128.pow(decimals);
    let v = value as i128;
    let sign = if v < 0 { "-" } else { "" };
    let a = v.abs();
    format!(
        "{sign}{}.{:0width$}",
        a / scale,
        a % scale,
        width = decimals as usize
    )
}

/// Reads and parses a file; errors name the file and the line.
pub fn read_stp(path: &Path) -> Result<StpInstance, InputError> {
    let text = crate::text::read_text_bounded(path, crate::text::LIMIT_STP)?;
    parse_stp(&text).map_err(|e| e.at(path))
}

/// Parses a PACE 2018 `.gr` text (the STP dialect with `SECTION Graph` and
/// `SECTION Terminals`); the same reader as [`parse_stp`].
pub fn parse_gr(text: &str) -> Result<StpInstance, StpError> {
    parse_stp(text)
}

/// The most nodes an instance may declare: the graph is allocated for all of them, so a
/// stray digit must not ask for gigabytes (the largest public instances have ~10^6).
pub const MAX_NODES: usize = 100_000_000;

/// How many nodes a file may declare per edge or terminal line it gives (plus one): real
/// instances declare about two per edge, so this leaves room for isolated nodes while a
/// short file cannot make the reader allocate for millions.
pub const NODES_PER_LINE: usize = 64;

/// The most all weights and prizes of an instance may add up to (internal units): a quarter
/// of `Cost::MAX`, so that sums and doubled prizes inside the solvers cannot overflow.
pub const MAX_TOTAL: Cost = Cost::MAX / 4;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Graph,
    Terminals,
    Comment,
    Skipped,
}

/// Parses a SteinLib STP (or PACE `.gr`) text.
///
/// # Errors
/// A [`StpError`] with the line for: unknown keywords inside Graph or Terminals, missing
/// or malformed fields, node ids outside `1..=Nodes`, negative or non-decimal numbers,
/// numbers too large for the fixed-point scale, an `Edges` count that does not match the lines given, a missing `Nodes` line, an unterminated section.
///
/// # Example
/// ```
/// let text = "SECTION Graph\nNodes 3\nEdges 2\nE 1 2 1.5\nE 2 3 2\nEND\n\
///             SECTION Terminals\nTerminals 2\nT 1\nT 3\nEND\nEOF\n";
/// let inst = fiberplan_io::stp::parse_stp(text).unwrap();
/// assert_eq!(inst.decimals, 1);
/// assert_eq!(inst.instance.graph.edge(0), (0, 1, 15));
/// assert_eq!(inst.format_value(35), "3.5");
/// ```
pub fn parse_stp(text: &str) -> Result<StpInstance, StpError> {
    // Pass 1: the largest number of decimal places among weights and prizes.
    let mut decimals = 0u32;
    for line in text.lines() {
        let body = strip_comment(line);
        let mut it = body.split_whitespace();
        let Some(kw) = it.next() else { continue };
        let field = if kw.eq_ignore_ascii_case("E") || kw.eq_ignore_ascii_case("A") {
            it.nth(2)
        } else if kw.eq_ignore_ascii_case("TP") {
            it.nth(1)
        } else {
            None
        };
        if let Some(f) = field {
            if let Some((_, frac)) = f.split_once('.') {
                decimals = decimals.max(frac.len() as u32);
            }
        }
    }
    if decimals > 12 {
        // Rescaling a file with absurd precision would overflow; cap and report exactly.
        return Err(StpError::new(
            0,
            format!("numbers with {decimals} decimal places (at most 12 are supported)"),
        ));
    }
    let mut section = Section::None;
    let mut section_line = 0;
    let mut nodes: Option<usize> = None;
    let mut nodes_line = 0;
    let mut declared_edges: Option<(usize, usize)> = None;
    let mut edges: Vec<(NodeId, NodeId, Cost)> = Vec::new();
    let mut terminals: Vec<NodeId> = Vec::new();
    let mut root: Option<NodeId> = None;
    let mut prizes: Vec<(NodeId, Cost)> = Vec::new();
    let mut name = None;
    let mut ended = false;
    for (idx, line) in text.lines().enumerate() {
        let ln = idx + 1;
        let body = strip_comment(line);
        let fields: Vec<&str> = body.split_whitespace().collect();
        let Some(&kw) = fields.first() else { continue };
        let kwl = kw.to_ascii_lowercase();
        if ln == 1 && kw.eq_ignore_ascii_case("33D32945") {
            continue;
        }
        if kwl == "eof" {
            ended = true;
            break;
        }
        if section == Section::None {
            if kwl != "section" {
                return Err(StpError::new(
                    ln,
                    format!("expected `SECTION <name>` or `EOF`, found `{kw}`"),
                ));
            }
            let sname = fields
                .get(1)
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or_default();
            section = match sname.as_str() {
                "graph" => Section::Graph,
                "terminals" => Section::Terminals,
                "comment" | "comments" => Section::Comment,
                "" => return Err(StpError::new(ln, "`SECTION` without a name")),
                _ => Section::Skipped,
            };
            section_line = ln;
            continue;
        }
        if kwl == "end" {
            if section == Section::Graph {
                if let Some((m, at)) = declared_edges {
                    if m != edges.len() {
                        return Err(StpError::new(
                            at,
                            format!("{m} edges declared, {} given", edges.len()),
                        ));
                    }
                }
            }
            section = Section::None;
            continue;
        }
        match section {
            Section::Graph => match kwl.as_str() {
                "nodes" => {
                    let n = int_field(&fields, 1, ln, "node count")?;
                    if n > MAX_NODES {
                        return Err(StpError::new(
                            ln,
                            format!("{n} nodes is too many (at most {MAX_NODES})"),
                        ));
                    }
                    nodes = Some(n);
                    nodes_line = ln;
                }
                "edges" | "arcs" => {
                    declared_edges = Some((int_field(&fields, 1, ln, "edge count")?, ln))
                }
                "e" | "a" => {
                    let n =
                        nodes.ok_or_else(|| StpError::new(ln, "edge before the `Nodes` line"))?;
                    let u = node_field(&fields, 1, n, ln)?;
                    let v = node_field(&fields, 2, n, ln)?;
                    let w = fixed_field(&fields, 3, decimals, ln, "weight")?;
                    edges.push((u, v, w));
                }
                _ => {
                    return Err(StpError::new(
                        ln,
                        format!("unknown keyword `{kw}` in section Graph"),
                    ))
                }
            },
            Section::Terminals => {
                let n = || {
                    nodes.ok_or_else(|| {
                        StpError::new(ln, "terminals before the graph's `Nodes` line")
                    })
                };
                match kwl.as_str() {
                    "terminals" => {
                        // The count is informational: public files disagree on whether it
                        // includes the root, so it is checked for form only.
                        int_field(&fields, 1, ln, "terminal count")?;
                    }
                    "t" => terminals.push(node_field(&fields, 1, n()?, ln)?),
                    "root" | "rootp" => {
                        let r = node_field(&fields, 1, n()?, ln)?;
                        if kwl == "root" && !terminals.contains(&r) {
                            terminals.push(r);
                        }
                        root = Some(r);
                    }
                    "tp" => {
                        let v = node_field(&fields, 1, n()?, ln)?;
                        let p = fixed_field(&fields, 2, decimals, ln, "prize")?;
                        prizes.push((v, p));
                    }
                    _ => {
                        return Err(StpError::new(
                            ln,
                            format!("unknown keyword `{kw}` in section Terminals"),
                        ))
                    }
                }
            }
            Section::Comment => {
                if kwl == "name" {
                    let rest = body.trim_start()[kw.len()..].trim();
                    name = Some(rest.trim_matches('"').to_string());
                }
            }
            Section::Skipped | Section::None => {}
        }
    }
    if section != Section::None && !ended {
        return Err(StpError::new(section_line, "section not closed by `END`"));
    }
    let n = nodes.ok_or_else(|| StpError::new(0, "no `Nodes` line in a Graph section"))?;
    // Memory follows what the file holds, not what it declares: isolated nodes are allowed,
    // but not more than NODES_PER_LINE for each edge or terminal line given.
    let given = edges.len() + terminals.len() + prizes.len() + 1;
    if n > given.saturating_mul(NODES_PER_LINE) {
        return Err(StpError::new(
            nodes_line,
            format!(
                "{n} nodes declared, but the file gives only {} edges and {} terminals \
                 (at most {NODES_PER_LINE} nodes per edge or terminal line)",
                edges.len(),
                terminals.len() + prizes.len()
            ),
        ));
    }
    let prize_collecting = !prizes.is_empty();
    let mut prize_vec = Vec::new();
    if prize_collecting {
        prize_vec = vec![0 as Cost; n];
        for &(v, p) in &prizes {
            let sum = &mut prize_vec[v as usize];
            *sum = sum.checked_add(p).ok_or_else(|| {
                StpError::new(
                    0,
                    format!("the prizes of node {} add up beyond {}", v + 1, Cost::MAX),
                )
            })?;
            terminals.push(v);
        }
    }
    // Solvers add weights and prizes (path costs, tree costs, doubled prizes) in `Cost`:
    // refuse instances whose totals could overflow rather than compute a wrong answer.
    let total: i128 = edges.iter().map(|e| e.2 as i128).sum::<i128>()
        + prizes.iter().map(|p| p.1 as i128).sum::<i128>();
    if total > MAX_TOTAL as i128 {
        return Err(StpError::new(
            0,
            format!(
                "weights and prizes add up to more than {}: too large for exact integer costs; \
                 scale the instance down",
                format_fixed(MAX_TOTAL, decimals)
            ),
        ));
    }
    terminals.sort_unstable();
    terminals.dedup();
    if terminals.is_empty() {
        return Err(StpError::new(
            0,
            "no terminals: a Steiner instance needs `T` (or `Root`, `TP`) lines in a \
             `SECTION Terminals`",
        ));
    }
    Ok(StpInstance {
        instance: Instance {
            graph: Graph::from_edges(n, &edges),
            terminals,
            root,
            prizes: prize_vec,
        },
        decimals,
        name,
        prize_collecting,
    })
}

fn strip_comment(line: &str) -> &str {
    match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    }
}

fn int_field(fields: &[&str], i: usize, ln: usize, what: &str) -> Result<usize, StpError> {
    let f = fields
        .get(i)
        .ok_or_else(|| StpError::new(ln, format!("missing {what}")))?;
    f.parse::<usize>()
        .map_err(|_| StpError::new(ln, format!("{what} `{f}` is not a non-negative integer")))
}

fn node_field(fields: &[&str], i: usize, n: usize, ln: usize) -> Result<NodeId, StpError> {
    let v = int_field(fields, i, ln, "node id")?;
    if v == 0 || v > n {
        return Err(StpError::new(ln, format!("node {v} outside 1..={n}")));
    }
    Ok((v - 1) as NodeId)
}

/// Parses a non-negative decimal exactly, scaled by `10^decimals`.
fn fixed_field(
    fields: &[&str],
    i: usize,
    decimals: u32,
    ln: usize,
    what: &str,
) -> Result<Cost, StpError> {
    let f = fields
        .get(i)
        .ok_or_else(|| StpError::new(ln, format!("missing {what}")))?;
    parse_fixed(f, decimals).ok_or_else(|| {
        StpError::new(
            ln,
            format!("{what} `{f}` is not a non-negative decimal number within range"),
        )
    })
}

/// `s` (like `12`, `12.5`, `.5`, `+3`) as an integer scaled by `10^decimals`; `None` when
/// malformed, negative, with more places than `decimals`, or out of range.
pub fn parse_fixed(s: &str, decimals: u32) -> Option<Cost> {
    let s = s.strip_prefix('+').unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if (int.is_empty() && frac.is_empty())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() as u32 > decimals
    {
        return None;
    }
    let scale = 10i64.checked_pow(decimals)?;
    let ip: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut fp: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    fp = fp.checked_mul(10i64.checked_pow(decimals - frac.len() as u32)?)?;
    ip.checked_mul(scale)?.checked_add(fp)
}

/// Writes `inst` as SteinLib STP: 1-based ids, `Root r` for the root, `TP v p` lines when
/// the instance has prizes (else `T v`). `comment` goes into the Comment section's
/// Remark (quotes removed).
pub fn write_stp(inst: &Instance, comment: &str) -> String {
    use std::fmt::Write;
    let g = &inst.graph;
    let mut s = String::new();
    s.push_str("33D32945 STP File, STP Format Version 1.0\n\nSECTION Comment\n");
    let _ = writeln!(s, "Remark \"{}\"", comment.replace(['"', '\n'], " "));
    s.push_str("END\n\nSECTION Graph\n");
    let _ = writeln!(s, "Nodes {}\nEdges {}", g.num_nodes(), g.num_edges());
    for &(u, v, w) in g.edges() {
        let _ = writeln!(s, "E {} {} {}", u + 1, v + 1, w);
    }
    s.push_str("END\n\nSECTION Terminals\n");
    if inst.prizes.is_empty() {
        let mut ts: Vec<NodeId> = inst.terminals.clone();
        if let Some(r) = inst.root {
            ts.retain(|&t| t != r);
        }
        let _ = writeln!(
            s,
            "Terminals {}",
            ts.len() + usize::from(inst.root.is_some())
        );
        if let Some(r) = inst.root {
            let _ = writeln!(s, "Root {}", r + 1);
        }
        for t in ts {
            let _ = writeln!(s, "T {}", t + 1);
        }
    } else {
        let tp: Vec<(usize, Cost)> = inst
            .prizes
            .iter()
            .enumerate()
            .filter(|(_, &p)| p > 0)
            .map(|(v, &p)| (v, p))
            .collect();
        let _ = writeln!(s, "Terminals {}", tp.len());
        if let Some(r) = inst.root {
            let _ = writeln!(s, "RootP {}", r + 1);
        }
        for (v, p) in tp {
            let _ = writeln!(s, "TP {} {}", v + 1, p);
        }
    }
    s.push_str("END\n\nEOF\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: &str = "33D32945 STP File, STP Format Version 1.0\n\
        SECTION Comment\nName \"tiny\"\nEND\n\n\
        section graph\nNODES 4\nEdges 3\nE 1 2 1\ne\t2 3 2.25\nE 3 4 3 # comment\nEND\n\
        SECTION Coordinates\nDD 1 0 0\nEND\n\
        SECTION Terminals\nTerminals 2\nRoot 1\nT 4\nEND\nEOF\n";

    #[test]
    fn reads_mixed_case_tabs_decimals_and_skips_sections() {
        let s = parse_stp(B).unwrap();
        assert_eq!(s.decimals, 2);
        assert_eq!(s.name.as_deref(), Some("tiny"));
        let g = &s.instance.graph;
        assert_eq!((g.num_nodes(), g.num_edges()), (4, 3));
        assert_eq!(g.edge(1), (1, 2, 225));
        assert_eq!(g.edge(2), (2, 3, 300));
        assert_eq!(s.instance.root, Some(0));
        assert_eq!(s.instance.terminals, vec![0, 3]);
        assert_eq!(s.format_value(625), "6.25");
    }

    #[test]
    fn prizes_and_rootp() {
        let t = "SECTION Graph\nNodes 3\nEdges 2\nE 1 2 1.5\nE 2 3 1\nEND\n\
                 SECTION Terminals\nTerminals 2\nRootP 1\nTP 2 113110.316273\nTP 3 0.5\nEND\nEOF\n";
        let s = parse_stp(t).unwrap();
        assert_eq!(s.decimals, 6);
        assert_eq!(s.instance.prizes, vec![0, 113_110_316_273, 500_000]);
        assert_eq!(s.instance.graph.edge(0).2, 1_500_000);
        assert!(s.prize_collecting);
        assert_eq!(s.format_value(113_110_316_273), "113110.316273");
    }

    #[test]
    fn errors_name_the_line() {
        let bad = B.replace("E 3 4 3", "E 3 9 3");
        let e = parse_stp(&bad).unwrap_err();
        assert_eq!(e.line, 11);
        assert!(e.problem.contains("node 9 outside 1..=4"), "{e}");
        let bad = B.replace("e\t2 3 2.25", "E 2 3 -1");
        assert_eq!(parse_stp(&bad).unwrap_err().line, 10);
        let bad = B.replace("e\t2 3 2.25", "E 2 3");
        assert_eq!(parse_stp(&bad).unwrap_err().line, 10);
        let bad = B.replace("Edges 3", "Edges 4");
        assert_eq!(parse_stp(&bad).unwrap_err().line, 8);
        let bad = B.replace("T 4", "X 4");
        let e = parse_stp(&bad).unwrap_err();
        assert_eq!(
            (e.line, e.to_string()),
            (
                19,
                "line 19: unknown keyword `X` in section Terminals".to_string()
            )
        );
        let bad = B.replace("END\nEOF\n", "");
        assert_eq!(parse_stp(&bad).unwrap_err().line, 16);
        let e = parse_stp(B)
            .map(|_| ())
            .and(Err::<(), _>(StpError::new(3, "x")))
            .unwrap_err();
        assert_eq!(e.at(Path::new("a.stp")).to_string(), "a.stp:3: x");
    }

    #[test]
    fn write_then_read_round_trips() {
        let s = parse_stp(B).unwrap();
        let text = write_stp(&s.instance, "round \"trip\"");
        let r = parse_stp(&text).unwrap();
        assert_eq!(r.instance.graph.edges(), s.instance.graph.edges());
        assert_eq!(r.instance.terminals, s.instance.terminals);
        assert_eq!(r.instance.root, s.instance.root);
    }

    #[test]
    fn fixed_point_is_exact() {
        assert_eq!(parse_fixed("1.000000", 6), Some(1_000_000));
        assert_eq!(parse_fixed(".5", 1), Some(5));
        assert_eq!(parse_fixed("7", 3), Some(7000));
        assert_eq!(parse_fixed("-1", 0), None);
        assert_eq!(parse_fixed("1e5", 0), None);
        assert_eq!(parse_fixed("99999999999999999999", 0), None);
        assert_eq!(format_fixed(1_000_000, 6), "1.000000");
    }

    #[test]
    fn a_declared_node_count_alone_allocates_nothing() {
        let text = "SECTION Graph\nNodes 100000000\nEdges 1\nE 1 2 1\nEND\n\
                    SECTION Terminals\nT 1\nT 2\nEND\nEOF\n";
        let e = parse_stp(text).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.problem.contains("100000000 nodes declared"),
            "{}",
            e.problem
        );
        // Isolated nodes within the allowance are fine: 4 lines give room for 256.
        let ok = text.replace("Nodes 100000000", "Nodes 256");
        assert_eq!(parse_stp(&ok).unwrap().instance.graph.num_nodes(), 256);
    }

    #[test]
    fn an_instance_without_terminals_is_an_error() {
        let text = "SECTION Graph\nNodes 2\nEdges 1\nE 1 2 1\nEND\nEOF\n";
        let e = parse_stp(text).unwrap_err();
        assert_eq!(e.line, 0);
        assert!(e.problem.starts_with("no terminals"), "{}", e.problem);
    }

    #[test]
    fn prizes_and_costs_in_different_units_are_named() {
        let pc = |e: &str, tp: &str| {
            parse_stp(&format!(
                "33D32945 STP File, STP Format Version 1.0\nSECTION Graph\nNodes 3\nEdges 2\n{e}END\n\
                 SECTION Terminals\nTerminals 2\n{tp}END\nEOF\n"
            ))
            .unwrap()
        };
        // Households against metres: no prize reaches the cheapest edge.
        let w = pc("E 1 2 1500\nE 2 3 900\n", "TP 1 40\nTP 3 120\n").units_warning();
        assert!(w.unwrap().starts_with(
            "every prize is below the cheapest edge (largest prize 120, cheapest edge 900)"
        ));
        // Tenge against thousands of tenge: every prize above all the edges together.
        let w = pc("E 1 2 15\nE 2 3 9\n", "TP 1 40000\nTP 3 120000\n").units_warning();
        assert!(w.unwrap().contains("(smallest prize 40000, all edges 24)"));
        // Comparable figures, and plain Steiner instances, give none.
        assert_eq!(
            pc("E 1 2 15\nE 2 3 9\n", "TP 1 10\nTP 3 30\n").units_warning(),
            None
        );
        assert_eq!(parse_stp(B).unwrap().units_warning(), None);
    }
}
