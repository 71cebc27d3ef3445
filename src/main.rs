//! `fiberplan`: plans rural broadband rollouts.
//!
//! The CLI is the edge: clap flags become validated configuration, library crates do the
//! work, and errors become one line on stderr with exit code 2 for bad input (1 otherwise).

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "fiberplan",
    version,
    about = "Least-cost fibre rollout plans for rural broadband programmes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Plan new fibre from the existing network to villages (default: Kazakhstan national plan).
    Plan(cmd::plan::PlanArgs),
    /// Steiner tree solver on SteinLib (.stp) and PACE 2018 (.gr) instances.
    #[command(subcommand)]
    Steiner(cmd::steiner::SteinerCmd),
    /// Read and check every input a plan would (network included) without solving.
    Validate(cmd::validate::ValidateArgs),
    /// What changed between two plans: villages and new-fibre stretches, as GeoJSON and a table.
    Diff(cmd::diff::DiffArgs),
    /// Run many scenarios (grid, Monte Carlo) in parallel over one planning graph.
    Sweep(cmd::sweep::SweepArgs),
    /// Merge the results of sweep shards into one results.csv.
    Merge(cmd::sweep::MergeArgs),
    /// OpenStreetMap extracts: what a file holds (ways and km by class, villages, components).
    #[command(subcommand)]
    Osm(cmd::osm::OsmCmd),
    /// One village's GPON access network in detail from an extract's buildings and streets.
    Village(cmd::village::VillageArgs),
    /// National-scale benchmark: generate the road-proxy input, time a run phase by phase.
    #[command(subcommand)]
    Bench(cmd::bench::BenchCmd),
    /// Radio propagation: ITM (Longley-Rice), Hata / COST-231, TR 38.901, terrain profiles, coverage.
    #[command(subcommand)]
    Radio(cmd::radio::RadioCmd),
    /// Mobile coverage: sites along roads (LTE) and 5G in cities, with backhaul.
    #[command(subcommand)]
    Coverage(cmd::coverage::CoverageCmd),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(args) => cmd::plan::run(args),
        Command::Steiner(c) => cmd::steiner::run(c),
        Command::Validate(args) => cmd::validate::run(args),
        Command::Diff(args) => cmd::diff::run(args),
        Command::Sweep(args) => cmd::sweep::run(args),
        Command::Merge(args) => cmd::sweep::merge(args),
        Command::Osm(c) => cmd::osm::run(c),
        Command::Village(args) => cmd::village::run(args),
        Command::Bench(c) => cmd::bench::run(c),
        Command::Radio(c) => cmd::radio::run(c),
        Command::Coverage(c) => cmd::coverage::run(c),
    };
    match result {
        Ok(code) => code,
        Err(err) => cmd::report_error(&err),
    }
}
