//! Same inputs, same bytes: every output of `plan` and `sweep` but `timings.json` is
//! identical across runs and across `--threads 1` and `--threads 2`. And a failed `plan` leaves the previous
//! outputs whole, with no staging or partial files.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (relative path -> bytes), `timings.json` left out.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                if !rel.ends_with("timings.json") {
                    out.insert(rel, std::fs::read(&p).unwrap());
                }
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

/// Everything in `dir`, hidden files included: what a failed run may not leave behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walkdir(&p));
        }
        v.push(p);
    }
    v
}

/// The first difference between two output sets, if any.
fn first_difference(
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let names_a: Vec<_> = a.keys().collect();
    let names_b: Vec<_> = b.keys().collect();
    if names_a != names_b {
        return Some(format!("files differ: {names_a:?} vs {names_b:?}"));
    }
    for (name, x) in a {
        let y = &b[name];
        if x != y {
            let at = x
                .iter()
                .zip(y)
                .position(|(p, q)| p != q)
                .unwrap_or(x.len().min(y.len()));
            let line = 1 + x[..at].iter().filter(|c| **c == b'\n').count();
            let show = |v: &[u8]| {
                let s = at.saturating_sub(60);
                String::from_utf8_lossy(&v[s..(at + 60).min(v.len())]).into_owned()
            };
            return Some(format!(
                "{name} differs at byte {at} (line {line}):\n  {}\n  {}",
                show(x),
                show(y)
            ));
        }
    }
    None
}

/// Run `plan ARGS --threads T --out TMP` and return its outputs.
fn plan_outputs(args: &[&str], threads: &str) -> BTreeMap<String, Vec<u8>> {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let mut a = vec!["plan"];
    a.extend_from_slice(args);
    a.extend(["--threads", threads, "--out", out.to_str().unwrap()]);
    let o = run(&a);
    ok(&o);
    let m = outputs(&out);
    assert!(m.contains_key("summary.json") && m.contains_key("plan.geojson"));
    m
}

/// Two runs with 2 threads and one with 1 thread give the same bytes.
fn assert_reproducible(args: &[&str]) {
    let a = plan_outputs(args, "2");
    let b = plan_outputs(args, "2");
    if let Some(d) = first_difference(&a, &b) {
        panic!("two runs of plan {args:?} differ: {d}");
    }
    let c = plan_outputs(args, "1");
    if let Some(d) = first_difference(&a, &c) {
        panic!("plan {args:?} with --threads 2 and --threads 1 differ: {d}");
    }
}

#[test]
fn national_default_is_byte_identical_across_runs_and_thread_counts() {
    assert_reproducible(&[]);
}

#[test]
fn fixture_is_byte_identical_across_runs_and_thread_counts() {
    assert_reproducible(&[EQUATOR_VILLAGES.as_slice(), &EQUATOR_NETWORK].concat());
    // User villages inside Kazakhstan (districts, country mask) and a quota.
    assert_reproducible(&[
        "--villages",
        "tests/bad_inputs/ok_kazakh_names_and_bom_csv/villages.csv",
        "--backbone",
        "tests/bad_inputs/_common/backbone.geojson",
        "--costs",
        "tests/bad_inputs/_common/costs.toml",
        "--target-households",
        "400",
    ]);
}

/// Run `sweep FILE --plans --threads T --out TMP` and return every output.
fn sweep_outputs(file: &Path, threads: &str) -> BTreeMap<String, Vec<u8>> {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    ok(&run(&[
        "sweep",
        file.to_str().unwrap(),
        "--plans",
        "--threads",
        threads,
        "--out",
        out.to_str().unwrap(),
    ]));
    let m = outputs(&out);
    assert!(m.contains_key("results.csv"), "{:?}", m.keys());
    m
}

fn assert_sweep_reproducible(file: &Path) {
    let a = sweep_outputs(file, "2");
    let b = sweep_outputs(file, "2");
    if let Some(d) = first_difference(&a, &b) {
        panic!("two sweeps of {} differ: {d}", file.display());
    }
    let c = sweep_outputs(file, "1");
    if let Some(d) = first_difference(&a, &c) {
        panic!(
            "sweep {} with --threads 2 and --threads 1 differ: {d}",
            file.display()
        );
    }
}

#[test]
fn sweeps_are_byte_identical_across_runs_and_thread_counts() {
    assert_sweep_reproducible(&root().join("tests/fixtures/equator/sweep.toml"));
    // The national data: two quotas under two corridor prices, with every plan written.
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("national.toml");
    let costs = root().join("data/costs.toml");
    std::fs::write(
        &file,
        format!(
            "[inputs]\ncosts = {:?}\n\n[scenario]\nmode = \"quota\"\ntarget_households = 400_000\n\n\
             [grid]\ntarget_households = [100_000, 400_000]\ncorridor_cost_scale = [1.0, 1.3]\n",
            costs.to_str().unwrap()
        ),
    )
    .unwrap();
    assert_sweep_reproducible(&file);
}

/// A good run, then failing runs into the same folder: bad input, an unwritable extra
/// output after the main outputs are staged, an output folder that is a file. Each fails
/// with one line, and the good run's outputs stay byte for byte, with nothing added.
#[test]
fn a_failed_plan_leaves_the_previous_outputs_whole() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let out_s = out.to_str().unwrap();
    let fixture = [EQUATOR_VILLAGES.as_slice(), &EQUATOR_NETWORK].concat();
    let mut good = vec!["plan", "--out", out_s];
    good.extend_from_slice(&fixture);
    ok(&run(&good));
    let before = outputs(&out);
    let files_before = listing(d.path());
    let timings_before = std::fs::read(out.join("timings.json")).unwrap();

    // Bad input: rejected before anything is written.
    let mut bad = vec![
        "plan",
        "--out",
        out_s,
        "--villages",
        "tests/bad_inputs/json_malformed/villages.geojson",
    ];
    bad.extend_from_slice(&EQUATOR_NETWORK);
    let o = run(&bad);
    bad_input(&o, &["villages.geojson:3", "malformed JSON"]);
    assert!(first_difference(&before, &outputs(&out)).is_none());
    assert_eq!(listing(d.path()), files_before);

    // Fails while writing: the outputs are staged, then --export-stp cannot be written: an
    // output fault, exit 2 with one line (issue 19).
    // (A different target, so outputs that slipped through would differ.)
    let mut late = good.clone();
    late.extend([
        "--target-households",
        "110",
        "--export-stp",
        "/nonexistent/fiberplan/graph.stp",
    ]);
    let o = run(&late);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    let e = stderr(&o);
    assert_eq!(e.trim_end().lines().count(), 1, "one line: {e}");
    assert!(e.contains("/nonexistent/fiberplan/graph.stp"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    if let Some(diff) = first_difference(&before, &outputs(&out)) {
        panic!("a failed run changed the outputs: {diff}");
    }
    assert_eq!(
        std::fs::read(out.join("timings.json")).unwrap(),
        timings_before,
        "timings.json of the failed run replaced the good one"
    );
    assert_eq!(
        listing(d.path()),
        files_before,
        "staging or partial files left"
    );

    // The output folder is a file: an error naming it, the file untouched.
    let f = d.path().join("not_a_folder");
    std::fs::write(&f, "keep").unwrap();
    let mut onto_file = vec!["plan", "--out", f.to_str().unwrap()];
    onto_file.extend_from_slice(&fixture);
    let o = run(&onto_file);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    assert_eq!(stderr(&o).trim_end().lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("not_a_folder"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "keep");
}
