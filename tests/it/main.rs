//! End-to-end tests of the `fiberplan` binary: one integration-test binary, one module per
//! command.

mod access;
mod atomic_out;
mod bad_inputs;
mod bench;
mod browser;
mod common;
mod coverage;
mod diff;
mod districts;
mod exit_codes;
mod formats;
mod hostile_inputs;
mod office;
mod plan;
mod radio;
mod reproducible;
mod slurm;
mod sweep;
mod utf8;
