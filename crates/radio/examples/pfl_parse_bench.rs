//! The profile parse alone, for before/after comparisons of `pfl::parse_pfl_bytes`:
//! reads a profile file (NTIA's layout, one profile a line) once, then parses every line
//! `REPEAT` times and prints the least wall time of a pass and a checksum of the values
//! (so that two builds can be compared for identical results too).
//!
//! ```text
//! cargo run --release -p fiberplan-radio --example pfl_parse_bench -- PFLS.csv [REPEAT]
//! ```
//!
//! On a shared machine, take instruction counts (`perf stat -e instructions`) or the
//! least of many passes; one pass's wall time moves with the load.

use fiberplan_radio::pfl::{parse_pfl_bytes, Pfl};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: pfl_parse_bench PFLS.csv [REPEAT]");
    let repeat: usize = args.get(2).map_or(5, |r| r.parse().expect("REPEAT"));
    let text = std::fs::read(path).expect("read the profile file");
    let lines: Vec<&[u8]> = text
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let mut pfl = Pfl::default();
    let mut best = f64::INFINITY;
    let mut check = 0u64;
    for _ in 0..repeat {
        let t0 = std::time::Instant::now();
        let mut sum = 0u64;
        for l in &lines {
            parse_pfl_bytes(l, &mut pfl).expect("a profile");
            sum = sum.wrapping_add(pfl.interval_m.to_bits());
            for z in &pfl.elevations {
                sum = sum.rotate_left(5) ^ z.to_bits();
            }
        }
        best = best.min(t0.elapsed().as_secs_f64());
        check = sum;
    }
    println!(
        "{} lines, least of {repeat} passes: {:.2} ms ({:.1} ns a line); checksum {check:016x}",
        lines.len(),
        best * 1e3,
        best * 1e9 / lines.len() as f64
    );
}
