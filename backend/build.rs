//! Embeds the GraphQL playground: GraphiQL and React from `playground/node_modules` (installed
//! by `npm ci --prefix playground`, which the run, test and CI scripts do), our page and script
//! from `playground/web`, and the example queries from `playground/examples`. Without the npm
//! packages the binary still builds, and `/playground` explains how to install them.

use std::{env, fs, path::PathBuf};

const VENDOR: &[(&str, &str)] = &[
    ("graphiql.min.js", "graphiql/graphiql.min.js"),
    ("graphiql.min.css", "graphiql/graphiql.min.css"),
    ("react.production.min.js", "react/umd/react.production.min.js"),
    ("react-dom.production.min.js", "react-dom/umd/react-dom.production.min.js"),
];

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let modules = manifest.join("../playground/node_modules");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("playground");
    fs::create_dir_all(&out).expect("create the playground output directory");
    println!("cargo:rerun-if-changed=../playground/package-lock.json");
    let mut missing = Vec::new();
    for (name, source) in VENDOR {
        let path = modules.join(source);
        println!("cargo:rerun-if-changed={}", path.display());
        match fs::read(&path) {
            Ok(bytes) => fs::write(out.join(name), bytes).expect("copy a playground asset"),
            Err(_) => {
                missing.push(*source);
                fs::write(out.join(name), b"").expect("write a placeholder");
            }
        }
    }
    if missing.is_empty() {
        println!("cargo:rustc-env=LIANQIAO_PLAYGROUND_COMPLETE=true");
    } else {
        println!("cargo:rustc-env=LIANQIAO_PLAYGROUND_COMPLETE=false");
        println!(
            "cargo:warning=the GraphQL playground is built without {} (run `npm ci --prefix playground`)",
            missing.join(", ")
        );
    }
}
