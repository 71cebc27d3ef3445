//! `fiberplan radio`: path loss over terrain and coverage maps.
//!
//! `itm-p2p` and `itm-area` run NTIA's Irregular Terrain Model on case tables in the
//! layout of NTIA's `p2p.csv` / `area.csv`; `loss` runs the empirical models; `profile`
//! cuts a terrain profile from DEM tiles; `coverage` maps a site's received power.
//! Output CSV goes to stdout; a bad row is one line naming the file, the row and why.

use super::{init_threads, BadInput};
use fiberplan_io::dem::cases::{read_case_table, read_lines, CaseRow, CaseTable};
use fiberplan_io::{InputError, Where};
use fiberplan_radio::itm::{self, ItmParams};
use fiberplan_radio::pfl::{parse_f64, parse_pfl_bytes, scan_row, Pfl, PflError};
use fiberplan_radio::text::{push_fixed2, push_u64};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Radio propagation: ITM (Longley-Rice), Hata / COST-231, 3GPP TR 38.901, coverage.
#[derive(clap::Subcommand, Debug)]
pub enum RadioCmd {
    /// ITM point-to-point: NTIA p2p.csv columns + a profile file; prints A__db, mode, warnings.
    ItmP2p(ItmP2pArgs),
    /// ITM area mode: NTIA area.csv columns; prints A__db and warnings.
    ItmArea(ItmAreaArgs),
    /// Empirical path loss (free space, Okumura-Hata, COST-231 Hata, TR 38.901); prints loss_db.
    Loss(LossArgs),
    /// A great-circle terrain profile from DEM tiles, in NTIA's layout.
    Profile(ProfileArgs),
    /// Received power of one site over a grid: GeoJSON and a heat map.
    Coverage(CoverageArgs),
}

#[derive(clap::Args, Debug)]
pub struct ItmP2pArgs {
    /// Cases: h_tx__meter,h_rx__meter,epsilon,sigma,N_0,f__mhz,pol,climate,time,location,situation,mdvar.
    pub cases: PathBuf,
    /// Profiles, one per data row: n, interval in metres, then n + 1 elevations.
    #[arg(long)]
    pub profiles: PathBuf,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(clap::Args, Debug)]
pub struct ItmAreaArgs {
    /// Cases: h_tx__meter,h_rx__meter,delta_h__meter,mdvar,d__km,tx_siting_criteria,
    /// rx_siting_criteria,epsilon,sigma,N_0,f__mhz,pol,climate,time,location,situation.
    pub cases: PathBuf,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

pub fn run(cmd: RadioCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        RadioCmd::ItmP2p(a) => itm_p2p(a),
        RadioCmd::ItmArea(a) => itm_area(a),
        RadioCmd::Loss(a) => loss(a),
        RadioCmd::Profile(a) => profile(a),
        RadioCmd::Coverage(a) => coverage(a),
    }
}

/// A case table with its path, for cell lookups that report file, line and column.
struct Table<'a> {
    path: &'a Path,
    t: CaseTable,
}

impl Table<'_> {
    fn read(path: &Path) -> Result<Table<'_>, InputError> {
        Ok(Table {
            path,
            t: read_case_table(path)?,
        })
    }
    fn columns(&self, names: &[&str]) -> Result<Vec<usize>, InputError> {
        names.iter().map(|n| self.t.column(self.path, n)).collect()
    }
    fn num(&self, row: &CaseRow, col: usize) -> Result<f64, InputError> {
        let text = self.t.cell(row, col);
        // parse_f64 is str::parse with a fast exact path for plain decimals.
        match parse_f64(text) {
            Some(v) if v.is_finite() => Ok(v),
            _ => Err(InputError::new(
                self.path,
                Where::Line(row.line),
                format!("column `{}`: `{text}` is not a number", self.t.headers[col]),
            )),
        }
    }
    fn int(&self, row: &CaseRow, col: usize) -> Result<i32, InputError> {
        let v = self.num(row, col)?;
        if v.fract() != 0.0 || v.abs() > 1e6 {
            return Err(InputError::new(
                self.path,
                Where::Line(row.line),
                format!(
                    "column `{}`: `{}` is not a whole number",
                    self.t.headers[col],
                    self.t.cell(row, col)
                ),
            ));
        }
        Ok(v as i32)
    }
    /// Output header and the input columns echoed: every column but `skip`.
    fn echo(&self, skip: &str) -> Vec<usize> {
        (0..self.t.headers.len())
            .filter(|&i| self.t.headers[i] != skip)
            .collect()
    }
    fn echo_header(&self, keep: &[usize], extra: &[&str]) -> String {
        let mut h: Vec<&str> = keep.iter().map(|&i| self.t.headers[i].as_str()).collect();
        h.extend_from_slice(extra);
        h.join(",")
    }
    fn itm_error(&self, row: &CaseRow, index: usize, e: itm::ItmError) -> InputError {
        let code = match e.code() {
            0 => String::new(),
            c => format!(" {c}"),
        };
        InputError::new(
            self.path,
            Where::Line(row.line),
            format!("row {}: ITM error{code}: {e}", index + 1),
        )
    }
}

/// Append the echoed input cells of a row, comma separated, quoted as CSV needs.
fn echo_cells(out: &mut Vec<u8>, table: &Table<'_>, row: &CaseRow, keep: &[usize]) {
    // Every column (no `A__db` to drop) and nothing to quote: the row's text at once.
    if keep.len() == table.t.headers.len() {
        if let Some(text) = table.t.row_text(row) {
            out.extend_from_slice(text.as_bytes());
            return;
        }
    }
    for (k, &i) in keep.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        let s = table.t.cell(row, i);
        if s.bytes().any(|c| matches!(c, b',' | b'"' | b'\n')) {
            out.push(b'"');
            out.extend_from_slice(s.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// Rows per parallel work item: each fills one output buffer, kept in input order.
const CHUNK: usize = 512;

/// Compute output lines in parallel chunks (`line` appends one row's line to the
/// chunk's buffer) and print them in input order; the first bad row (in order) wins.
/// No row allocates: the buffers are per chunk and the scratch `S` per worker.
fn print_rows<S, I, F>(
    header: String,
    rows: &[CaseRow],
    init: I,
    line: F,
) -> anyhow::Result<ExitCode>
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, &CaseRow, &mut Vec<u8>) -> Result<(), InputError> + Sync + Send,
{
    let chunks: Vec<Result<Vec<u8>, InputError>> = rows
        .par_chunks(CHUNK)
        .map_init(init, |scratch, chunk| {
            let mut buf = Vec::with_capacity(chunk.len() * 128);
            for row in chunk {
                line(scratch, row, &mut buf)?;
            }
            Ok(buf)
        })
        .collect();
    let mut bufs = Vec::with_capacity(chunks.len());
    for c in chunks {
        bufs.push(c?);
    }
    print_bufs(&header, &bufs)
}

/// Print the header line and the rows' buffers on stdout.
fn print_bufs(header: &str, bufs: &[Vec<u8>]) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(header.as_bytes())?;
    out.write_all(b"\n")?;
    for b in bufs {
        out.write_all(b)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One ITM case table: its columns (NTIA's names, in the order `eval` reads them), which
/// of them are whole numbers, and whether the output has a `mode` column.
struct ItmCases<'a> {
    columns: &'a [&'a str],
    ints: &'a [&'a str],
    with_mode: bool,
}

/// The per-row work shared by `itm-p2p` and `itm-area`: the columns `eval` reads (in
/// `ItmCases::columns` order), which are whole numbers, and the echoed columns.
struct ItmRows<'a> {
    table: &'a Table<'a>,
    cols: Vec<usize>,
    is_int: Vec<bool>,
    keep: Vec<usize>,
    with_mode: bool,
}

impl<'a> ItmRows<'a> {
    /// The columns of `spec` in `table`, and the output header: every input column but
    /// `A__db`, then `A__db`, `mode` when asked and `warnings`.
    fn new(table: &'a Table<'a>, spec: &ItmCases<'_>) -> Result<(Self, String), InputError> {
        let cols = table.columns(spec.columns)?;
        let is_int: Vec<bool> = spec.columns.iter().map(|c| spec.ints.contains(c)).collect();
        let keep = table.echo("A__db");
        let extra: &[&str] = if spec.with_mode {
            &["A__db", "mode", "warnings"]
        } else {
            &["A__db", "warnings"]
        };
        let header = table.echo_header(&keep, extra);
        let rows = ItmRows {
            table,
            cols,
            is_int,
            keep,
            with_mode: spec.with_mode,
        };
        Ok((rows, header))
    }

    /// Read a row's numbers into `values`, run `eval` on them and append the output line.
    fn line<S, F>(
        &self,
        scratch: &mut S,
        values: &mut [f64; 16],
        row: &CaseRow,
        out: &mut Vec<u8>,
        eval: &F,
    ) -> Result<(), InputError>
    where
        F: Fn(
            &mut S,
            &CaseRow,
            &[f64],
        ) -> Result<Result<itm::ItmResult, itm::ItmError>, InputError>,
    {
        let values = self.values(row, values)?;
        let r = eval(scratch, row, values)?;
        self.write(row, r, out)
    }

    /// A row's numbers, in `ItmCases::columns` order.
    fn values<'v>(
        &self,
        row: &CaseRow,
        values: &'v mut [f64; 16],
    ) -> Result<&'v [f64], InputError> {
        let table = self.table;
        // The whole row at once when it is plain decimals (the same values as parse_f64
        // cell by cell), else cell by cell.
        let mut all = [0.0f64; 32];
        let whole = table
            .t
            .row_text(row)
            .and_then(|text| scan_row(text.as_bytes(), &mut all))
            == Some(table.t.headers.len());
        let values = &mut values[..self.cols.len()];
        for ((v, &c), &int) in values.iter_mut().zip(&self.cols).zip(&self.is_int) {
            let x = if whole {
                Some(all[c])
            } else {
                parse_f64(table.t.cell(row, c))
            };
            // The accepted cell without building a result; `num` / `int` again (the same
            // tests) for the message of a refused one.
            *v = match x {
                Some(x) if x.is_finite() && !int => x,
                Some(x) if x.is_finite() && x.fract() == 0.0 && x.abs() <= 1e6 => x as i32 as f64,
                _ if int => table.int(row, c)? as f64,
                _ => table.num(row, c)?,
            };
        }
        Ok(values)
    }

    /// Append a row's output line: its echoed cells and ITM's result (or the row's error).
    fn write(
        &self,
        row: &CaseRow,
        r: Result<itm::ItmResult, itm::ItmError>,
        out: &mut Vec<u8>,
    ) -> Result<(), InputError> {
        let table = self.table;
        let r = r.map_err(|e| table.itm_error(row, row.index, e))?;
        echo_cells(out, table, row, &self.keep);
        // `,{:.2},{mode},{warnings}` without the float formatter (the same text).
        out.push(b',');
        push_fixed2(out, r.a_db);
        if self.with_mode {
            out.extend_from_slice(&[b',', b'0' + r.inter.mode as u8]);
        }
        out.push(b',');
        push_u64(out, r.warnings.0.into());
        out.push(b'\n');
        Ok(())
    }
}

/// The shared runner of `itm-p2p` and `itm-area`: read the table, echo every input
/// column but `A__db`, and per row read the columns' numbers and append `eval`'s
/// `A__db` (2 decimals), `mode` when asked and `warnings`. `eval` gets the row's values in
/// `columns` order and its scratch `S` (one per worker).
fn run_itm_cases<S, I, F>(
    table: &Table<'_>,
    spec: ItmCases<'_>,
    init: I,
    eval: F,
) -> anyhow::Result<ExitCode>
where
    S: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, &CaseRow, &[f64]) -> Result<Result<itm::ItmResult, itm::ItmError>, InputError>
        + Sync
        + Send,
{
    let (rows, header) = ItmRows::new(table, &spec)?;
    print_rows(
        header,
        &table.t.rows,
        || (init(), [0.0; 16]),
        |(scratch, values), row, out| rows.line(scratch, values, row, out, &eval),
    )
}

/// NTIA's integer columns (read as whole numbers).
const ITM_INTS: [&str; 5] = [
    "pol",
    "climate",
    "mdvar",
    "tx_siting_criteria",
    "rx_siting_criteria",
];

/// A point-to-point case for `itm::p2p_pair`: a row's heights, its profile and parameters.
fn pair_case<'a>(v: &[f64], p: &'a Pfl, params: &'a ItmParams) -> itm::P2pCase<'a> {
    itm::P2pCase {
        h_tx_m: v[0],
        h_rx_m: v[1],
        elev: &p.elevations,
        interval_m: p.interval_m,
        params,
    }
}

/// One point-to-point case: the row's values (in `itm::cases::P2P_COLUMNS` order) over the
/// profile `line`, parsed into `pfl` (reused from row to row).
fn p2p_case(
    pfl: &mut Pfl,
    v: &[f64],
    line: &[u8],
) -> Result<Result<itm::ItmResult, itm::ItmError>, PflError> {
    parse_pfl_bytes(line, pfl)?;
    Ok(itm::p2p(
        v[0],
        v[1],
        &pfl.elevations,
        pfl.interval_m,
        &itm::cases::p2p_params(v),
    ))
}

fn itm_p2p(args: ItmP2pArgs) -> anyhow::Result<ExitCode> {
    init_threads(args.threads)?;
    let table = Table::read(&args.cases)?;
    let spec = ItmCases {
        columns: &itm::cases::P2P_COLUMNS,
        ints: &ITM_INTS,
        with_mode: true,
    };
    // The common case streams the profiles; anything unusual goes the whole-file way,
    // which finds and reports it.
    if let Ok((rows, header)) = ItmRows::new(&table, &spec) {
        if let Some(bufs) = p2p_streamed(&rows, &args.profiles) {
            return print_bufs(&header, &bufs);
        }
    }
    let pfls = read_lines(&args.profiles)?;
    if pfls.len() < table.t.rows.len() {
        return Err(InputError::file(
            &args.profiles,
            format!(
                "{} profile lines for {} cases in {}: data row i uses line i",
                pfls.len(),
                table.t.rows.len(),
                args.cases.display()
            ),
        )
        .into());
    }
    run_itm_cases(&table, spec, Pfl::default, |pfl, row, v| {
        let i = row.index;
        p2p_case(pfl, v, pfls.get(i).as_bytes())
            .map_err(|e| InputError::new(&args.profiles, Where::Line(i as u64 + 1), e.to_string()))
    })
}

/// Profile bytes read at a time by [`p2p_streamed`]: a block stays in cache while its
/// lines are parsed.
const STREAM_BLOCK: usize = 1 << 19;

/// Rows per parallel work item in [`p2p_streamed`] (a block holds some 300 lines of 200
/// points).
const STREAM_CHUNK: usize = 32;

/// `itm-p2p`'s output lines (in order, in buffers) with the profile file read a block at a
/// time while the cases are computed, instead of whole: no buffer the size of the file to
/// fault in, no UTF-8 pass over it, lines parsed while they are in cache. For the clean
/// case only: `None` at anything else (a file that cannot be read, text that is not
/// ASCII, a row or line that fails, too few lines); the whole-file path then runs and
/// reports it. Lines are split as `read_lines` splits them (at '\n', without trailing
/// '\r's), and the same per-row work runs on them, so the output is the same.
fn p2p_streamed(rows: &ItmRows<'_>, path: &Path) -> Option<Vec<Vec<u8>>> {
    use std::io::Read;
    // Only a regular file streams (a device such as /dev/zero never ends); a line longer
    // than the whole-file path's limit goes that way too, which refuses it.
    let (mut file, _) = fiberplan_io::text::open_regular(path).ok()?;
    let cases = &rows.table.t.rows;
    let mut bufs = Vec::new();
    let mut buf: Vec<u8> = Vec::with_capacity(2 * STREAM_BLOCK);
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    loop {
        let before = buf.len();
        let got = (&mut file)
            .take(STREAM_BLOCK as u64)
            .read_to_end(&mut buf)
            .ok()?;
        let eof = got < STREAM_BLOCK;
        if !buf[before..].is_ascii() || buf.len() as u64 > fiberplan_io::text::LIMIT_CASES {
            return None;
        }
        // Complete lines: up to the last '\n', and at the end of the file the rest.
        lines.clear();
        let mut start = 0;
        while let Some(p) = fiberplan_radio::pfl::find_newline(&buf[start..]) {
            lines.push((start, start + p));
            start += p + 1;
        }
        if eof && start < buf.len() {
            lines.push((start, buf.len()));
            start = buf.len();
        }
        let take = lines.len().min(cases.len() - next);
        let text = &buf;
        let work: Vec<Option<Vec<u8>>> = cases[next..next + take]
            .par_chunks(STREAM_CHUNK)
            .zip(lines[..take].par_chunks(STREAM_CHUNK))
            .map_init(
                || ([Pfl::default(), Pfl::default()], [[0.0; 16]; 2]),
                |(pfls, values), (chunk, spans)| {
                    let mut out = Vec::with_capacity(chunk.len() * 128);
                    let line = |k: usize| {
                        let (a, b) = spans[k];
                        let mut line = &text[a..b];
                        while let [rest @ .., b'\r'] = line {
                            line = rest;
                        }
                        line
                    };
                    // Two rows at a time through `p2p_pair` (the same results as one by one).
                    let mut k = 0;
                    while k + 1 < chunk.len() {
                        let (r0, r1) = (&chunk[k], &chunk[k + 1]);
                        let [p0, p1] = &mut *pfls;
                        let [w0, w1] = &mut *values;
                        let v0 = rows.values(r0, w0).ok()?;
                        let v1 = rows.values(r1, w1).ok()?;
                        parse_pfl_bytes(line(k), p0).ok()?;
                        parse_pfl_bytes(line(k + 1), p1).ok()?;
                        let (q0, q1) = (itm::cases::p2p_params(v0), itm::cases::p2p_params(v1));

                        let [a0, a1] =
                            itm::p2p_pair(&pair_case(v0, p0, &q0), &pair_case(v1, p1, &q1));
                        rows.write(r0, a0, &mut out).ok()?;
                        rows.write(r1, a1, &mut out).ok()?;
                        k += 2;
                    }
                    if k < chunk.len() {
                        let v0 = rows.values(&chunk[k], &mut values[0]).ok()?;
                        let r = p2p_case(&mut pfls[0], v0, line(k)).ok()?;
                        rows.write(&chunk[k], r, &mut out).ok()?;
                    }
                    Some(out)
                },
            )
            .collect();
        for w in work {
            bufs.push(w?);
        }
        next += take;
        buf.drain(..start);
        if eof {
            break;
        }
    }
    (next == cases.len()).then_some(bufs)
}

fn itm_area(args: ItmAreaArgs) -> anyhow::Result<ExitCode> {
    init_threads(args.threads)?;
    let table = Table::read(&args.cases)?;
    let spec = ItmCases {
        columns: &itm::cases::AREA_COLUMNS,
        ints: &ITM_INTS,
        with_mode: false,
    };
    run_itm_cases(&table, spec, || (), |_, _, v| Ok(itm::cases::area_row(v)))
}

#[derive(clap::Args, Debug)]
pub struct LossArgs {
    /// Cases: model,f_mhz,d_2d_km,h_bs_m,h_ut_m[,h_building_m,street_width_m].
    pub cases: PathBuf,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

fn loss(args: LossArgs) -> anyhow::Result<ExitCode> {
    use fiberplan_radio::{Link, Model, PathLoss};
    init_threads(args.threads)?;
    let table = Table::read(&args.cases)?;
    let c = table.columns(&["model", "f_mhz", "d_2d_km", "h_bs_m", "h_ut_m"])?;
    let h_building = table.t.headers.iter().position(|h| h == "h_building_m");
    let street = table.t.headers.iter().position(|h| h == "street_width_m");
    let keep = table.echo("loss_db");
    let header = table.echo_header(&keep, &["loss_db"]);
    print_rows(
        header,
        &table.t.rows,
        || (),
        |_, row, out| {
            let at = |problem: String| InputError::new(table.path, Where::Line(row.line), problem);
            let model: Model = table.t.cell(row, c[0]).parse().map_err(at)?;
            let optional = |col: Option<usize>, default: f64| match col {
                Some(k) if !table.t.cell(row, k).is_empty() => table.num(row, k),
                _ => Ok(default),
            };
            let link = Link {
                f_mhz: table.num(row, c[1])?,
                d_2d_m: table.num(row, c[2])? * 1000.0,
                h_bs_m: table.num(row, c[3])?,
                h_ut_m: table.num(row, c[4])?,
                h_building_m: optional(h_building, 5.0)?,
                street_width_m: optional(street, 20.0)?,
            };
            let l = model
                .loss_db(&link, None)
                .map_err(|e| at(format!("row {}: {e}", row.index + 1)))?;
            echo_cells(out, &table, row, &keep);
            writeln!(out, ",{l:.2}").expect("write to a Vec");
            Ok(())
        },
    )
}

/// A fault writing an output (a read-only folder, a file where the folder goes, a full
/// disk): one line naming the path, exit 2, as `plan`'s `out_fault`.
pub(crate) fn write_fault(path: &Path, e: std::io::Error) -> anyhow::Error {
    let msg = e.to_string();
    let shown = path.display().to_string();
    if msg.contains(&shown) {
        BadInput(msg).into()
    } else {
        BadInput(format!("{shown}: {msg}")).into()
    }
}

/// `LON,LAT` (WGS84 degrees).
fn lon_lat(flag: &str, s: &str) -> Result<[f64; 2], BadInput> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| BadInput(format!("{flag} {s}: expected LON,LAT in degrees")))?;
    match v[..] {
        [lon, lat] if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => {
            Ok([lon, lat])
        }
        [_, _] => Err(BadInput(format!(
            "{flag} {s}: longitude must be in -180..180 and latitude in -90..90"
        ))),
        _ => Err(BadInput(format!("{flag} {s}: expected LON,LAT in degrees"))),
    }
}

#[derive(clap::Args, Debug)]
pub struct ProfileArgs {
    /// DEM tiles: SRTM / NASADEM .hgt or GeoTIFF (.tif); repeat for several.
    #[arg(long, required = true)]
    pub dem: Vec<PathBuf>,
    /// Start (transmitter), LON,LAT.
    #[arg(long, allow_hyphen_values = true)]
    pub from: String,
    /// End (receiver), LON,LAT.
    #[arg(long, allow_hyphen_values = true)]
    pub to: String,
    /// Sample spacing in metres (the path is cut into equal intervals closest to it).
    #[arg(long)]
    pub step_m: f64,
}

/// `x` within `lo..=hi` (above `lo` when `lo` is 0: heights), finite.
fn in_range(flag: &str, x: f64, lo: f64, hi: f64, unit: &str) -> Result<(), BadInput> {
    let low_ok = if lo == 0.0 { x > 0.0 } else { x >= lo };
    if low_ok && x <= hi {
        Ok(())
    } else if lo == 0.0 {
        Err(BadInput(format!(
            "{flag} {x:?}: must be above 0 and at most {hi} {unit}"
        )))
    } else {
        Err(BadInput(format!(
            "{flag} {x:?}: must be from {lo} to {hi} {unit}"
        )))
    }
}

fn check_step(step_m: f64) -> Result<(), BadInput> {
    if step_m.is_finite() && step_m >= 1.0 {
        Ok(())
    } else {
        Err(BadInput(format!(
            "--step-m {step_m}: must be at least 1 metre"
        )))
    }
}

fn profile(args: ProfileArgs) -> anyhow::Result<ExitCode> {
    let from = lon_lat("--from", &args.from)?;
    let to = lon_lat("--to", &args.to)?;
    check_step(args.step_m)?;
    let dem = fiberplan_io::dem::Dem::read(&args.dem)?;
    let p = dem.profile(from, to, args.step_m).map_err(|at| {
        BadInput(format!(
            "the profile leaves the DEM tiles (or meets a void) at {:.6},{:.6}",
            at[0], at[1]
        ))
    })?;
    println!(
        "{}",
        fiberplan_radio::pfl::format_pfl(p.interval_m, &p.elevations)
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct CoverageArgs {
    /// DEM tiles: SRTM / NASADEM .hgt or GeoTIFF (.tif); repeat for several.
    #[arg(long, required = true)]
    pub dem: Vec<PathBuf>,
    /// The site: LON,LAT,HEIGHT_M,EIRP_DBM,F_MHZ (antenna height above ground).
    #[arg(long, allow_hyphen_values = true)]
    pub site: String,
    /// `itm` (point-to-point over the DEM) or a `radio loss` model name.
    #[arg(long, default_value = "itm")]
    pub model: String,
    /// Grid spacing, m.
    #[arg(long, default_value_t = 100.0)]
    pub grid_m: f64,
    /// Radius of the map, km.
    #[arg(long, default_value_t = 30.0)]
    pub radius_km: f64,
    /// Terrain profile sampling, m (ITM).
    #[arg(long, default_value_t = 90.0)]
    pub step_m: f64,
    /// Receiver antenna height above ground, m.
    #[arg(long, default_value_t = 1.5)]
    pub rx_height_m: f64,
    /// Receiver antenna gain, dBi.
    #[arg(long, default_value_t = 0.0)]
    pub rx_gain_dbi: f64,
    /// Clutter / body / building margin taken off every point, dB.
    #[arg(long, default_value_t = 0.0)]
    pub margin_db: f64,
    /// Cut every point's own profile from the DEM (slower) instead of sampling the DEM
    /// once along rays from the site and taking each point's profile from the two rays
    /// around it.
    #[arg(long)]
    pub exact_profiles: bool,
    /// Output folder: coverage.geojson, coverage.png, summary.json.
    #[arg(long)]
    pub out: PathBuf,
    /// Worker threads (default: RAYON_NUM_THREADS, else all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

fn coverage(args: CoverageArgs) -> anyhow::Result<ExitCode> {
    use fiberplan_radio::coverage::{
        coverage, coverage_on_rays, grid_around, PointIndex, Receiver, Site,
    };
    use fiberplan_radio::{ItmModel, Model, PathLoss};
    init_threads(args.threads)?;
    let v: Vec<f64> = args
        .site
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            BadInput(format!(
                "--site {}: expected LON,LAT,HEIGHT_M,EIRP_DBM,F_MHZ",
                args.site
            ))
        })?;
    let [lon, lat, height_m, eirp_dbm, f_mhz] = v[..] else {
        return Err(BadInput(format!(
            "--site {}: expected LON,LAT,HEIGHT_M,EIRP_DBM,F_MHZ",
            args.site
        ))
        .into());
    };
    lon_lat("--site", &format!("{lon},{lat}"))?;
    if !(height_m > 0.0 && height_m <= 3000.0 && f_mhz > 0.0 && f_mhz <= 100_000.0) {
        return Err(BadInput(format!(
            "--site {}: height must be above 0 and at most 3,000 m, frequency above 0 and at most 100,000 MHz",
            args.site
        ))
        .into());
    }
    if args.model == "itm" && !(20.0..=20_000.0).contains(&f_mhz) {
        return Err(BadInput(format!(
            "--site {}: ITM takes 20 to 20,000 MHz (use a `radio loss` model above that)",
            args.site
        ))
        .into());
    }
    in_range("--site EIRP_DBM", eirp_dbm, -100.0, 100.0, "dBm")?;
    in_range("--rx-height-m", args.rx_height_m, 0.0, 3000.0, "m")?;
    in_range("--rx-gain-dbi", args.rx_gain_dbi, -100.0, 100.0, "dBi")?;
    in_range("--margin-db", args.margin_db, -100.0, 300.0, "dB")?;
    if !(args.grid_m >= 1.0 && args.radius_km > 0.0 && args.radius_km <= 200.0) {
        return Err(BadInput("--grid-m must be >= 1 and --radius-km in (0, 200]".into()).into());
    }
    check_step(args.step_m)?;
    let site = Site {
        lon,
        lat,
        height_m,
        eirp_dbm,
        f_mhz,
    };
    let rx = Receiver {
        height_m: args.rx_height_m,
        gain_dbi: args.rx_gain_dbi,
        margins_db: args.margin_db,
    };
    let radius_m = args.radius_km * 1000.0;
    let itm_model = ItmModel {
        params: ItmParams {
            f_mhz,
            ..ItmParams::default()
        },
        range_m: radius_m,
    };
    let empirical: Option<Model> = if args.model == "itm" {
        None
    } else {
        Some(args.model.parse().map_err(BadInput)?)
    };
    if let Some(m) = &empirical {
        // The site's link 1 km out, inside every empirical model's distance range: a model
        // that refuses it (a frequency or a height outside the model) refuses every point.
        let probe = fiberplan_radio::Link::new(f_mhz, 1000.0, height_m, args.rx_height_m);
        if let Err(e) = m.loss_db(&probe, None) {
            return Err(BadInput(format!(
                "--site {} with --model {}: {e}",
                args.site, args.model
            ))
            .into());
        }
    }
    let model: &dyn PathLoss = match &empirical {
        Some(m) => m,
        None => &itm_model,
    };
    let dem = fiberplan_io::dem::Dem::read(&args.dem)?;
    let t0 = std::time::Instant::now();
    let grid = grid_around([lon, lat], radius_m, args.grid_m);
    let index = PointIndex::new(&grid.points);
    let step = args.step_m;
    let with_buf = |buf: &mut Vec<f64>, cut: &dyn Fn(&mut fiberplan_io::dem::Profile) -> bool| {
        let mut p = fiberplan_io::dem::Profile {
            interval_m: 0.0,
            elevations: std::mem::take(buf),
        };
        let ok = cut(&mut p);
        *buf = p.elevations;
        ok.then_some(p.interval_m)
    };
    let rx_dbm = if args.exact_profiles {
        coverage(&site, &rx, &grid.points, &index, model, |a, b, buf| {
            with_buf(buf, &|p| dem.profile_into(a, b, step, p).is_ok())
        })
    } else {
        coverage_on_rays(
            &site,
            &rx,
            &grid.points,
            &index,
            model,
            step,
            |a, b, ray_step, buf| {
                with_buf(buf, &|p| {
                    dem.ray_into(a, b, ray_step, p);
                    true
                })
                .unwrap_or(0.0)
            },
            |p| dem.elevation(p[0], p[1]),
        )
    };
    let compute_s = t0.elapsed().as_secs_f64();
    let with_value = rx_dbm.iter().filter(|v| v.is_some()).count();
    let summary = serde_json::json!({
        "site": {"lon": lon, "lat": lat, "height_m": height_m, "eirp_dbm": eirp_dbm, "f_mhz": f_mhz},
        "model": args.model,
        "itm_params": if empirical.is_none() { serde_json::json!({
            "n_0": itm_model.params.n_0, "epsilon": itm_model.params.epsilon, "sigma": itm_model.params.sigma,
            "polarization": "vertical", "climate": "continental temperate (5)", "mdvar": itm_model.params.mdvar,
            "time_pct": 50, "location_pct": 50, "situation_pct": 50,
            "profile_step_m": step,
            "profiles": if args.exact_profiles { "each point's own great-circle profile" } else { "from the DEM sampled along rays from the site (at most half a step apart at the farthest point), interpolated between the two rays around each point; the point's own elevation at its end" }
        }) } else { serde_json::Value::Null },
        "receiver": {"height_m": rx.height_m, "gain_dbi": rx.gain_dbi, "margin_db": rx.margins_db},
        "grid_m": args.grid_m,
        "radius_km": args.radius_km,
        "points": grid.points.len(),
        "points_with_value": with_value,
        "estimated": true,
        "assumptions": [
            "received power = EIRP - median basic transmission loss + receiver gain - margin; no antenna pattern, no clutter model beyond the margin",
            "terrain: bare-earth DEM (no buildings or vegetation); profiles on a sphere of radius 6371008.8 m",
            "points off the DEM, on voids, beyond the model's range or refused by the model have no value"
        ],
        "dem_files": args.dem.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "dem_attribution": "NASADEM / SRTM: NASA JPL, NASADEM Merged DEM Global 1 arc second V001, NASA EOSDIS Land Processes DAAC (public domain) when those tiles are used",
        "model_attribution": "Irregular Terrain Model courtesy of NTIA/ITS (github.com/NTIA/itm); fiberplan's own implementation",
    });
    let map = fiberplan_report::radio_map::CoverageMap {
        cols: grid.cols,
        rows: grid.rows,
        cells: &grid.cells,
        points: &grid.points,
        rx_dbm: &rx_dbm,
        scale_dbm: (-120.0, -50.0),
        summary,
    };
    fiberplan_report::radio_map::write_coverage(&args.out, &map)
        .map_err(|e| write_fault(&args.out, e))?;
    eprintln!(
        "coverage: {} points, {} with a value, computed in {:.2} s on {} threads; wrote {}",
        grid.points.len(),
        with_value,
        compute_s,
        rayon::current_num_threads(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
