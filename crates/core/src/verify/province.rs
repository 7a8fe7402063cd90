//! Stage 5, a province's stations: its registry of device keys and every
//! signed result line, each signature checked against the device registered
//! for the station it names; no station may report twice. The same code
//! runs in the CLI (all cores) and in the browser's workers (a province per
//! job). What comes out, a [`CheckedProvince`], is recounted in stage 6.

use std::collections::{BTreeMap, HashMap};

use super::files::{CheckedFile, FileAudit, ProvinceContext, SignedContests, SignedRelease};
use crate::findings::Finding;
use crate::format;
use crate::keys::batch::{verify_many, SignedItem};
use crate::keys::{KeyId, PublicKey};
use crate::model::{ContestsDoc, ElectionDoc, FileKind, Id, Station, StationResult, StationsDoc};
use crate::parallel;

/// A province whose registry and every station signature verified.
pub struct CheckedProvince {
    pub(crate) contests: SignedContests,
    pub(crate) registry: Registry,
    pub(crate) checked: Vec<CheckedResult>,
    /// The stations and results files.
    pub(crate) files: [FileAudit; 2],
}

impl CheckedProvince {
    pub fn contests(&self) -> &SignedContests {
        &self.contests
    }

    /// The results file's path.
    pub fn results_file(&self) -> &str {
        &self.files[1].path
    }
}

/// Checks a province's stations and results files against the release, its
/// registry against its (signed) contests, and every result's signature.
pub fn verify_province(
    signed: &SignedRelease,
    contests: SignedContests,
    stations: Result<CheckedFile<'_>, Finding>,
    results: Result<CheckedFile<'_>, Finding>,
) -> Result<CheckedProvince, Vec<Finding>> {
    let code = contests.province().clone();
    let Some((province, _)) = signed.province(&code) else {
        return Err(vec![Finding::UnknownReference {
            file: contests.file().into(),
            what: "province".into(),
            id: code.to_string(),
            defined_in: "the election file".into(),
        }]);
    };
    let release = signed.release();
    let stations = stations.and_then(|f| f.of(release, FileKind::Stations, Some(&code)));
    let results = results.and_then(|f| f.of(release, FileKind::Results, Some(&code)));
    let (stations, results) = match (stations, results) {
        (Ok(s), Ok(r)) => (s, r),
        (s, r) => return Err([s.err(), r.err()].into_iter().flatten().collect()),
    };
    let ctx = ProvinceContext::new(signed.election(), province);
    let registry = registry(&ctx, stations.path(), stations.bytes(), contests.doc())?;
    let checked = verify_results(results.path(), results.bytes(), &registry, signed.election(), contests.doc())?;
    Ok(CheckedProvince { contests, registry, checked, files: [stations.audit(), results.audit()] })
}

/// A station as registered, with its parsed device key.
pub(crate) struct Registered {
    pub(crate) station: Station,
    pub(crate) key: PublicKey,
    pub(crate) contest: usize,
}

pub(crate) struct Registry {
    pub(crate) stations: Vec<Registered>,
    by_key: HashMap<KeyId, usize>,
}

pub(crate) fn registry(
    ctx: &ProvinceContext<'_>,
    file: &str,
    bytes: &[u8],
    contests: &ContestsDoc,
) -> Result<Registry, Vec<Finding>> {
    let doc: StationsDoc =
        format::parse_json_fast(file, bytes, FileKind::Stations.size_limit()).map_err(|e| vec![e.into()])?;
    let mut findings = Vec::new();
    ctx.header(file, &doc.election, &doc.province, &mut findings);
    let contest_index: HashMap<&Id, usize> = contests.contests.iter().enumerate().map(|(i, c)| (&c.id, i)).collect();
    let mut seen_ids: HashMap<&Id, usize> = HashMap::new();
    let mut by_key_all: BTreeMap<KeyId, Vec<String>> = BTreeMap::new();
    // Reading a key decompresses a curve point, the registry's costly part:
    // on all cores where there are several (the CLI), a province at a time
    // being uneven (Tehran holds a quarter of the country's stations).
    let keys = parallel::map(&doc.stations, |_, s| PublicKey::from_spki_base64(&s.device));
    let mut stations = Vec::with_capacity(doc.stations.len());
    for ((i, s), key) in doc.stations.iter().enumerate().zip(keys) {
        if seen_ids.insert(&s.id, i).is_some() {
            findings.push(Finding::DuplicateId { file: file.into(), what: "station".into(), id: s.id.to_string() });
        }
        let Some(&contest) = contest_index.get(&s.contest) else {
            findings.push(Finding::UnknownReference {
                file: file.into(),
                what: "contest".into(),
                id: s.contest.to_string(),
                defined_in: "the province's contests file".into(),
            });
            continue;
        };
        match key {
            Ok(key) => {
                by_key_all.entry(key.id()).or_default().push(s.id.to_string());
                stations.push(Registered { station: s.clone(), key, contest });
            }
            Err(e) => findings.push(Finding::InvalidValue {
                file: file.into(),
                field: format!("stations[{i}].device"),
                problem: e.to_string(),
            }),
        }
    }
    let mut assigned = vec![0u64; contests.contests.len()];
    for r in &stations {
        assigned[r.contest] = assigned[r.contest].saturating_add(r.station.eligible);
    }
    for (c, assigned) in contests.contests.iter().zip(assigned) {
        if assigned != c.eligible {
            findings.push(Finding::InvalidValue {
                file: file.into(),
                field: format!("stations of contest {}", c.id),
                problem: format!("assign {assigned} voters in all, but the contest has {} eligible voters", c.eligible),
            });
        }
    }
    for (key, ids) in by_key_all {
        if ids.len() > 1 {
            findings.push(Finding::DeviceReused { file: file.into(), key, stations: ids });
        }
    }
    if !findings.is_empty() {
        return Err(findings);
    }
    let by_key = stations.iter().enumerate().map(|(i, r)| (r.key.id(), i)).collect();
    Ok(Registry { stations, by_key })
}

/// A station result whose signature verified, parsed.
pub(crate) struct CheckedResult {
    pub(crate) line: usize,
    pub(crate) station: usize,
    pub(crate) result: StationResult,
}

/// A line whose envelope was read and whose key is a registered device:
/// its signature is still to be checked.
struct Envelope<'a> {
    line: usize,
    station: usize,
    parsed: format::ParsedLine<'a>,
}

/// Reads a line's envelope and finds its device in the registry.
fn envelope<'a>(file: &str, line_no: usize, line: &'a str, registry: &Registry) -> Result<Envelope<'a>, Finding> {
    let parsed = format::parse_station_line(file, line_no, line)?;
    let Some(&station) = registry.by_key.get(&parsed.key) else {
        return Err(Finding::UnknownDevice { file: file.into(), line: line_no, key: parsed.key });
    };
    Ok(Envelope { line: line_no, station, parsed })
}

/// A line whose device signature verified: its result, parsed and checked
/// against the station the device is registered for.
fn signed_result(
    file: &str,
    envelope: Envelope<'_>,
    registry: &Registry,
    election: &ElectionDoc,
    contests: &ContestsDoc,
) -> Result<CheckedResult, Finding> {
    let Envelope { line: line_no, station, parsed } = envelope;
    let key = parsed.key;
    let reg = &registry.stations[station];
    let result = parsed.parse_result(file, line_no)?;
    if result.election != election.id {
        return Err(Finding::WrongElection {
            file: format!("{file} line {line_no}"),
            expected: election.id.to_string(),
            found: result.election.to_string(),
        });
    }
    if result.station != reg.station.id {
        return Err(Finding::ResultForOtherStation {
            file: file.into(),
            line: line_no,
            key,
            device_station: reg.station.id.to_string(),
            result_station: result.station.to_string(),
        });
    }
    if result.contest != reg.station.contest {
        return Err(Finding::WrongContest {
            file: file.into(),
            line: line_no,
            station: reg.station.id.to_string(),
            registered: contests.contests[reg.contest].id.to_string(),
            found: result.contest.to_string(),
        });
    }
    Ok(CheckedResult { line: line_no, station, result })
}

/// Checks every line of a results file: its envelope, its device, its
/// signature (all signatures together, batched where that gives exactly
/// `verify_strict`'s answers: [`crate::keys::batch`]), then its result.
/// Findings come in line order, as a line-by-line check would give them.
pub(crate) fn verify_results(
    file: &str,
    bytes: &[u8],
    registry: &Registry,
    election: &ElectionDoc,
    contests: &ContestsDoc,
) -> Result<Vec<CheckedResult>, Vec<Finding>> {
    let lines = format::result_lines(file, bytes).map_err(|e| vec![e.into()])?;
    #[cfg(feature = "parallel")]
    let envelopes: Vec<Result<Envelope<'_>, Finding>> = {
        use rayon::prelude::*;
        lines.par_iter().enumerate().map(|(i, line)| envelope(file, i + 1, line, registry)).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let envelopes: Vec<Result<Envelope<'_>, Finding>> =
        lines.iter().enumerate().map(|(i, line)| envelope(file, i + 1, line, registry)).collect();

    let items: Vec<SignedItem<'_>> = envelopes
        .iter()
        .filter_map(|e| e.as_ref().ok())
        .filter_map(|e| {
            let signature = e.parsed.signature.as_ref()?;
            Some(SignedItem { key: &registry.stations[e.station].key, msg: e.parsed.result.as_bytes(), signature })
        })
        .collect();
    let mut valid = verify_many(&items).into_iter();
    drop(items);
    // Line by line again, in order: each line's signature verdict, then its result.
    let mut signed = Vec::with_capacity(envelopes.len());
    for e in envelopes {
        signed.push(e.and_then(|e| {
            let ok = e.parsed.signature.is_some() && valid.next().unwrap_or(false);
            if ok {
                Ok(e)
            } else {
                Err(Finding::BadStationSignature {
                    file: file.into(),
                    line: e.line,
                    station: registry.stations[e.station].station.id.to_string(),
                    key: e.parsed.key,
                })
            }
        }));
    }
    let check = |e: Result<Envelope<'_>, Finding>| e.and_then(|e| signed_result(file, e, registry, election, contests));
    #[cfg(feature = "parallel")]
    let outcomes: Vec<Result<CheckedResult, Finding>> = {
        use rayon::prelude::*;
        signed.into_par_iter().map(check).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let outcomes: Vec<Result<CheckedResult, Finding>> = signed.into_iter().map(check).collect();

    let mut findings = Vec::new();
    let mut checked = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        match o {
            Ok(c) => checked.push(c),
            Err(f) => findings.push(f),
        }
    }
    let mut lines_by_station: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for c in &checked {
        lines_by_station.entry(c.station).or_default().push(c.line);
    }
    for (station, lines) in lines_by_station {
        if lines.len() > 1 {
            findings.push(Finding::DuplicateResult {
                file: file.into(),
                station: registry.stations[station].station.id.to_string(),
                lines,
            });
        }
    }
    if findings.is_empty() {
        Ok(checked)
    } else {
        Err(findings)
    }
}
