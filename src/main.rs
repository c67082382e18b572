use clap::Parser;

// Typesetting allocates heavily; mimalloc is markedly faster at it than the
// system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    brief::run(brief::cli::Cli::parse())
}
