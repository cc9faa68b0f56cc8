//! One module per subcommand: its arguments (with their `--help` text) and what it does.

pub mod build;
pub mod eval;
pub mod query;
pub mod stats;
