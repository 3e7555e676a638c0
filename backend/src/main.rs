//! The `lianqiao` binary: parses the command line and hands over to the library.

// GraphQL execution allocates many small, short-lived objects from several threads;
// mimalloc serves that pattern markedly faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    backend::cli::run()
}
