//! Hostile inputs that `tests/bad_inputs/hostile_*` cannot express as committed files
//! (issue 19): a FIFO, a file above its format's size limit, a PBF of zero bytes, and the
//! quota warning of `sweep`. Each must end in one line and exit 2 (or a warning and exit 0),
//! without reading the input to its end.

use crate::common::*;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const COMMON: &str = "tests/bad_inputs/_common";

/// Run `fiberplan ARGS` from the repository root; a run that has not ended after two
/// minutes is killed and fails the test (a guard against a hang, not a speed check: the
/// cases end in milliseconds).
fn run_guarded(args: &[&str]) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run fiberplan");
    for _ in 0..1200 {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let o = child.wait_with_output().unwrap();
    panic!(
        "`fiberplan {}` hangs; stderr: {}",
        args.join(" "),
        stderr(&o)
    );
}

fn plan_args<'a>(out: &'a Path, villages: &'a str, costs: &'a str) -> Vec<String> {
    [
        "plan",
        "--out",
        out.to_str().unwrap(),
        "--backbone",
        &format!("{COMMON}/backbone.geojson"),
        "--villages",
        villages,
        "--costs",
        costs,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn run_strings(args: &[String]) -> Output {
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    run_guarded(&argv)
}

/// A FIFO would block a reader that opens it until a writer comes: refused unopened.
#[test]
fn hostile_fifo_as_villages_is_refused_unopened() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("villages.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let costs = format!("{COMMON}/costs.toml");
    let o = run_strings(&plan_args(
        &tmp.path().join("out"),
        fifo.to_str().unwrap(),
        &costs,
    ));
    bad_input(
        &o,
        &[
            fifo.to_str().unwrap(),
            "not a regular file (a device, FIFO or socket): inputs must be regular files",
        ],
    );
    assert!(!tmp.path().join("out").exists());
}

/// A cost model above the 16 MiB limit of TOML files is refused from its size, unread (a
/// sparse file: no disk is spent).
#[test]
fn hostile_oversized_cost_model_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let costs = tmp.path().join("costs.toml");
    let f = std::fs::File::create(&costs).unwrap();
    f.set_len(16 * 1024 * 1024 + 1).unwrap();
    let villages = format!("{COMMON}/villages.csv");
    let o = run_strings(&plan_args(
        &tmp.path().join("out"),
        &villages,
        costs.to_str().unwrap(),
    ));
    bad_input(
        &o,
        &[&format!(
            "{}: larger than 16 MiB, the limit for this kind of input",
            costs.display()
        )],
    );
}

/// A regular file of zeros read as a PBF: a zero-length blob header is corruption, found at
/// the first blob (before, every four zero bytes made a new failed blob, until memory ran out).
#[test]
fn hostile_pbf_of_zeros_stops_at_the_first_blob() {
    let tmp = tempfile::tempdir().unwrap();
    let pbf = tmp.path().join("zeros.osm.pbf");
    let f = std::fs::File::create(&pbf).unwrap();
    f.set_len(256 * 1024 * 1024).unwrap();
    for cmd in ["validate", "plan"] {
        let out = tmp.path().join("out");
        let mut args = vec![cmd, "--osm", pbf.to_str().unwrap()];
        if cmd == "plan" {
            args.extend(["--out", out.to_str().unwrap()]);
        }
        let o = run_guarded(&args);
        bad_input(
            &o,
            &[&format!(
                "{}: not an OSM file (neither PBF, OSM XML nor gzip): blob header of 0 bytes",
                pbf.display()
            )],
        );
    }
}

/// `sweep` warns about quotas above the inputs' households as `validate --scenarios` does
/// (`tests/bad_inputs/hostile_scenarios_quota_above_households`), and still runs.
#[test]
fn hostile_sweep_warns_of_a_quota_above_the_households() {
    let tmp = tempfile::tempdir().unwrap();
    let file = "tests/bad_inputs/hostile_scenarios_quota_above_households/scenario.toml";
    let out = tmp.path().join("sweep");
    let o = run_guarded(&["sweep", file, "--out", out.to_str().unwrap()]);
    ok(&o);
    let warning = format!(
        "fiberplan: warning: {file}: 2 of 3 scenarios (first s00002) set target_households above \
         the inputs' 500 households (largest 900): their quota cannot be met"
    );
    assert!(stderr(&o).contains(&warning), "{}", stderr(&o));
    let results = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(results.lines().count(), 4, "{results}");
}

#[test]
fn hostile_plan_warns_of_a_quota_above_the_households() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = plan_equator(&out, &["--target-households", "500", "--no-last-mile"]);
    ok(&o);
    assert!(
        stderr(&o).contains(
            "warning: --target-households 500 is above the inputs' 160 households: the quota cannot be met"
        ),
        "{}",
        stderr(&o)
    );
}
