use clap::Parser;

fn main() -> std::process::ExitCode {
    brief::run(brief::cli::Cli::parse())
}
