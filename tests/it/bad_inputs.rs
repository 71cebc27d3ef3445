//! `tests/bad_inputs/`: one folder per case, run through the binary.
//!
//! Each folder holds its input files, `args.txt` (the command line; `{dir}` is the case
//! folder and `{common}` is `tests/bad_inputs/_common`, both relative to the repository
//! root the binary runs in) and `expected.txt`:
//! - `exit 2` then the one line the binary must print after `fiberplan: error: `, exactly,
//!   or its start when the line ends with ` ...` (for messages of readers still changing);
//! - `exit 0` then optional `WHAT: text` lines: `stdout` or `stderr` holds `text`, or for
//!   `plan`, the output file `out/WHAT` does.
//!
//! A `plan` case runs twice: as `plan --out TMP/out` (a rejected plan leaves nothing in
//! TMP: no output folder, no staging files) and as `validate` with the same inputs, which
//! must give the same exit code and message. `FIBERPLAN_BLESS=1` rewrites the messages of
//! `expected.txt` from the current binary (review the diff before committing it).

use crate::common::*;
use std::path::{Path, PathBuf};

const PREFIX: &str = "fiberplan: error: ";

struct Case {
    name: String,
    dir: PathBuf,
    args: Vec<String>,
    exit: i32,
    /// exit 2: the message; exit 0: `FILE: text` checks.
    lines: Vec<String>,
}

fn cases() -> Vec<Case> {
    let base = root().join("tests/bad_inputs");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .expect("tests/bad_inputs")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            let rel = format!("tests/bad_inputs/{name}");
            let read = |f: &str| {
                std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{rel}/{f}: {e}"))
            };
            let args = read("args.txt")
                .replace("{dir}", &rel)
                .replace("{common}", "tests/bad_inputs/_common")
                .split_whitespace()
                .map(String::from)
                .collect();
            let expected = read("expected.txt");
            let mut lines = expected.lines().map(String::from);
            let exit = lines
                .next()
                .and_then(|l| l.strip_prefix("exit ").and_then(|c| c.trim().parse().ok()))
                .unwrap_or_else(|| panic!("{rel}/expected.txt: first line must be `exit N`"));
            Case {
                name,
                dir,
                args,
                exit,
                lines: lines.filter(|l| !l.trim().is_empty()).collect(),
            }
        })
        .collect()
}

/// Problems with one run of a case, empty when it behaved.
fn check_run(case: &Case, args: &[String], out: Option<&Path>) -> Vec<String> {
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    let err = stderr(&o);
    let cmd = argv.join(" ");
    let mut bad = Vec::new();
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        bad.push(format!("`{cmd}` panicked: {err}"));
    }
    if o.status.code() != Some(case.exit) {
        bad.push(format!(
            "`{cmd}`: exit {:?}, expected {}; stderr: {err}",
            o.status.code(),
            case.exit
        ));
        return bad;
    }
    if case.exit == 2 {
        let got = err.trim_end();
        if got.lines().count() != 1 {
            bad.push(format!("`{cmd}`: not one line: {got:?}"));
        }
        let want = case.lines.first().map(String::as_str).unwrap_or("");
        let got_msg = got.strip_prefix(PREFIX).unwrap_or("");
        let matches = match want.strip_suffix(" ...") {
            Some(start) => got_msg.starts_with(start),
            None => got_msg == want,
        };
        if !matches {
            bad.push(format!(
                "`{cmd}`:\n    got:      {got}\n    expected: {PREFIX}{want}"
            ));
        }
        if let Some(out) = out.filter(|_| args[0] == "plan") {
            let parent = out.parent().unwrap();
            let left: Vec<_> = std::fs::read_dir(parent)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            if !left.is_empty() {
                bad.push(format!("`{cmd}` failed but left {left:?}"));
            }
        }
    } else {
        let stdout = String::from_utf8_lossy(&o.stdout);
        for l in &case.lines {
            let (file, needle) = l
                .split_once(": ")
                .unwrap_or_else(|| panic!("{}: bad line {l:?}", case.name));
            let body = match (file, out) {
                ("stderr", _) => err.clone(),
                ("stdout", _) => stdout.to_string(),
                (_, Some(out)) if args[0] == "plan" => {
                    std::fs::read_to_string(out.join(file)).unwrap_or_default()
                }
                _ => continue,
            };
            if !body.contains(needle) {
                bad.push(format!("`{cmd}`: {file} does not contain {needle:?}"));
            }
        }
    }
    bad
}

/// `plan ARGS` as `validate ARGS`: the same inputs, no output flags.
fn as_validate(args: &[String]) -> Vec<String> {
    let mut v = vec!["validate".to_string()];
    v.extend(args[1..].iter().cloned());
    v
}

/// `args` as run: a `plan` writes into `out`.
fn with_out(args: &[String], out: &Path) -> Vec<String> {
    let mut a = args.to_vec();
    if a[0] == "plan" {
        a.extend(["--out".into(), out.to_str().unwrap().into()]);
    }
    a
}

/// Rewrite `expected.txt` from what the binary does now.
fn bless(case: &Case) {
    let tmp = tempfile::tempdir().unwrap();
    let args = with_out(&case.args, &tmp.path().join("out"));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    let err = stderr(&o);
    let code = o.status.code().unwrap_or(-1);
    let mut body = format!("exit {code}\n");
    if code == 2 {
        let msg = err
            .trim_end()
            .strip_prefix(PREFIX)
            .unwrap_or(err.trim_end());
        // A prefix that still holds is kept as it is.
        let kept = case.lines.first().filter(|l| {
            l.strip_suffix(" ...")
                .is_some_and(|start| msg.starts_with(start))
        });
        body += kept.map(String::as_str).unwrap_or(msg);
        body += "\n";
    } else {
        for l in &case.lines {
            body += l;
            body += "\n";
        }
    }
    std::fs::write(case.dir.join("expected.txt"), body).unwrap();
}

#[test]
fn every_bad_input_case_gives_exit_2_and_its_message_and_every_oddity_plans() {
    if std::env::var_os("FIBERPLAN_BLESS").is_some() {
        cases().iter().for_each(bless);
    }
    let cases = cases();
    // The folder is the test: an emptied or misplaced folder must not pass silently.
    assert!(cases.len() >= 60, "only {} cases found", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut bad = check_run(case, &with_out(&case.args, &out), Some(&out));
        if case.args[0] == "plan" {
            bad.extend(check_run(case, &as_validate(&case.args), None));
        }
        if !bad.is_empty() {
            failures.push(format!("{}:\n  {}", case.name, bad.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Valid-looking but odd inputs generated at random (coincident villages, villages on the
/// points of presence, the poles and the antimeridian, zero and maximal households, lines of
/// repeated points) through `validate` and `plan`: exit 0 with outputs, or exit 2 with one
/// line; never a panic. Runs `FIBERPLAN_FUZZ_CASES / 8` cases (at least 16).
mod odd_but_valid {
    use crate::common::*;
    use proptest::prelude::*;

    fn coord() -> impl Strategy<Value = [f64; 2]> {
        prop_oneof![
            4 => (76.5f64..77.5, 43.0f64..43.6).prop_map(|(x, y)| [x, y]),
            2 => Just([76.95, 43.25]),
            1 => Just([180.0, 0.0]),
            1 => Just([-180.0, 0.0]),
            1 => Just([0.0, 90.0]),
            1 => Just([0.0, -90.0]),
            1 => (-180f64..=180.0, -90f64..=90.0).prop_map(|(x, y)| [x, y]),
            1 => (76.95f64..76.950001, 43.25f64..43.250001).prop_map(|(x, y)| [x, y]),
        ]
    }

    fn villages() -> impl Strategy<Value = Vec<([f64; 2], u64)>> {
        proptest::collection::vec(
            (
                coord(),
                prop_oneof![Just(0u64), 1u64..500, Just(200_000u64)],
            ),
            1..24,
        )
    }

    fn backbone() -> impl Strategy<Value = (Vec<[f64; 2]>, Vec<Vec<[f64; 2]>>)> {
        (
            proptest::collection::vec(coord(), 0..4),
            proptest::collection::vec(proptest::collection::vec(coord(), 2..5), 0..3),
        )
            .prop_filter("a backbone needs a point or a line", |(p, l)| {
                !p.is_empty() || !l.is_empty()
            })
    }

    fn check(args: &[&str], out: Option<&std::path::Path>) -> Result<(), TestCaseError> {
        let o = run(args);
        let err = stderr(&o);
        prop_assert!(!err.contains("panicked"), "{:?}: {}", args, err);
        match o.status.code() {
            Some(0) => {
                if let Some(out) = out {
                    prop_assert!(out.join("summary.json").is_file(), "{:?}", args);
                }
            }
            Some(2) => {
                prop_assert_eq!(err.trim_end().lines().count(), 1, "{:?}: {}", args, err);
                if let Some(out) = out {
                    prop_assert!(!out.exists(), "{:?}: rejected but wrote {:?}", args, out);
                }
            }
            c => prop_assert!(false, "{:?}: exit {:?}: {}", args, c, err),
        }
        Ok(())
    }

    fn cases() -> u32 {
        std::env::var("FIBERPLAN_FUZZ_CASES")
            .ok()
            .and_then(|s| s.parse::<u32>().ok())
            .map(|n| (n / 8).max(16))
            .unwrap_or(16)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn validate_and_plan_never_panic_on_odd_valid_inputs(v in villages(), (pops, lines) in backbone()) {
            let d = tempfile::tempdir().unwrap();
            let mut csv = String::from("id,name,lon,lat,households\n");
            for (i, (p, h)) in v.iter().enumerate() {
                csv += &format!("v{i},Ауыл {i},{},{},{h}\n", p[0], p[1]);
            }
            let mut feats: Vec<String> = pops
                .iter()
                .enumerate()
                .map(|(i, p)| format!(r#"{{"type":"Feature","properties":{{"id":"P{i}"}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#, p[0], p[1]))
                .collect();
            for l in &lines {
                let cs: Vec<String> = l.iter().map(|p| format!("[{},{}]", p[0], p[1])).collect();
                feats.push(format!(r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"LineString","coordinates":[{}]}}}}"#, cs.join(",")));
            }
            let bb = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, feats.join(","));
            let (vp, bp, out) = (d.path().join("v.csv"), d.path().join("b.geojson"), d.path().join("out"));
            std::fs::write(&vp, csv).unwrap();
            std::fs::write(&bp, bb).unwrap();
            let costs = "tests/bad_inputs/_common/costs.toml";
            let (vs, bs, os) = (vp.to_str().unwrap(), bp.to_str().unwrap(), out.to_str().unwrap());
            check(&["validate", "--villages", vs, "--backbone", bs, "--costs", costs], None)?;
            check(&["plan", "--villages", vs, "--backbone", bs, "--costs", costs, "--out", os], Some(&out))?;
        }
    }
}
