//! `cargo xtask`: building, serving, testing and benchmarking Shafaf, in plain Rust
//! (matklad's cargo-xtask pattern), so that a fresh machine needs nothing but cargo
//! to get from a clone to a served app or a green test run.

mod bench;
mod compress;
mod dist;
mod exec;
mod fuzz;
mod headers;
mod hosted;
mod paths;
mod repro;
mod serve;
mod site;
mod split;
mod stamp;
mod test;
mod tools;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::paths::Paths;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Build, serve, test and benchmark Shafaf")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the CLI, the demo publication and the app, then serve them on 127.0.0.1.
    Serve(serve::ServeArgs),
    /// Fuzz every parser of untrusted input (cargo-fuzz on nightly), seeded from the demo.
    Fuzz(fuzz::FuzzArgs),
    /// Build the app for deployment: one folder of static files, its config.json and header files.
    Dist(dist::DistArgs),
    /// Check that the build is reproducible: a fresh clone of the commit builds a byte-identical dist.
    Repro,
    /// Install missing tools, then run format, lint, native, wasm and end-to-end tests.
    Test(test::TestArgs),
    /// Measure verification natively and what a reader gets in Chromium (desktop,
    /// throttled phone, sizes, Lighthouse), against targets; and the core's benchmarks.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The chain of contexts, without the backtrace that RUST_BACKTRACE
            // would add: the failing step and command are what a person needs.
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let paths = Paths::discover()?;
    tools::put_tools_on_path(&paths)?;
    match cli.command {
        Command::Serve(args) => serve::run(&paths, &args),
        Command::Dist(args) => dist::run(&paths, &args),
        Command::Repro => repro::check(&paths),
        Command::Fuzz(args) => fuzz::run(&paths, &args),
        Command::Test(args) => test::run(&paths, &args),
        Command::Bench(args) => bench::run(&paths, &args),
    }
}
