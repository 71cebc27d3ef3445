//! Subcommands. Each takes its clap arguments and returns an exit code or an error.

pub mod bench;
pub mod coverage;
pub mod diff;
pub mod inputs;
pub mod osm;
pub mod plan;
pub mod radio;
pub mod steiner;
pub mod sweep;
pub mod validate;
pub mod village;

use fiberplan_io::InputError;
use std::process::ExitCode;

/// Exit code for bad input: a file that is missing, malformed or out of range.
pub const EXIT_BAD_INPUT: u8 = 2;

/// A problem with the user's input that is not tied to one file (conflicting flags, a
/// plan that cannot exist). Maps to exit code 2 like [`InputError`].
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Print an error as one line and pick the exit code: 2 for bad input, 1 otherwise.
/// A closed stdout (`fiberplan ... | head`) is not an error.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    if err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::SUCCESS;
    }
    let line = format!("{err:#}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    eprintln!("fiberplan: error: {line}");
    let bad_input = err
        .chain()
        .any(|e| e.is::<InputError>() || e.is::<BadInput>() || e.is::<fiberplan_load::LoadError>());
    ExitCode::from(if bad_input { EXIT_BAD_INPUT } else { 1 })
}

/// The most worker threads `--threads` takes.
pub const MAX_THREADS: usize = 1024;

/// `--threads` from 1 to [`MAX_THREADS`], or an input error.
pub fn check_threads(threads: Option<usize>) -> anyhow::Result<()> {
    match threads {
        Some(0) => Err(BadInput("--threads must be at least 1".into()).into()),
        // Each thread is an OS thread with its own stack: 100,000 of them take minutes to
        // start, and no machine this runs on has that many cores.
        Some(n) if n > MAX_THREADS => {
            Err(BadInput(format!("--threads {n} is more than {MAX_THREADS}")).into())
        }
        _ => Ok(()),
    }
}

/// The largest solver work multiplier `--effort` takes (the default is 4): the solver's
/// schedules grow with it, and 4,000,000,000 asked for 27 GB.
pub const MAX_EFFORT: u32 = 64;

/// `--effort` from 1 to [`MAX_EFFORT`], or an input error.
pub fn check_effort(effort: u32) -> anyhow::Result<u32> {
    if (1..=MAX_EFFORT).contains(&effort) {
        Ok(effort)
    } else {
        Err(BadInput(format!("--effort {effort} is outside 1 to {MAX_EFFORT}")).into())
    }
}

/// Size the global rayon pool: `--threads`, else RAYON_NUM_THREADS (rayon reads it), else all cores.
pub fn init_threads(threads: Option<usize>) -> anyhow::Result<()> {
    check_threads(threads)?;
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()?;
    }
    Ok(())
}

/// The bundled data folder: `--data`, else FIBERPLAN_DATA, else `./data` when it holds the
/// national data, else the `data/` of the source tree this binary was built from.
pub fn data_dir(flag: Option<&std::path::Path>) -> std::path::PathBuf {
    if let Some(d) = flag {
        return d.to_path_buf();
    }
    if let Some(d) = std::env::var_os("FIBERPLAN_DATA") {
        return d.into();
    }
    let local = std::path::PathBuf::from("data");
    if local.join("kz").is_dir() {
        return local;
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_counts_out_of_range_are_input_errors() {
        for (n, msg) in [
            (0, "--threads must be at least 1"),
            (MAX_THREADS + 1, "--threads 1025 is more than 1024"),
            (100_000, "--threads 100000 is more than 1024"),
        ] {
            let e = init_threads(Some(n)).unwrap_err();
            assert!(e.is::<BadInput>(), "{e}");
            assert_eq!(e.to_string(), msg);
        }
        check_threads(Some(MAX_THREADS)).unwrap();
    }

    #[test]
    fn efforts_out_of_range_are_input_errors() {
        assert_eq!(check_effort(1).unwrap(), 1);
        assert_eq!(check_effort(MAX_EFFORT).unwrap(), MAX_EFFORT);
        for (n, msg) in [
            (0, "--effort 0 is outside 1 to 64"),
            (65, "--effort 65 is outside 1 to 64"),
            (4_000_000_000, "--effort 4000000000 is outside 1 to 64"),
        ] {
            let e = check_effort(n).unwrap_err();
            assert!(e.is::<BadInput>(), "{e}");
            assert_eq!(e.to_string(), msg);
        }
    }
}
