//! Embeds the web app and the GraphQL playground.
//!
//! The web app: every file of `frontend/dist` (built by `scripts/build-frontend.sh`) is
//! compiled in, so the released binary alone serves the product. Without a built app the binary
//! still builds, and `/` explains how to build it (or serve a directory with `--static-dir`).
//!
//! The playground: GraphiQL and React from `playground/node_modules` (installed
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
    embed_web_app();
    embed_playground();
}

/// Writes `$OUT_DIR/web_app.rs`: `WEB_APP`, the files of `frontend/dist` by path.
fn embed_web_app() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dist = manifest.join("../frontend/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    let mut pending = vec![dist.clone()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(&dist) {
                files.push((relative.to_string_lossy().replace('\\', "/"), path.canonicalize().expect("a real path")));
            }
        }
    }
    files.sort();
    if !files.iter().any(|(name, _)| name == "index.html") {
        println!("cargo:warning=the web app is not built into this binary (run scripts/build-frontend.sh first)");
        files.clear();
    }
    let entries: Vec<String> = files
        .iter()
        .map(|(name, path)| format!("    ({name:?}, include_bytes!({:?})),", path.display().to_string()))
        .collect();
    let source = format!(
        "/// The built web app's files by path.\npub static WEB_APP: &[(&str, &[u8])] = &[\n{}\n];\n",
        entries.join("\n")
    );
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("web_app.rs"), source).expect("write web_app.rs");
}

fn embed_playground() {
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
