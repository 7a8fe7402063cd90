//! The `verify` report: readable text for people, JSON for machines. The
//! JSON carries the same figures the dashboard shows, so tests can compare them.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use shafaf_core::findings::{Finding, Severity};
use shafaf_core::history::History;
use shafaf_core::model::Role;
use shafaf_core::model::{ContestKind, Name};
use shafaf_core::summary::{ContestFacts, Ratio, Totals};
use shafaf_core::tally::Standing;
use shafaf_core::verify::log::Extension;
use shafaf_core::verify::{Audit, Failure, Status, TrustAnchor, VerifiedElection};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

type Outcome = Result<VerifiedElection, Failure>;

/// What `verify` found about the release log beyond the current release.
pub struct LogReport<'a> {
    /// The whole log, when it was checked and verified.
    pub history: Option<&'a History>,
    /// The earlier publication or checkpoint `--extends` named.
    pub extends: Option<&'a Path>,
}

pub fn list(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("  - {f}")).collect::<Vec<_>>().join("\n")
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Verified => "VERIFIED",
        Status::VerifiedWithFindings => {
            "VERIFIED WITH FINDINGS: the files are authentic, but some signed figures do not add up"
        }
        Status::Failed => "FAILED: do not trust these results",
        Status::Expired => "EXPIRED: this release is no longer current; do not treat it as the latest results",
    }
}

pub fn when(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// How long before `now` a time was, in the largest whole unit: "5 months ago".
fn ago(t: OffsetDateTime, now: OffsetDateTime) -> String {
    let seconds = (now - t).whole_seconds();
    if seconds < 60 {
        return if seconds < -60 { "ahead of this clock".into() } else { "just now".into() };
    }
    let (n, unit) = [(365 * 86_400, "year"), (30 * 86_400, "month"), (86_400, "day"), (3_600, "hour"), (60, "minute")]
        .into_iter()
        .find(|(size, _)| seconds >= *size)
        .map(|(size, unit)| (seconds / size, unit))
        .unwrap_or((seconds / 60, "minute"));
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn text(dir: &Path, anchor: &TrustAnchor, now: OffsetDateTime, outcome: &Outcome, log: &LogReport) -> String {
    let (audit, findings, status) = match outcome {
        Ok(v) => (&v.audit, &v.findings, v.status()),
        Err(f) => (&*f.audit, &f.findings, f.status()),
    };
    let mut o = String::new();
    let _ = writeln!(o, "Shafaf verification of {}", dir.display());
    let _ = writeln!(o, "checked at {}", when(now));
    if let Some(root) = &audit.root {
        let pin = if root.pinned {
            "pinned: matches the fingerprint you gave".to_owned()
        } else {
            "NOT PINNED: compare this fingerprint with the one the authority announced, or pass --root-sha256"
                .to_owned()
        };
        let _ = writeln!(o, "\nTrust root    SHA-256 {} ({pin})", root.sha256);
        let _ = writeln!(
            o,
            "              election {}, version {}, expires {}",
            root.election,
            root.version,
            when(root.expires)
        );
        for r in &root.roles {
            let _ = writeln!(o, "              {} role: {} key(s), threshold {}", r.role, r.keys.len(), r.threshold);
        }
        let valid = root.signatures.iter().filter(|s| s.valid).count();
        let _ = writeln!(o, "              signed by {valid} root key(s) ✓");
    } else if let Some(pin) = anchor.root_sha256 {
        let _ = writeln!(o, "\nTrust root    expected SHA-256 {pin}");
    }
    if let Some(rel) = &audit.release {
        let valid = rel.signatures.iter().filter(|s| s.valid).count();
        let _ = writeln!(
            o,
            "Release       version {}, issued {}, expires {}",
            rel.version,
            when(rel.issued),
            when(rel.expires)
        );
        let _ = writeln!(o, "              {valid} valid publisher signature(s), threshold {} ✓", rel.threshold);
    }
    log_lines(&mut o, audit, log, outcome.is_ok(), now);
    if !audit.files.is_empty() {
        let ok = audit.files.iter().filter(|f| f.verified).count();
        let _ = writeln!(o, "Files         {} of {} listed files match their size and SHA-256", ok, audit.files.len());
    }
    summary_lines(&mut o, audit);
    if let Ok(v) = outcome {
        let t = Totals::of_election(v);
        let _ = writeln!(
            o,
            "Election      {}{} — {} province(s), {} councils ({} city, {} village)",
            v.election.name.en,
            if v.election.demo { " — DEMO, not real results" } else { "" },
            v.election.provinces.len(),
            thousands(t.contests),
            thousands(t.city_contests),
            thousands(t.village_contests),
        );
        let pct = |r: Option<Ratio>| r.map_or_else(|| "–".to_owned(), |r| format!("{:.1}%", r.percent()));
        let _ = writeln!(
            o,
            "Figures       {} eligible, {} ballots cast (turnout {}), {} invalid ({})",
            thousands(t.eligible),
            thousands(t.ballots_cast),
            pct(t.turnout()),
            thousands(t.invalid),
            pct(t.invalid_share()),
        );
    }
    if !findings.is_empty() {
        let integrity = findings.iter().filter(|f| f.severity() == Severity::Integrity).count();
        let _ = writeln!(
            o,
            "\n{} finding(s) ({} integrity, {} discrepancy):",
            findings.len(),
            integrity,
            findings.len() - integrity
        );
        const SHOWN: usize = 200;
        for f in findings.iter().take(SHOWN) {
            let mark = if f.severity() == Severity::Integrity { "✗" } else { "!" };
            let _ = writeln!(o, "  {mark} {f}");
        }
        if findings.len() > SHOWN {
            let _ = writeln!(o, "  … and {} more (use --json for all)", findings.len() - SHOWN);
        }
    }
    let _ = writeln!(o, "\n{}", status_word(status));
    o
}

fn log_lines(o: &mut String, audit: &Audit, log: &LogReport, verified: bool, now: OffsetDateTime) {
    if let Some(l) = &audit.log {
        let c = &l.checkpoint;
        let _ = writeln!(
            o,
            "Release log   {}: this release is leaf {} of {}, root hash {}",
            c.origin, l.index, c.size, c.root_hash
        );
        let publishers = c.signatures.iter().filter(|s| s.role == Role::Publisher && s.valid).count();
        let witnesses: Vec<String> = c
            .witnesses()
            .map(|w| match w.timestamp {
                Some(t) => format!("{} ({}, {})", w.name, when(t), ago(t, now)),
                None => w.name.clone(),
            })
            .collect();
        let _ = writeln!(
            o,
            "              checkpoint signed by {publishers} publisher key(s) ✓; witnessed by {} ({} required){}{}",
            witnesses.len(),
            l.witness_threshold,
            if witnesses.is_empty() { "" } else { ": " },
            witnesses.join(", ")
        );
        if let Some(h) = log.history {
            let _ = writeln!(
                o,
                "              all {} release(s) re-checked: signatures, the tree, every checkpoint and proof, every past file ✓",
                h.size
            );
        }
        match (l.extends, log.extends) {
            (Some(Extension::Extends { from, to }), Some(old)) => {
                let _ = writeln!(
                    o,
                    "              extends {} ({from} release(s)) with {} more, proven by a consistency proof ✓",
                    old.display(),
                    to - from
                );
            }
            (Some(Extension::Same { size }), Some(old)) => {
                let _ = writeln!(o, "              the same log as {} ({size} release(s)) ✓", old.display());
            }
            _ => {}
        }
    } else if verified {
        let _ = writeln!(o, "Release log   none: this release is not in a release log");
    }
    if let Some(s) = &audit.setup {
        let what = if s.current { "this release is the setup: no results yet" } else { "release 1" };
        let _ = writeln!(
            o,
            "Setup         {what}; the registry and candidates were committed {}, before the polls opened at {} ✓",
            when(s.issued),
            when(s.polls_open)
        );
        let witnesses: Vec<String> = s
            .witnesses
            .iter()
            .map(|w| match w.timestamp {
                Some(t) => format!("{} ({})", w.name, when(t)),
                None => w.name.clone(),
            })
            .collect();
        let _ = writeln!(
            o,
            "              witnessed before the polls opened by {} ({} required){}{}",
            s.witnessed_before_polls,
            s.witness_threshold,
            if witnesses.is_empty() { "" } else { ": " },
            witnesses.join(", ")
        );
        if !s.current {
            let _ =
                writeln!(o, "              every province's stations, device keys and candidates are the setup's ✓");
        }
    }
    if let Some(p) = &audit.pointer {
        let _ = writeln!(
            o,
            "Pointer       latest.json names release {} (log size {}); issued {}, expires {}; signed by the {} role ✓",
            p.version,
            p.log_size,
            when(p.issued),
            when(p.expires),
            p.role
        );
    }
}

fn summary_lines(o: &mut String, audit: &Audit) {
    if audit.stations_registered > 0 {
        let _ = writeln!(
            o,
            "Stations      {} registered, {} device signatures verified",
            thousands(audit.stations_registered),
            thousands(audit.station_signatures_verified)
        );
        let _ = writeln!(
            o,
            "Contests      {} recounted from station results, {} match the published totals and winners",
            thousands(audit.contests_recounted),
            thousands(audit.contests_matching)
        );
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    status: Status,
    publication: String,
    checked_at: String,
    root_pinned: bool,
    audit: &'a Audit,
    findings: Vec<JsonFinding<'a>>,
    election: Option<JsonElection<'a>>,
    history: Option<&'a History>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: Severity,
    message: String,
    #[serde(flatten)]
    finding: &'a Finding,
}

#[derive(Serialize)]
struct JsonElection<'a> {
    id: &'a str,
    name: &'a Name,
    demo: bool,
    totals: Totals,
    provinces: Vec<JsonProvince<'a>>,
}

#[derive(Serialize)]
struct JsonProvince<'a> {
    code: &'a str,
    name: &'a Name,
    totals: Totals,
    contests: Vec<JsonContest<'a>>,
}

#[derive(Serialize)]
struct JsonContest<'a> {
    id: &'a str,
    kind: ContestKind,
    county: &'a str,
    name: &'a Name,
    seats: u32,
    alternates: u32,
    totals: Totals,
    last_seat_margin: Option<u64>,
    matches_published: bool,
    candidates: Vec<JsonCandidate<'a>>,
}

#[derive(Serialize)]
struct JsonCandidate<'a> {
    id: &'a str,
    ballot_code: &'a str,
    name: &'a Name,
    votes: u64,
    rank: usize,
    standing: Standing,
    decided_by_tie_break: bool,
    share: Option<Ratio>,
}

/// Writes the report as JSON to `out`, as it is serialised: a country's
/// report is tens of megabytes, and is never held whole in memory. It is
/// compact, one line, for the programs that read it (`jq .` indents it):
/// indented, the national demo's was 73 MB instead of 32, written on one
/// core after the audit's work on all of them.
pub fn json(
    mut out: impl std::io::Write,
    dir: &Path,
    anchor: &TrustAnchor,
    now: OffsetDateTime,
    outcome: &Outcome,
    log: &LogReport,
) -> Result<()> {
    let (audit, findings, status) = match outcome {
        Ok(v) => (&v.audit, &v.findings, v.status()),
        Err(f) => (&*f.audit, &f.findings, f.status()),
    };
    let election = outcome.as_ref().ok().map(|v| JsonElection {
        id: &v.election.id,
        name: &v.election.name,
        demo: v.election.demo,
        totals: Totals::of_election(v),
        provinces: v
            .provinces
            .iter()
            .map(|p| {
                let name =
                    v.election.provinces.iter().find(|x| x.code == p.code).map(|x| &x.name).unwrap_or(&v.election.name);
                let contests: Vec<JsonContest> = p
                    .contests
                    .iter()
                    .map(|c| {
                        let facts = ContestFacts::of(c);
                        JsonContest {
                            id: &c.contest.id,
                            kind: c.contest.kind,
                            county: &c.contest.county,
                            name: &c.contest.name,
                            seats: c.contest.seats,
                            alternates: c.contest.alternates,
                            totals: facts.totals,
                            last_seat_margin: facts.last_seat_margin,
                            matches_published: facts.matches_published,
                            candidates: facts
                                .lines
                                .iter()
                                .map(|l| {
                                    let cand = &c.contest.candidates[l.candidate];
                                    JsonCandidate {
                                        id: &cand.id,
                                        ballot_code: &cand.ballot_code,
                                        name: &cand.name,
                                        votes: l.votes,
                                        rank: l.rank,
                                        standing: l.standing,
                                        decided_by_tie_break: l.decided_by_tie_break,
                                        share: l.share,
                                    }
                                })
                                .collect(),
                        }
                    })
                    .collect();
                let totals = Totals::of_province(p);
                JsonProvince { code: &p.code, name, totals, contests }
            })
            .collect(),
    });
    let report = JsonReport {
        status,
        publication: dir.display().to_string(),
        checked_at: when(now),
        root_pinned: anchor.root_sha256.is_some(),
        audit,
        findings: findings
            .iter()
            .map(|f| JsonFinding { severity: f.severity(), message: f.to_string(), finding: f })
            .collect(),
        election,
        history: log.history,
    };
    serde_json::to_writer(&mut out, &report)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::ago;

    #[test]
    fn ago_says_the_largest_whole_unit() {
        let now = datetime!(2026-12-04 12:00 UTC);
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(datetime!(2026-12-04 11:59 UTC), now), "1 minute ago");
        assert_eq!(ago(datetime!(2026-12-04 09:00 UTC), now), "3 hours ago");
        assert_eq!(ago(datetime!(2026-06-20 12:00 UTC), now), "5 months ago");
        assert_eq!(ago(datetime!(2024-12-01 12:00 UTC), now), "2 years ago");
        assert_eq!(ago(datetime!(2026-12-04 12:05 UTC), now), "ahead of this clock");
    }
}
