//! The cluster deployments of `deploy/` (issue 19): the sweep as a Slurm job array on a
//! one-node cluster started by `scripts/slurm_sweep.sh`, merged and compared byte for byte
//! with a local run; the Kubernetes Indexed Job validated offline against the Job schema.
//! Each prints `SKIPPED` with the reason when its tools are not installed (`.ci/run`
//! installs them).

use crate::common::*;
use std::process::Command;

fn installed(tool: &str) -> bool {
    ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"]
        .iter()
        .any(|d| std::path::Path::new(d).join(tool).is_file())
}

#[test]
fn a_slurm_job_array_sweep_equals_the_local_run() {
    if !installed("slurmctld") || !installed("munged") {
        eprintln!("SKIPPED a_slurm_job_array_sweep: slurmctld or munged is not installed (apt-get install slurm-wlm munge)");
        return;
    }
    // The equator sweep (14 scenarios over 4 shards): the cluster's plumbing, not the solver.
    let o = Command::new("bash")
        .arg(root().join("scripts/slurm_sweep.sh"))
        .arg("tests/fixtures/equator/sweep.toml")
        .env("FIBERPLAN", bin())
        .current_dir(root())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{out}\nstderr:\n{}",
        o.status,
        stderr(&o)
    );
    assert!(
        out.contains("slurm_sweep: OK: merged results.csv (14 scenarios"),
        "{out}"
    );
    assert!(out.contains("(4 tasks)"), "{out}");
}

#[test]
fn the_kubernetes_indexed_job_validates_against_the_job_schema() {
    let home = std::env::var_os("HOME").unwrap_or_default();
    let kv = std::path::Path::new(&home).join(".cache/fiberplan-peers/bin/kubernetes-validate");
    if !kv.is_file() {
        eprintln!(
            "SKIPPED the_kubernetes_indexed_job_validates: {} is not installed (pip install kubernetes-validate into the peers venv)",
            kv.display()
        );
        return;
    }
    let validate = |file: &std::path::Path| {
        Command::new(&kv)
            .args(["--strict", "-k", "1.29.0"])
            .arg(file)
            .current_dir(root())
            .output()
            .unwrap()
    };
    let job = root().join("deploy/kubernetes-indexed-job.yaml");
    let o = validate(&job);
    let text = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("passed for resource job/fiberplan-sweep"),
        "{text}"
    );
    // The check can fail: a misspelt field and a count that is not a number are caught.
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("job.yaml");
    let yaml = std::fs::read_to_string(&job)
        .unwrap()
        .replace("completions: 4", "completions: four")
        .replace("backoffLimitPerIndex", "backoffLimitPerIndexx");
    std::fs::write(&bad, yaml).unwrap();
    let o = validate(&bad);
    let text = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("spec.completions"), "{text}");
}
