//! Where things are: the repository, cargo's target folder, the generated files
//! xtask keeps under `target/shafaf/`, and the read-only `shared/` folder beside
//! the repository.

use std::env;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub struct Paths {
    pub root: PathBuf,
    pub target: PathBuf,
}

impl Paths {
    pub fn discover() -> Result<Paths> {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir.parent().context("xtask's manifest folder has no parent")?.to_path_buf();
        let target = match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => root.join(dir),
            None => root.join("target"),
        };
        Ok(Paths { root, target })
    }

    /// Everything xtask generates: demo publications, stamps, driver settings.
    pub fn work(&self) -> PathBuf {
        self.target.join("shafaf")
    }

    /// Trunk's output (see `Trunk.toml`).
    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    /// The native CLI, as built by `cargo build --release -p shafaf-cli`.
    pub fn cli_binary(&self) -> PathBuf {
        self.target.join("release").join(format!("shafaf{}", env::consts::EXE_SUFFIX))
    }

    pub fn node_modules(&self) -> PathBuf {
        self.root.join("node_modules")
    }

    /// The read-only data folder that sits beside the repository.
    pub fn shared(&self) -> PathBuf {
        self.root.join("..").join("shared")
    }

    /// Boundaries for the demo: `$SHAFAF_GEO`, else `../shared/geo`.
    pub fn geo(&self) -> PathBuf {
        env::var_os("SHAFAF_GEO").map(PathBuf::from).unwrap_or_else(|| self.shared().join("geo"))
    }

    /// Test vectors: `$SHAFAF_VECTORS`, else `../shared/vectors`.
    pub fn vectors(&self) -> PathBuf {
        env::var_os("SHAFAF_VECTORS").map(PathBuf::from).unwrap_or_else(|| self.shared().join("vectors"))
    }
}
