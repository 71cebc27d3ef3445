//! The one list of a plan's output files, written the same way by `plan` and `sweep --plans`.

use crate::{district_packages, office, plan_html, AtomicDir, Lang, PlanContext};
use fiberplan_model::LonLat;

/// Which of a plan's files to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFiles {
    /// Everything `fiberplan plan` writes: the data files, `plan.xlsx`, `chart.svg` and
    /// `chart.png`, the district packages, `plan.html` and the national `report.html`.
    All,
    /// The plan's data files only (`plan.geojson`, `villages.csv`, `routes.csv`,
    /// `summary.json`): what a sweep keeps per scenario.
    Data,
}

/// A file that could not be staged: its name in the output folder and why.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {name}: {source}")]
pub struct WriteError {
    /// The file's path relative to the output folder.
    pub name: String,
    /// What the file system said.
    pub source: std::io::Error,
}

/// The plan's final `villages.csv` and `summary.json` texts: [`PlanContext::villages_csv`]
/// and [`PlanContext::summary_json`], or those with a stage's columns and figures added
/// (`plan` adds the last mile's and the mobile sites'), and the last mile's designs when
/// `plan` made them (the district reports' per-village bill of quantities and access maps).
#[derive(Clone, Copy, Debug)]
pub struct PlanTexts<'a> {
    pub villages_csv: &'a str,
    pub summary_json: &'a str,
    pub last_mile: Option<&'a crate::last_mile_out::PlanLastMile>,
}

/// Stage the plan's `files` in `out` (committed by the caller, with any files of its own:
/// `plan` adds the stages' maps and bills). The data files are byte for byte the same
/// whichever selection writes them.
pub fn write_plan(
    out: &mut AtomicDir,
    ctx: &PlanContext,
    district_polygons: &[Vec<Vec<Vec<LonLat>>>],
    lang: Lang,
    files: PlanFiles,
    texts: PlanTexts,
) -> Result<(), WriteError> {
    let mut write = |name: &str, body: &[u8]| {
        out.write(name, body).map_err(|source| WriteError {
            name: name.to_string(),
            source,
        })
    };
    // Made once: the packages copy its features.
    let national = ctx.geojson(lang);
    write("plan.geojson", national.as_bytes())?;
    let all = files == PlanFiles::All;
    for (name, body) in office::plan_office_files(ctx, texts.villages_csv, lang, all) {
        write(name, &body)?;
    }
    write("summary.json", texts.summary_json.as_bytes())?;
    if all {
        district_packages(
            ctx,
            district_polygons,
            lang,
            texts,
            &national,
            |name, body| write(&name, &body),
        )?;
        drop(national);
        write(
            "plan.html",
            plan_html(ctx, district_polygons, lang).as_bytes(),
        )?;
        write(
            "report.html",
            crate::report_html::national_report(ctx, lang).as_bytes(),
        )?;
    }
    Ok(())
}
