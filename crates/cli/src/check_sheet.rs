//! `shafaf check-sheet`: a station sheet's QR texts (one per line, as
//! `zbarimg --raw` prints them) against a publication that verifies: the
//! same verdict the app's /sheet view gives.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use shafaf_core::evidence;
use shafaf_core::sheet::{self, SheetVerdict};
use shafaf_core::verify::{verify_publication_with, LogPolicy, TrustAnchor};
use time::OffsetDateTime;

use crate::{fsio, report};

pub fn run(
    dir: &Path,
    parts: &Path,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    json: bool,
    evidence: Option<&Path>,
) -> Result<ExitCode> {
    let text = if parts == Path::new("-") {
        std::io::read_to_string(std::io::stdin()).context("reading the QR texts from standard input")?
    } else {
        String::from_utf8(fsio::read(parts)?).with_context(|| format!("{} is not UTF-8 text", parts.display()))?
    };
    let texts: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let publication = fsio::read_publication(dir)?;
    let policy = LogPolicy { require_log: true, ..LogPolicy::default() };
    if let Err(failure) = verify_publication_with(&publication, anchor, now, &policy) {
        bail!(
            "{} does not verify, so no sheet can be checked against it:\n{}",
            dir.display(),
            report::list(&failure.findings)
        );
    }
    let verdict = match sheet::read(&texts) {
        Err(e) => SheetVerdict::Invalid { reason: e.to_string() },
        Ok(read) => {
            let station = read.result.station.to_string();
            let committed = sheet::committed_station(&publication, &station);
            let history = sheet::station_history(&publication, &station);
            let lines: Vec<(u64, Option<&str>)> = history.iter().map(|(v, l)| (*v, l.as_deref())).collect();
            let verdict = sheet::check(&read, committed.as_ref(), &lines);
            if let (Some(out), SheetVerdict::Differs { .. }) = (evidence, &verdict) {
                let made = evidence::make_from(&publication, &read.line, &station)
                    .context("the evidence could not be made from this publication")?;
                fsio::write(out, &serde_json::to_vec_pretty(&made)?)?;
                eprintln!("wrote the evidence to {} (check it with `shafaf evidence verify`)", out.display());
            }
            verdict
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&verdict)?);
    } else {
        println!("{}", words(&verdict));
    }
    Ok(if matches!(verdict, SheetVerdict::Matches { .. }) { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `shafaf evidence verify FILE`: what the evidence proves, or why it does not hold.
pub fn verify_evidence(file: &Path, anchor: &TrustAnchor, now: OffsetDateTime, json: bool) -> Result<ExitCode> {
    let bytes = fsio::read(file)?;
    match evidence::verify(&bytes, anchor, now) {
        Ok(dispute) => {
            if json {
                println!("{}", serde_json::to_string_pretty(&dispute)?);
            } else {
                let figures = figures(&dispute.differences);
                let publishers: Vec<String> = dispute.publishers.iter().map(ToString::to_string).collect();
                println!(
                    "PROVEN: station `{}`'s device (key {}, committed in the setup release at {}, before the polls \
                     opened at {}, and witnessed before then by {} of the {} required) signed a result that \
                     release {} (signed by publisher keys {}) does not publish; the release publishes another line \
                     for the station, {} by the device. Both releases are in the log `{}` (the setup's checkpoint \
                     cosigned by {} witness(es), the release's by {}):{figures}",
                    dispute.station,
                    dispute.device,
                    report::when(dispute.committed),
                    report::when(dispute.polls_open),
                    dispute.witnessed_before_polls,
                    dispute.witness_threshold,
                    dispute.release,
                    publishers.join(", "),
                    if dispute.published_signed_by_device { "also signed" } else { "not signed" },
                    dispute.log,
                    dispute.setup_witnesses.len(),
                    dispute.release_witnesses.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(findings) => {
            println!("NOT PROVEN: the evidence does not hold:\n{}", report::list(&findings));
            Ok(ExitCode::from(1))
        }
    }
}

/// Every figure that differs, a line each: the sheet's and the published one.
fn figures(differences: &[sheet::Difference]) -> String {
    differences
        .iter()
        .map(|d| {
            let published = d.published.map_or_else(|| "none".to_owned(), |p| p.to_string());
            format!("\n  {}: {} on the sheet, {published} published", d.field, d.sheet)
        })
        .collect()
}

fn words(verdict: &SheetVerdict) -> String {
    match verdict {
        SheetVerdict::Matches { station, release } => {
            format!("MATCHES: station `{station}`'s sheet is the result release {release} publishes")
        }
        SheetVerdict::Differs { station, release, differences } => format!(
            "DIFFERS: station `{station}`'s device signed a result that release {release} does not publish, nor did \
             any release before it:{}",
            figures(differences)
        ),
        SheetVerdict::Unpublished { station, release } => {
            format!("UNPUBLISHED: release {release} has no result for station `{station}` yet")
        }
        SheetVerdict::Corrected { station, printed_in, corrected_in, differences } => format!(
            "CORRECTED: station `{station}`'s sheet was published in release {printed_in} and corrected in release \
             {corrected_in}:{}",
            figures(differences)
        ),
        SheetVerdict::WrongDevice { station, key, committed } => format!(
            "WRONG DEVICE: the sheet names station `{station}` but is signed by key {key}; the setup committed {}",
            committed.map_or_else(|| "no device for that station".to_owned(), |k| format!("key {k}"))
        ),
        SheetVerdict::Invalid { reason } => format!("INVALID: {reason}"),
    }
}
