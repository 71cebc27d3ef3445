//! The point-to-point path without the CLI around it, for before/after comparisons of the
//! parse and of ITM's terrain analysis: reads a case table (NTIA's `p2p.csv` columns, plain
//! numbers, no quotes) and its profile file once, then parses every profile and computes
//! the cases two at a time (`itm::p2p_pair`, as the CLI does) `REPEAT` times; prints the
//! least wall time of a pass and a checksum of every result's bits (A, the intermediate
//! values, mode, warnings, error codes), so that two builds can be compared for identical
//! results too.
//!
//! ```text
//! cargo run --release -p fiberplan-radio --example p2p_bench -- CASES.csv PFLS.csv [REPEAT]
//! ```
//!
//! Under `valgrind --tool=callgrind` with REPEAT 1 it gives the instruction counts of the
//! parse and ITM alone.

use fiberplan_radio::itm::{self, cases::p2p_params, ItmResult, P2pCase};
use fiberplan_radio::pfl::{parse_pfl_bytes, Pfl};

fn mix(sum: u64, x: u64) -> u64 {
    sum.rotate_left(7) ^ x.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn digest(sum: u64, r: &Result<ItmResult, itm::ItmError>) -> u64 {
    match r {
        Ok(r) => {
            let i = &r.inter;
            let mut s = mix(sum, r.a_db.to_bits());
            s = mix(s, r.warnings.0 as u64);
            s = mix(s, i.mode as u64);
            for x in [
                i.theta_hzn[0],
                i.theta_hzn[1],
                i.d_hzn_m[0],
                i.d_hzn_m[1],
                i.h_e_m[0],
                i.h_e_m[1],
                i.n_s,
                i.delta_h_m,
                i.a_ref_db,
                i.a_fs_db,
                i.d_km,
            ] {
                s = mix(s, x.to_bits());
            }
            s
        }
        Err(e) => mix(sum, e.code() as u64 ^ 0xdead),
    }
}

fn case<'a>(v: &[f64], p: &'a Pfl, q: &'a itm::ItmParams) -> P2pCase<'a> {
    P2pCase {
        h_tx_m: v[0],
        h_rx_m: v[1],
        elev: &p.elevations,
        interval_m: p.interval_m,
        params: q,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: p2p_bench CASES.csv PFLS.csv [REPEAT]";
    let cases = std::fs::read_to_string(args.get(1).expect(usage)).expect("read the cases");
    let profiles = std::fs::read(args.get(2).expect(usage)).expect("read the profiles");
    let repeat: usize = args.get(3).map_or(3, |r| r.parse().expect("REPEAT"));
    let rows: Vec<Vec<f64>> = cases
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .take(12)
                .map(|c| c.trim().parse().expect("a number"))
                .collect()
        })
        .collect();
    let lines: Vec<&[u8]> = profiles
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .take(rows.len())
        .collect();
    assert_eq!(lines.len(), rows.len(), "a profile line for every row");
    let params: Vec<_> = rows.iter().map(|v| p2p_params(v)).collect();
    let (mut pa, mut pb) = (Pfl::default(), Pfl::default());
    let mut best = f64::INFINITY;
    let mut check = 0u64;
    for _ in 0..repeat {
        let t0 = std::time::Instant::now();
        let mut sum = 0u64;
        let mut i = 0;
        while i + 1 < rows.len() {
            parse_pfl_bytes(lines[i], &mut pa).expect("a profile");
            parse_pfl_bytes(lines[i + 1], &mut pb).expect("a profile");
            let [ra, rb] = itm::p2p_pair(
                &case(&rows[i], &pa, &params[i]),
                &case(&rows[i + 1], &pb, &params[i + 1]),
            );
            sum = digest(digest(sum, &ra), &rb);
            i += 2;
        }
        if i < rows.len() {
            parse_pfl_bytes(lines[i], &mut pa).expect("a profile");
            let v = &rows[i];
            let r = itm::p2p(v[0], v[1], &pa.elevations, pa.interval_m, &params[i]);
            sum = digest(sum, &r);
        }
        best = best.min(t0.elapsed().as_secs_f64());
        check = sum;
    }
    println!(
        "{} cases, least of {repeat} passes: {:.2} ms ({:.0} cases/s); checksum {check:016x}",
        rows.len(),
        best * 1e3,
        rows.len() as f64 / best
    );
}
