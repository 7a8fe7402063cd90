//! Running other programs, with errors that name the command line that failed.

use std::env;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// The cargo that runs xtask (so a toolchain override carries over), else `cargo`.
pub fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

pub fn command(program: impl AsRef<OsStr>) -> Command {
    Command::new(program)
}

/// The command line as a person would type it, for messages.
pub fn shown(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs a command with its output going to ours; fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    let line = shown(cmd);
    println!("    $ {line}");
    let status = cmd.status().with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs a command with its output kept back, shown only if it fails: for
/// the many small steps of one task, which would bury the rest.
pub fn run_quietly(cmd: &mut Command) -> Result<()> {
    let line = shown(cmd);
    let output = cmd.stdin(Stdio::null()).output().with_context(|| format!("could not start `{line}`"))?;
    if !output.status.success() {
        bail!(
            "`{line}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

/// Runs a command with its output going to ours as it comes, and returns what
/// it printed on stdout; fails unless it exits with 0.
pub fn run_teeing(cmd: &mut Command) -> Result<String> {
    let line = shown(cmd);
    println!("    $ {line}");
    let mut child =
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).spawn().with_context(|| format!("could not start `{line}`"))?;
    let mut captured = String::new();
    if let Some(stdout) = child.stdout.take() {
        for output_line in BufReader::new(stdout).lines() {
            let output_line = output_line.with_context(|| format!("reading from `{line}`"))?;
            println!("{output_line}");
            captured.push_str(&output_line);
            captured.push('\n');
        }
    }
    let status = child.wait().with_context(|| format!("waiting for `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(captured)
}

/// Runs a command quietly and returns its stdout, or `None` when it cannot start
/// or fails: the way to ask a tool for its version.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let output = cmd.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
