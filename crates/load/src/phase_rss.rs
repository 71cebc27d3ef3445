//! Memory diagnostics by phase, for the country-size benchmark (issue 19).
//!
//! Here, in the load layer, because the library crates below it (`network`, `plan`) do no
//! I/O and print nothing (ARCHITECTURE.md).

/// Memory diagnostics for the country-size benchmark (issue 19, BENCHMARKS.md): with the
/// environment variable `FIBERPLAN_PHASE_RSS` set, prints the process's peak and current
/// resident memory (`VmHWM`, `VmRSS` of Linux's `/proc/self/status`) after `phase`, one line
/// on stderr; otherwise does nothing. Not an output: nothing else reads it.
pub fn phase_rss(phase: &str) {
    if std::env::var_os("FIBERPLAN_PHASE_RSS").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    eprintln!(
        "fiberplan: phase {phase}: peak {} MiB, now {} MiB",
        mib("VmHWM:"),
        mib("VmRSS:")
    );
}
