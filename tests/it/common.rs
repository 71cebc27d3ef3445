//! Running the binary and reading its outputs.

use std::path::{Path, PathBuf};
use std::process::Output;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fiberplan"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The hand-checked equator fixture's network and prices (tests/fixtures/README.md).
pub const EQUATOR_NETWORK: [&str; 4] = [
    "--backbone",
    "tests/fixtures/equator/backbone.geojson",
    "--costs",
    "tests/fixtures/equator/costs.toml",
];

/// The equator fixture's villages.
pub const EQUATOR_VILLAGES: [&str; 2] = ["--villages", "tests/fixtures/equator/villages.csv"];

/// `fiberplan plan` on the equator fixture into `out`, with `extra` arguments.
pub fn plan_equator(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["plan", "--out", out.to_str().unwrap()];
    args.extend_from_slice(&EQUATOR_VILLAGES);
    args.extend_from_slice(&EQUATOR_NETWORK);
    args.extend_from_slice(extra);
    run(&args)
}

/// Run `fiberplan ARGS` from the repository root.
pub fn run(args: &[&str]) -> Output {
    std::process::Command::new(bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("run fiberplan")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Assert a successful run, showing stderr otherwise.
pub fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        stderr(o)
    );
}

/// Assert exit code 2 and a single-line error mentioning every `needle`.
pub fn bad_input(o: &Output, needles: &[&str]) {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    let e = stderr(o);
    assert_eq!(e.trim_end().lines().count(), 1, "one line expected: {e}");
    assert!(!e.contains("panicked"), "{e}");
    for n in needles {
        assert!(e.contains(n), "{n:?} not in {e:?}");
    }
}
