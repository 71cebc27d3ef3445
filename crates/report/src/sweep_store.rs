//! A sweep's result store: one durable row file per solved scenario under
//! `OUT/results.d/<id>.<key>.row`, where the key hashes the inputs' bytes, the settings and
//! the scenario. A restarted sweep skips rows whose file exists; changed inputs change every
//! key, so old rows are never mixed in. When every scenario has its row, `results.csv` and
//! `frontier.svg` are written from them; `merge` does the same from the shards' results.
//!
//! The store reads back only the rows it wrote itself.

use crate::frontier::{frontier_svg, FrontierPoint};
use crate::write_atomic;
use fiberplan_model::Scenario;
use fiberplan_plan::sweep::{content_key, RESULTS_HEADER};
use std::path::{Path, PathBuf};

/// The row files of one sweep's output folder.
pub struct SweepStore {
    rows_dir: PathBuf,
    digest: String,
}

impl SweepStore {
    /// The store in `out/results.d` (created) for inputs whose bytes and settings hash to
    /// `digest` (see [`content_key`]).
    pub fn open(out: &Path, digest: String) -> std::io::Result<Self> {
        let rows_dir = out.join("results.d");
        std::fs::create_dir_all(&rows_dir)?;
        Ok(SweepStore { rows_dir, digest })
    }

    /// The folder the rows are in.
    pub fn dir(&self) -> &Path {
        &self.rows_dir
    }

    /// Where the row of scenario `s` named `id` is kept.
    pub fn row_path(&self, id: &str, s: &Scenario) -> PathBuf {
        let key = content_key(&[self.digest.as_bytes(), format!("{id} {s:?}").as_bytes()]);
        self.rows_dir.join(format!("{id}.{}.row", &key[..16]))
    }

    /// Whether the scenario's row is already kept.
    pub fn has(&self, id: &str, s: &Scenario) -> bool {
        self.row_path(id, s).exists()
    }

    /// Keep a row (one line, with its newline), durable once this returns.
    pub fn put(&self, id: &str, s: &Scenario, row: &str) -> std::io::Result<()> {
        write_atomic(&self.row_path(id, s), row.as_bytes())
    }

    /// A kept row, as `put` wrote it.
    pub fn get(&self, id: &str, s: &Scenario) -> std::io::Result<String> {
        std::fs::read_to_string(self.row_path(id, s))
    }
}

/// Two shards disagree on one scenario's row: were they run on different inputs?
#[derive(Debug, thiserror::Error)]
#[error("scenario {0} has different results in two shards: were they run on different inputs?")]
pub struct MergeConflict(pub String);

/// The rows of several shards as one list in scenario-id order, identical duplicates kept
/// once. Each row ends with a newline.
pub fn merge_rows(mut rows: Vec<String>) -> Result<Vec<String>, MergeConflict> {
    let id = |r: &str| r.split(',').next().map(str::to_string);
    rows.sort_by(|x, y| id(x).cmp(&id(y)).then(x.cmp(y)));
    rows.dedup();
    for w in rows.windows(2) {
        if id(&w[0]) == id(&w[1]) {
            return Err(MergeConflict(id(&w[0]).unwrap_or_default()));
        }
    }
    Ok(rows)
}

/// Write `results.csv` (header + rows in the given order) and `frontier.svg` into `out`.
pub fn write_results(out: &Path, rows: &[String], title: &str) -> Result<(), crate::WriteError> {
    let fail = |name: &str| {
        let name = out.join(name).display().to_string();
        move |source| crate::WriteError { name, source }
    };
    let mut csv = String::from(RESULTS_HEADER);
    csv.push('\n');
    for r in rows {
        csv.push_str(r);
    }
    write_atomic(&out.join("results.csv"), csv.as_bytes()).map_err(fail("results.csv"))?;
    let cols: Vec<&str> = RESULTS_HEADER.split(',').collect();
    let col = |n: &str| cols.iter().position(|c| *c == n).expect("known column");
    let (id, hf, hw, hs, cost) = (
        col("scenario_id"),
        col("households_fibre"),
        col("households_fwa"),
        col("households_satellite"),
        col("cost_total_kzt"),
    );
    let points: Vec<FrontierPoint> = rows
        .iter()
        .map(|r| {
            let f: Vec<&str> = r.trim_end().split(',').collect();
            let n = |i: usize| f.get(i).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
            FrontierPoint {
                id: f[id].to_string(),
                households: n(hf) + n(hw) + n(hs),
                cost_kzt: f.get(cost).and_then(|x| x.parse().ok()).unwrap_or(0),
            }
        })
        .collect();
    let svg = frontier_svg(
        &points,
        &format!("fiberplan sweep: cost against households served ({title})"),
    );
    write_atomic(&out.join("frontier.svg"), svg.as_bytes()).map_err(fail("frontier.svg"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_sorts_dedups_and_refuses_conflicts() {
        let rows = vec!["b,2\n".to_string(), "a,1\n".into(), "b,2\n".into()];
        assert_eq!(merge_rows(rows).unwrap(), ["a,1\n", "b,2\n"]);
        let e = merge_rows(vec!["a,1\n".into(), "a,2\n".into()]).unwrap_err();
        assert_eq!(e.0, "a");
    }

    #[test]
    fn rows_are_keyed_by_inputs_and_scenario() {
        let dir = tempfile::tempdir().unwrap();
        let s = Scenario::quota(10);
        let a = SweepStore::open(dir.path(), "one".into()).unwrap();
        let b = SweepStore::open(dir.path(), "two".into()).unwrap();
        assert_ne!(a.row_path("x", &s), b.row_path("x", &s));
        assert!(!a.has("x", &s));
        a.put("x", &s, "x,1\n").unwrap();
        assert!(a.has("x", &s) && !b.has("x", &s));
        assert_eq!(a.get("x", &s).unwrap(), "x,1\n");
    }
}
