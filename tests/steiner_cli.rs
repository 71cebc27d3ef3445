//! End-to-end runs of `fiberplan steiner solve` and `fiberplan steiner bench`.

use std::path::Path;
use std::process::Command;

const STAR: &str = "33D32945 STP File, STP Format Version 1.0\n\
SECTION Comment\nName \"star\"\nEND\n\
SECTION Graph\nNodes 4\nEdges 5\nE 1 2 5\nE 2 3 5\nE 1 4 3\nE 2 4 3\nE 3 4 3\nEND\n\
SECTION Terminals\nTerminals 3\nT 1\nT 2\nT 3\nEND\nEOF\n";

const PRIZES: &str = "SECTION Graph\nNodes 4\nEdges 3\nE 1 2 2.5\nE 1 3 4\nE 1 4 5\nEND\n\
SECTION Terminals\nTerminals 3\nRootP 1\nTP 2 3\nTP 3 8\nTP 4 4.25\nEND\nEOF\n";

fn fiberplan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fiberplan"))
        .args(args)
        .output()
        .expect("run fiberplan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn solve_prints_pace_output() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "star.stp", STAR);
    let (code, out, err) = fiberplan(&["steiner", "solve", &f, "--seed", "3", "--threads", "1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "VALUE 9\n1 4\n2 4\n3 4\n");
    // same answer on two threads
    let (_, out2, _) = fiberplan(&["steiner", "solve", &f, "--seed", "3", "--threads", "2"]);
    assert_eq!(out, out2);
}

#[test]
fn solve_json_reports_bound_and_gap() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "star.stp", STAR);
    let (code, out, _) = fiberplan(&["steiner", "solve", &f, "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["value"], "9");
    assert_eq!(v["cut_short"], false);
    assert!(v["lower_bound"].is_string());
    assert!(v["seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn prizes_quota_and_budget_in_file_units() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "p.stp", PRIZES);
    // PCST: take 3 (cost 4, prize 8) and 4 (cost 5, prize 4.25 -> not worth it) ...
    let (code, out, err) = fiberplan(&["steiner", "solve", &f]);
    assert_eq!(code, 0, "{err}");
    // best: node 3 alone (4 + 3 + 4.25 = 11.25) vs adding 2 (2.5 < 3): 6.5 + 4.25 = 10.75
    assert_eq!(out, "VALUE 10.75\n1 2\n1 3\n");
    let (code, out, _) = fiberplan(&["steiner", "solve", &f, "--quota", "11"]);
    assert_eq!(code, 0);
    assert_eq!(out, "VALUE 6.50\n# prize 11.00\n1 2\n1 3\n");
    let (code, out, _) = fiberplan(&["steiner", "solve", &f, "--budget", "2"]);
    assert_eq!(code, 0);
    assert_eq!(out, "VALUE 0.00\n# prize 0.00\nV 1\n");
}

#[test]
fn prove_with_quota_and_budget_reports_optimal_and_refuses_pcst() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "p.stp", PRIZES);
    // Quota 11: nodes 2 and 3 (prizes 3 + 8) at 2.5 + 4 = 6.50 is the only tree under 9.
    for threads in ["1", "2"] {
        let (code, out, err) = fiberplan(&[
            "steiner",
            "solve",
            &f,
            "--quota",
            "11",
            "--prove",
            "--json",
            "--threads",
            threads,
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["problem"], "quota");
        assert_eq!(v["value"], "6.50");
        assert_eq!(v["lower_bound"], "6.50");
        assert_eq!(v["optimal"], true);
    }
    // Quota 12: nodes 3 and 4 (8 + 4.25) at 4 + 5 = 9.00, below all three at 11.50.
    let (code, out, _) = fiberplan(&["steiner", "solve", &f, "--quota", "12", "--prove", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        (v["value"].as_str(), v["optimal"].as_bool()),
        (Some("9.00"), Some(true))
    );
    // Budget 5: node 3 alone (prize 8 at 4.00); every tree holding more costs at least
    // 6.50 (nodes 2 and 3), so it is proven the most prize.
    let (code, out, err) =
        fiberplan(&["steiner", "solve", &f, "--budget", "5", "--prove", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["problem"], "budget");
    assert_eq!(
        (v["value"].as_str(), v["prize"].as_str()),
        (Some("4.00"), Some("8.00"))
    );
    assert_eq!(v["optimal"], true);
    // Prize-collecting trees are not covered: one line, exit 2.
    let (code, out, err) = fiberplan(&["steiner", "solve", &f, "--prove"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("--prove") && err.contains("prize-collecting"),
        "{err}"
    );
}

#[test]
fn malformed_file_is_one_line_with_file_and_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "bad.stp", &STAR.replace("E 2 3 5", "E 2 9 5"));
    let (code, out, err) = fiberplan(&["steiner", "solve", &f]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("bad.stp:9: node 9 outside 1..=4"), "{err}");
}

#[test]
fn bench_writes_gap_table_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "star.stp", STAR);
    let opt = write(dir.path(), "opt.csv", "paceName,opt\nstar.stp ,9\n");
    let csv = dir.path().join("out.csv");
    let (code, out, err) = fiberplan(&[
        "steiner",
        "bench",
        &f,
        "--optima",
        &opt,
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("mean gap 0.000 % over 1 instances"), "{out}");
    let text = std::fs::read_to_string(csv).unwrap();
    assert!(text.starts_with("instance,n,m,terminals,optimum,value,gap_pct"));
    assert!(text.contains("star,4,5,3,9,9,0.0000,"), "{text}");
}
