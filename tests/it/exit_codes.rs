//! Exit codes, command by command: 2 for every usage error (clap's convention) and every bad
//! input, with one line on stderr; 1 is kept for internal failures.

use crate::common::{run, stderr};

/// Runs `args` and asserts exit code 2 with a one-line `fiberplan: error:` message (or
/// clap's usage message, which names the flag).
fn exits_2(args: &[&str]) {
    let o = run(args);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "fiberplan {}: expected exit 2, got {:?}\nstderr:\n{err}",
        args.join(" "),
        o.status
    );
    assert!(!err.contains("panicked"), "{}: {err}", args.join(" "));
    if err.starts_with("fiberplan: error:") {
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{}: {err}",
            args.join(" ")
        );
    }
}

#[test]
fn plan_usage_and_input_errors_exit_2() {
    exits_2(&["plan", "--no-such-flag"]);
    exits_2(&["plan", "--threads", "0", "--out", "target/exit-codes/plan"]);
    exits_2(&[
        "plan",
        "--household-size",
        "0",
        "--out",
        "target/exit-codes/plan",
    ]);
    exits_2(&[
        "plan",
        "--circuity",
        "nan",
        "--out",
        "target/exit-codes/plan",
    ]);
    exits_2(&["plan", "--target-households", "-5"]);
    exits_2(&[
        "plan",
        "--villages",
        "tests/no-such-file.csv",
        "--out",
        "target/exit-codes/plan",
    ]);
    // A flag the mode does not read is an error naming the mode it needs.
    let o = run(&[
        "plan",
        "--budget-kzt",
        "5",
        "--out",
        "target/exit-codes/plan",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--mode budget"), "{}", stderr(&o));
    exits_2(&[
        "plan",
        "--mode",
        "budget",
        "--out",
        "target/exit-codes/plan",
    ]);
}

#[test]
fn validate_usage_and_input_errors_exit_2() {
    exits_2(&["validate", "--no-such-flag"]);
    exits_2(&["validate", "--costs", "tests/no-such-costs.toml"]);
    exits_2(&["validate", "--scenarios", "tests/no-such-scenarios.toml"]);
}

#[test]
fn sweep_and_merge_usage_and_input_errors_exit_2() {
    exits_2(&["sweep"]);
    exits_2(&[
        "sweep",
        "seeds/bench.toml",
        "--threads",
        "0",
        "--out",
        "target/exit-codes/sweep",
    ]);
    exits_2(&[
        "sweep",
        "seeds/bench.toml",
        "--shard",
        "3/2",
        "--out",
        "target/exit-codes/sweep",
    ]);
    exits_2(&[
        "sweep",
        "tests/no-such-scenarios.toml",
        "--out",
        "target/exit-codes/sweep",
    ]);
    exits_2(&["merge", "--out", "target/exit-codes/merge"]);
    exits_2(&[
        "merge",
        "tests/no-such-folder",
        "--out",
        "target/exit-codes/merge",
    ]);
}

#[test]
fn diff_usage_and_input_errors_exit_2() {
    exits_2(&["diff"]);
    exits_2(&["diff", "tests/no-such-plan", "tests/no-such-plan-either"]);
    // A GeoJSON that is not fiberplan's plan: named by file and feature.
    let o = run(&[
        "diff",
        "tests/fixtures/equator/backbone.geojson",
        "tests/fixtures/equator/backbone.geojson",
        "--out",
        "target/exit-codes/diff",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("feature 0"), "{}", stderr(&o));
}

#[test]
fn steiner_usage_and_input_errors_exit_2() {
    exits_2(&["steiner", "solve"]);
    exits_2(&["steiner", "solve", "tests/no-such.stp"]);
    exits_2(&["steiner", "solve", "tests/no-such.stp", "--quota", "abc"]);
    exits_2(&[
        "steiner",
        "solve",
        "tests/no-such.stp",
        "--time-limit",
        "-1",
    ]);
}

#[test]
fn osm_and_bench_usage_and_input_errors_exit_2() {
    exits_2(&["osm", "stats", "tests/no-such.osm.pbf"]);
    exits_2(&["osm", "stats", "data/osm/andorra.osm.pbf", "--threads", "0"]);
    exits_2(&["bench", "run", "tests/no-such.stp"]);
    exits_2(&["bench", "run", "tests/no-such.stp", "--threads", "0"]);
    exits_2(&["bench", "sweep", "tests/no-such.stp", "--threads", "0"]);
    exits_2(&["bench", "generate", "--no-such-flag"]);
    exits_2(&["no-such-command"]);
}
