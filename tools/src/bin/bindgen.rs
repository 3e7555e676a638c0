//! The wasm-bindgen CLI, built from the crate registry at exactly the version of the
//! `wasm-bindgen` crate in Cargo.lock (the two must match). Named `bindgen` because rustc
//! refuses a binary called `wasm-bindgen`.

use std::process::ExitCode;

fn main() -> ExitCode {
    match wasm_bindgen_cli::wasm_bindgen::run_cli_with_args(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:?}");
            ExitCode::FAILURE
        }
    }
}
