//! The build is reproducible: a fresh clone of the same commit, at another
//! path, gives a byte-identical `cargo xtask dist`, so anyone can rebuild a
//! deployed app from this source and compare (`shafaf check-app`).
//!
//! The clone builds in a target folder of its own: cargo's fingerprints
//! name the sources by path and would take this checkout's compiled crates
//! for the clone's (and a shared folder's `debug/xtask` would then be the
//! clone's program). Only the npm packages (the same lock file) are shared.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::exec::{self, cargo, command};
use crate::paths::Paths;
use crate::site;
use crate::stamp;

pub fn check(paths: &Paths) -> Result<()> {
    let Some(commit) = site::git_commit(&paths.root) else {
        println!("    skipped: not a git checkout");
        return Ok(());
    };
    if commit.ends_with("-modified") {
        println!("    skipped: the work tree has changes not committed, so a clone of its commit builds another app");
        return Ok(());
    }
    let base = paths.work().join("repro");
    if base.exists() {
        fs::remove_dir_all(&base).with_context(|| format!("removing {}", base.display()))?;
    }
    fs::create_dir_all(&base).with_context(|| format!("creating {}", base.display()))?;
    let (clone, here, there) = (base.join("clone"), base.join("here"), base.join("there"));
    exec::run(command("git").args(["clone", "--quiet", "--no-checkout"]).arg(&paths.root).arg(&clone))?;
    exec::run(command("git").args(["checkout", "--quiet", &commit]).current_dir(&clone))?;
    std::os::unix::fs::symlink(paths.node_modules(), clone.join("node_modules"))
        .context("linking the npm packages into the clone")?;

    let xtask = std::env::current_exe().context("finding xtask's own program")?;
    exec::run(command(xtask).args(["dist", "--out"]).arg(&here).current_dir(&paths.root))?;
    exec::run(
        cargo()
            .args(["xtask", "dist", "--out"])
            .arg(&there)
            .current_dir(&clone)
            .env("CARGO_TARGET_DIR", base.join("target")),
    )?;
    let differ = differences(&here, &there)?;
    if !differ.is_empty() {
        bail!(
            "a clone of {commit} at {} builds another app; these files differ: {}",
            clone.display(),
            differ.join(", ")
        );
    }
    println!("    identical: `cargo xtask dist` here and in a fresh clone of {commit}");
    fs::remove_dir_all(&base).with_context(|| format!("removing {}", base.display()))
}

/// The files that are in one folder and not the other, or differ.
fn differences(a: &Path, b: &Path) -> Result<Vec<String>> {
    let (mut left, mut right) = (stamp::files_under(a)?, stamp::files_under(b)?);
    left.sort();
    right.sort();
    let mut differ: Vec<String> = left.iter().filter(|f| !right.contains(f)).cloned().collect();
    differ.extend(right.iter().filter(|f| !left.contains(f)).cloned());
    for file in left.iter().filter(|f| right.contains(f)) {
        if fs::read(a.join(file))? != fs::read(b.join(file))? {
            differ.push(file.clone());
        }
    }
    Ok(differ)
}
