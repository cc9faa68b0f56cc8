//! `papersift`: build, query, evaluate and inspect papersift indexes from the command line.
//!
//! Each subcommand lives in [`commands`]; this file only parses arguments and turns errors
//! into `papersift: <message>` and exit code 1.

mod commands;
mod error;
mod index_file;
mod input;
mod site;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Instant, offline, typo-tolerant search over research papers.
///
/// Build an index from your paper records, then search it here or in the browser.
#[derive(Parser)]
#[command(name = "papersift", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Each subcommand's help comes from the doc comment of its arguments struct.
#[derive(Subcommand)]
enum Command {
    Build(commands::build::BuildArgs),
    Query(commands::query::QueryArgs),
    Eval(commands::eval::EvalArgs),
    Stats(commands::stats::StatsArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => commands::build::run(args),
        Command::Query(args) => commands::query::run(args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Stats(args) => commands::stats::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            error.report();
            ExitCode::FAILURE
        }
    }
}
