//! `papersift`: build, query, evaluate and inspect papersift indexes from the command line.
//!
//! Each subcommand lives in [`commands`]; this file only parses arguments and turns errors
//! into `papersift: <message>` and exit code 1.

mod commands;
mod error;
mod index_file;
mod input;
mod scratch;
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
    #[cfg(target_os = "wasi")]
    enter_host_working_directory();
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

/// Under WASI (the npm package runs this program in Node's WASI with the host's `/` preopened)
/// a program starts in `/`. The launcher passes the host's working directory as `PWD`; entering
/// it makes relative paths mean what they mean to the native binary.
#[cfg(target_os = "wasi")]
fn enter_host_working_directory() {
    if let Some(dir) = std::env::var_os("PWD") {
        // Should it fail, relative paths fail with "No such file" naming the path as typed.
        let _ = std::env::set_current_dir(dir);
    }
}
