//! Memory diagnostics by phase, for the country-size benchmark (issue 19).
//!
//! Here, in the load layer, because the library crates below it (`network`, `plan`) do no
//! I/O and print nothing (ARCHITECTURE.md).

/// The process's resident memory as Linux's `/proc/self/status` gives it, kB: the peak so far
/// (`VmHWM`) and now (`VmRSS`); `None` where a figure cannot be read (off Linux).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resident {
    /// Peak resident set so far (`VmHWM`), kB.
    pub peak_kb: Option<u64>,
    /// Resident set now (`VmRSS`), kB.
    pub now_kb: Option<u64>,
}

impl Resident {
    /// Both figures from one read of `/proc/self/status`.
    pub fn now() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kb = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        };
        Resident {
            peak_kb: kb("VmHWM:"),
            now_kb: kb("VmRSS:"),
        }
    }
}

/// "peak P MiB, now N MiB" (whole MiB; 0 where a figure cannot be read).
impl std::fmt::Display for Resident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mib = |kb: Option<u64>| kb.map_or(0, |kb| kb / 1024);
        write!(
            f,
            "peak {} MiB, now {} MiB",
            mib(self.peak_kb),
            mib(self.now_kb)
        )
    }
}

/// Memory diagnostics for the country-size benchmark (issue 19, BENCHMARKS.md): with the
/// environment variable `FIBERPLAN_PHASE_RSS` set, prints the process's peak and current
/// resident memory ([`Resident`]) after `phase`, one line on stderr; otherwise does nothing.
/// Not an output: nothing else reads it.
pub fn phase_rss(phase: &str) {
    if std::env::var_os("FIBERPLAN_PHASE_RSS").is_none() {
        return;
    }
    eprintln!("fiberplan: phase {phase}: {}", Resident::now());
}
