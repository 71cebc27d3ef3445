//! Every reader of user files, fed random bytes and mutated valid files, returns a value or an
//! [`InputError`] naming the file in one line: never a panic.
//!
//! Seeds are the valid and invalid files of the repository (`tests/bad_inputs/`, the fixtures,
//! `data/costs.toml`, the small OSM extracts); mutations flip, insert, delete, duplicate and
//! truncate bytes and splice in tokens that readers trip on (`NaN`, `1e999`, `-`, huge
//! integers, a byte-order mark, Kazakh letters, unbalanced brackets, STP and OSM keywords).
//!
//! Cases per property: `FIBERPLAN_FUZZ_CASES` (default 256, the CI run). The long run is the
//! same file with a large count, e.g.
//! `FIBERPLAN_FUZZ_CASES=100000 cargo test --release -p fiberplan-io --test readers_never_panic`.
//!
//! Long runs (cargo-fuzz needs a nightly toolchain, which the project does not use):
//! - 2026-11-25, at 7f051b8: 100,000 cases for each of the 9 properties (900,000 inputs),
//!   1,179 s, no failure;
//! - 2026-11-25, at 5396b04 (the lean PBF wire decoder): 100,000 cases each, 1,089 s, no
//!   failure. Found by reading the code and by hand-made instances, not by these runs: an
//!   STP node count that asked for gigabytes, prize and weight sums overflowing `i64` (now
//!   errors in `stp.rs`).

use fiberplan_io::osm::{read_osm, OsmReadOptions};
use fiberplan_io::stp::{parse_stp, read_stp};
use fiberplan_io::{parse_costs, read_backbone, read_costs, read_villages, InputError};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn cases() -> u32 {
    std::env::var("FIBERPLAN_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        // Found failures become named regression tests below, not files beside the source.
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..ProptestConfig::default()
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every file under `tests/bad_inputs/` whose name ends with one of `exts`, plus `extra`.
fn seeds(exts: &[&str], extra: &[&str]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = vec![Vec::new()];
    let base = repo().join("tests/bad_inputs");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .expect("tests/bad_inputs")
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for d in dirs.iter().filter(|d| d.is_dir()) {
        let mut files: Vec<PathBuf> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            if exts.iter().any(|e| name.ends_with(e)) {
                out.push(std::fs::read(&f).unwrap());
            }
        }
    }
    for e in extra {
        out.push(std::fs::read(repo().join(e)).unwrap_or_else(|err| panic!("{e}: {err}")));
    }
    assert!(out.len() > 2, "no seeds for {exts:?}");
    out
}

const TOKENS: &[&str] = &[
    "",
    "-",
    "-1",
    "0",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "-1e999",
    "1e-999",
    "18446744073709551616",
    "-9223372036854775809",
    "9223372036854775807",
    "99999999999999999999999999",
    "1,5",
    "1.5.5",
    ",",
    ";",
    "\t",
    "\"",
    "'",
    "\n",
    "\r\n",
    "\r",
    "{",
    "}",
    "[",
    "]",
    ":",
    "null",
    "true",
    "\u{feff}",
    "\u{0}",
    "Қарағанды",
    "\\u0000",
    "\\ud800",
    "\"crs\":{},",
    "\"type\":\"Point\",",
    "\"type\":\"LineString\",",
    "\"coordinates\":[],",
    "\"coordinates\":[[0,0]],",
    "\"geometry\":null,",
    "\"features\":{},",
    "[[[[[[[[[[[[[[[[",
    "households",
    "= =",
    "[corridor]",
    "[[corridor]]",
    "SECTION Graph\n",
    "SECTION Terminals\n",
    "END\n",
    "EOF\n",
    "Nodes 4294967294\n",
    "Nodes 0\n",
    "E 1 1 0\n",
    "E 1 2 0.000000000000000000001\n",
    "TP 1 9223372036854775807\n",
    "TP 1 92233720368547758.07\n",
    "Root 1\n",
    "T 0\n",
    "<node id=\"1\" lat=\"91\" lon=\"0\"/>",
    "<node id=\"-9223372036854775808\" lat=\"1e308\" lon=\"NaN\"/>",
    "<way id=\"1\"><nd ref=\"1\"/><tag k=\"highway\" v=\"track\"/></way>",
    "<way id=\"2\"><nd ref=\"1\"/><nd ref=\"1\"/><tag k=\"place\" v=\"village\"/></way>",
    "<tag k=\"population\" v=\"-5\"/>",
    "&amp;",
    "&#xFFFFFFFF;",
    "&bogus;",
    "]]>",
    "<!--",
    "<?xml",
    "</osm>",
];

#[derive(Clone, Debug)]
enum Op {
    /// Overwrite one byte.
    Flip(f64, u8),
    /// Insert raw bytes.
    Insert(f64, Vec<u8>),
    /// Insert a token.
    Token(f64, usize),
    /// Delete a run of bytes.
    Delete(f64, usize),
    /// Copy a run of bytes elsewhere.
    Dup(f64, f64, usize),
    /// Keep only the start.
    Truncate(f64),
}

fn op() -> impl Strategy<Value = Op> {
    let at = 0.0f64..=1.0;
    prop_oneof![
        3 => (at.clone(), any::<u8>()).prop_map(|(p, b)| Op::Flip(p, b)),
        1 => (at.clone(), proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(p, b)| Op::Insert(p, b)),
        4 => (at.clone(), 0..TOKENS.len()).prop_map(|(p, t)| Op::Token(p, t)),
        2 => (at.clone(), 1usize..64).prop_map(|(p, n)| Op::Delete(p, n)),
        1 => (at.clone(), at.clone(), 1usize..256).prop_map(|(a, b, n)| Op::Dup(a, b, n)),
        1 => at.prop_map(Op::Truncate),
    ]
}

fn apply(seed: &[u8], ops: &[Op]) -> Vec<u8> {
    let mut b = seed.to_vec();
    let pos = |b: &Vec<u8>, p: f64| ((b.len() as f64) * p) as usize;
    for o in ops {
        match o {
            Op::Flip(p, x) => {
                if !b.is_empty() {
                    let i = pos(&b, *p).min(b.len() - 1);
                    b[i] = *x;
                }
            }
            Op::Insert(p, x) => {
                let i = pos(&b, *p);
                b.splice(i..i, x.iter().copied());
            }
            Op::Token(p, t) => {
                let i = pos(&b, *p);
                b.splice(i..i, TOKENS[*t].bytes());
            }
            Op::Delete(p, n) => {
                let i = pos(&b, *p).min(b.len());
                let j = (i + n).min(b.len());
                b.drain(i..j);
            }
            Op::Dup(from, to, n) => {
                let i = pos(&b, *from).min(b.len());
                let j = (i + n).min(b.len());
                let chunk: Vec<u8> = b[i..j].to_vec();
                let k = pos(&b, *to);
                b.splice(k..k, chunk);
            }
            Op::Truncate(p) => {
                let i = pos(&b, *p);
                b.truncate(i);
            }
        }
    }
    b
}

/// A mutated seed, or (one case in eight) random bytes.
fn input(seeds: &'static [Vec<u8>]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        7 => (0..seeds.len(), proptest::collection::vec(op(), 0..8))
            .prop_map(move |(s, ops)| apply(&seeds[s], &ops)),
        1 => proptest::collection::vec(any::<u8>(), 0..512),
    ]
}

fn dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// An error must name the file, hold one line, and never be empty.
fn check_err(path: &Path, e: &InputError) -> Result<(), TestCaseError> {
    let s = e.to_string();
    prop_assert_eq!(&e.path, path);
    prop_assert!(s.starts_with(&path.display().to_string()), "{}", s);
    prop_assert!(!s.contains('\n'), "not one line: {:?}", s);
    prop_assert!(!e.problem.trim().is_empty(), "empty problem: {:?}", s);
    Ok(())
}

macro_rules! seed_set {
    ($name:ident, $exts:expr, $extra:expr) => {
        fn $name() -> &'static [Vec<u8>] {
            static S: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
            S.get_or_init(|| seeds($exts, $extra))
        }
    };
}

seed_set!(
    geojson_seeds,
    &[".geojson"],
    &["data/kz/oblast_centres_2022.geojson"]
);
seed_set!(
    csv_seeds,
    &[".csv"],
    &["tests/fixtures/equator/villages.csv"]
);
seed_set!(
    toml_seeds,
    &[".toml"],
    &["data/costs.toml", "tests/fixtures/equator/costs.toml"]
);
seed_set!(stp_seeds, &[".stp", ".gr"], &[]);
seed_set!(
    pbf_seeds,
    &[".osm.pbf"],
    &[
        "data/osm/harsdorf.osm.pbf",
        "data/osm/neudrossenfeld.osm.pbf"
    ]
);
seed_set!(gz_seeds, &[".osm.gz"], &["data/osm/neudrossenfeld.osm.gz"]);

/// OSM XML seeds: the bad inputs, and the start of the Neudrossenfeld extract closed
/// properly (small enough to mutate quickly).
fn xml_seeds() -> &'static [Vec<u8>] {
    static S: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    S.get_or_init(|| {
        use std::io::Read;
        let mut s = seeds(&[".osm"], &[]);
        let gz = std::fs::read(repo().join("data/osm/neudrossenfeld.osm.gz")).unwrap();
        let mut xml = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut xml)
            .unwrap();
        let text = String::from_utf8(xml).unwrap();
        // Nodes up to about 12 kB, then the first ways that fit in 12 kB more.
        let nodes_end = text[..12_000].rfind("/>").unwrap() + 2;
        let ways_at = text.find("<way").unwrap();
        let ways_end = ways_at + text[ways_at..ways_at + 12_000].rfind("</way>").unwrap() + 6;
        s.push(
            format!(
                "{}\n{}\n</osm>\n",
                &text[..nodes_end],
                &text[ways_at..ways_end]
            )
            .into_bytes(),
        );
        s
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn villages_geojson(bytes in input(geojson_seeds())) {
        let p = write("villages.geojson", &bytes);
        if let Err(e) = read_villages(&p, 3.5) {
            check_err(&p, &e)?;
        }
    }

    #[test]
    fn villages_csv(bytes in input(csv_seeds())) {
        let p = write("villages.csv", &bytes);
        if let Err(e) = read_villages(&p, 3.5) {
            check_err(&p, &e)?;
        }
    }

    #[test]
    fn backbone_geojson(bytes in input(geojson_seeds())) {
        let p = write("backbone.geojson", &bytes);
        if let Err(e) = read_backbone(&p) {
            check_err(&p, &e)?;
        }
    }

    #[test]
    fn costs_toml(bytes in input(toml_seeds())) {
        let p = write("costs.toml", &bytes);
        match read_costs(&p) {
            Ok(m) => prop_assert!(m.figures().iter().all(|(_, v)| *v >= 0)),
            Err(e) => check_err(&p, &e)?,
        }
    }

    #[test]
    fn stp(bytes in input(stp_seeds())) {
        let p = write("g.stp", &bytes);
        match read_stp(&p) {
            Ok(inst) => {
                let g = &inst.instance.graph;
                prop_assert!(inst.instance.terminals.iter().all(|&t| (t as usize) < g.num_nodes()));
            }
            Err(e) => check_err(&p, &e)?,
        }
    }

    #[test]
    fn osm_pbf(bytes in input(pbf_seeds())) {
        let p = write("extract.osm.pbf", &bytes);
        if let Err(e) = read_osm(&p, &OsmReadOptions::default()) {
            check_err(&p, &e)?;
        }
    }

    #[test]
    fn osm_xml(bytes in input(xml_seeds())) {
        let p = write("extract.osm", &bytes);
        if let Err(e) = read_osm(&p, &OsmReadOptions::default()) {
            check_err(&p, &e)?;
        }
    }

    #[test]
    fn osm_gz(bytes in input(gz_seeds())) {
        let p = write("extract.osm.gz", &bytes);
        if let Err(e) = read_osm(&p, &OsmReadOptions::default()) {
            check_err(&p, &e)?;
        }
    }

    /// Text readers on arbitrary strings (not only bytes near a seed).
    #[test]
    fn text_parsers_on_any_string(s in "\\PC{0,300}") {
        let _ = parse_costs(&s);
        let _ = parse_stp(&s);
    }
}

/// Regression: a node count that would need gigabytes is refused, not allocated.
#[test]
fn stp_huge_node_count_is_an_error() {
    let text =
        "SECTION Graph\nNodes 4294967294\nEdges 0\nEND\nSECTION Terminals\nTerminals 0\nEND\nEOF\n";
    let e = parse_stp(text).unwrap_err();
    assert_eq!(e.line, 2, "{e}");
}

/// Regression: prizes that add up beyond `i64` are an error, not an overflow.
#[test]
fn stp_prize_overflow_is_an_error() {
    let text = "SECTION Graph\nNodes 2\nEdges 1\nE 1 2 1\nEND\nSECTION Terminals\nTP 1 9223372036854775807\nTP 1 9223372036854775807\nEND\nEOF\n";
    assert!(parse_stp(text).is_err());
}

/// Regression: weights that add up beyond what the solvers can sum exactly are an error
/// (`E 1 2 9223372036854775807` made the solver's contracted graph overflow and panic).
#[test]
fn stp_weights_too_large_to_add_are_an_error() {
    let text = "SECTION Graph\nNodes 3\nEdges 2\nE 1 2 9223372036854775807\nE 2 3 9223372036854775807\nEND\nSECTION Terminals\nTerminals 2\nT 1\nT 3\nEND\nEOF\n";
    let e = parse_stp(text).unwrap_err();
    assert!(
        e.problem.contains("too large for exact integer costs"),
        "{e}"
    );
    // The largest instance that fits still reads.
    let max = fiberplan_io::stp::MAX_TOTAL;
    let ok = format!("SECTION Graph\nNodes 2\nEdges 1\nE 1 2 {max}\nEND\nSECTION Terminals\nTerminals 2\nT 1\nT 2\nEND\nEOF\n");
    assert_eq!(parse_stp(&ok).unwrap().instance.graph.edge(0).2, max);
}
