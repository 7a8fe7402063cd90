//! A synthetic election for demos and tests: the 7th city and village
//! council elections, invented from the 2016 census and today's county map.
//!
//! [`generate`] is pure and deterministic: the caller reads the geo inputs
//! (`../shared/geo`) and passes their bytes in; the same seed gives the same
//! publication, byte for byte. It makes every file an authority would (trust
//! root, release, per-province contests, station registry and signed station
//! results) with [`crate::publish`] (`make_root`, `sign_result`, `assemble`,
//! whose self-check verifies the result), so it verifies with
//! [`crate::verify_publication`] like a real one.
//!
//! The demo hides anomalies that a verifier cannot call wrong but an
//! observer should look at (ballot stuffing, 100% turnout), and lists them
//! in [`Demo::anomalies`] as the answer key. With [`DemoOptions::tamper`] it
//! adds what verification must report: stations whose signed totals are
//! impossible, and one published total the authority edited after counting.
//!
//! Keys are derived from the seed (`SHA-256(label ‖ seed ‖ id)`): they are
//! public knowledge, which is fine for a demo and nothing else.

mod geo;
mod names;
mod plan;
mod sequence;
mod vote;

pub use self::sequence::{
    generate_sequence, DemoRelease, ReleaseKind, SequenceOptions, CORRECTION_ISSUED, PARTIAL_ISSUED,
};

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};

use crate::format::Publication;
use crate::keys::SecretKey;
use crate::model::{
    Candidate, CandidateVotes, Contest, ContestKind, ContestsDoc, ContestsType, ElectionDoc, ElectionType, Id, Name,
    Province, Region, Sha256Hex, Station, StationResult, StationResultType, StationsDoc, StationsType, Text,
};
use crate::publish::{self, Draft, DraftProvince, PublishError};
use crate::tally;

use self::geo::County;
use self::names::Pair;
use self::plan::PlannedContest;
use self::vote::{Count, Impossible};

/// The demo election's id.
pub const ELECTION_ID: &str = "ir-council-7-demo";
/// The province of the small demo: Lorestan.
pub const LORESTAN: &str = "IR-15";
/// When the demo release was issued: a verifier's `now` should be later.
pub const RELEASE_ISSUED: OffsetDateTime = datetime!(2026-06-20 06:00 +03:30);
pub const RELEASE_EXPIRES: OffsetDateTime = datetime!(2031-06-20 00:00 UTC);
pub const ROOT_EXPIRES: OffsetDateTime = datetime!(2036-06-19 00:00 UTC);
/// Polls open at 08:00 Iran time on election day.
const POLLS_OPEN: OffsetDateTime = datetime!(2026-06-19 08:00 +03:30);

/// How much of the country the demo covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// One province, IR-15 Lorestan: about 1,400 stations.
    Lorestan,
    /// Lorestan and three small neighbours (IR-14 Chaharmahal and Bakhtiari,
    /// IR-16 Ilam, IR-17 Kohgiluyeh and Boyer-Ahmad): several provinces,
    /// about 3,000 stations, for tests of what a reader fetches per province.
    West,
    /// All 31 provinces and 478 counties: about 65,000 stations.
    National,
}

/// The provinces of [`Scale::West`].
pub const WEST: [&str; 4] = ["IR-14", LORESTAN, "IR-16", "IR-17"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    pub seed: u64,
    pub scale: Scale,
    /// Also make what verification must flag: impossible station totals and
    /// a published total edited after counting.
    pub tamper: bool,
}

/// The geo inputs, as read by the caller from `../shared/geo`.
#[derive(Debug, Clone, Default)]
pub struct GeoInput {
    /// `provinces-2016.csv`
    pub provinces_csv: String,
    /// `counties-2016.csv`
    pub counties_csv: String,
    /// `provinces.geojson`, published without the detail the national map
    /// cannot draw ([`crate::map::for_display`]).
    pub provinces_geojson: Vec<u8>,
    /// `counties/IR-xx.geojson` by province code (`"IR-15"`), published as they are.
    pub counties_geojson: Vec<(String, Vec<u8>)>,
}

/// A generated election.
pub struct Demo {
    /// `root.json`, `root.json.sigs`, `release.json`, `release.json.sigs`,
    /// `files/…`, and the release log: `checkpoint`, `latest.json`,
    /// `releases/<N>/…`, `log/…`.
    pub publication: Publication,
    /// The 3 root keys (threshold 2), so tests can re-sign a changed root.
    pub root_keys: Vec<SecretKey>,
    /// The 2 publisher keys (threshold 2), so tests can re-sign a changed release.
    pub publisher_keys: Vec<SecretKey>,
    /// The answer key: where anomalies were put.
    pub anomalies: Vec<Anomaly>,
    /// SHA-256 of `root.json`: the trust anchor to pin.
    pub root_sha256: Sha256Hex,
    /// The 2 witness keys, which cosign every checkpoint of the demo.
    pub witness_keys: Vec<SecretKey>,
    /// The timestamp role's key, which signs `latest.json`.
    pub timestamp_keys: Vec<SecretKey>,
    /// The releases published, oldest first, with what each changed.
    pub releases: Vec<DemoRelease>,
    /// Station sheets to print, with the verdict each must get against the
    /// last release (see [`crate::sheet`]).
    pub sheets: Vec<DemoSheet>,
}

/// A station sheet of the demo: the results line its QR codes carry, and
/// what a reader must say of it against the demo's last release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoSheet {
    /// `matches`, `corrected`, `differs`, `wrong-device`, `invalid`: the
    /// file name and the verdict.
    pub name: String,
    /// The station the sheet's result names.
    pub station: String,
    pub contest: String,
    #[serde(skip)]
    pub line: String,
}

/// One injected anomaly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anomaly {
    pub kind: AnomalyKind,
    pub province: String,
    pub contest: String,
    pub station: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum AnomalyKind {
    /// A station whose turnout is near 100% of its voters, nearly all for one
    /// candidate: suspicious, not impossible.
    BallotStuffing,
    /// A village contest where every eligible voter voted.
    FullTurnout,
    /// (tamper) A station whose signed totals break an arithmetic rule.
    ImpossibleTotals,
    /// (tamper) A contest whose published total differs from the count of
    /// its signed station results.
    PublishedTotalEdited,
}

/// Why a demo could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{file} line {line}: {message}")]
    Csv { file: String, line: usize, message: String },
    #[error("{file}: {message}")]
    GeoJson { file: String, message: String },
    /// The provinces' boundaries, which the national map would refuse.
    #[error(transparent)]
    Map(#[from] crate::map::MapError),
    #[error("{file}: {message}")]
    Inconsistent { file: String, message: String },
    #[error("no counties file was given for province {province} (expected counties/{province}.geojson)")]
    MissingCounties { province: String },
    #[error("{file}: {what} `{value}` cannot be used: {problem}")]
    BadText { file: String, what: String, value: String, problem: String },
    #[error("cannot publish the demo: {0}")]
    Publish(#[from] PublishError),
    #[error("{0}")]
    Options(String),
}

/// SHA-256(label ‖ seed, big-endian ‖ key): the seed of a key or a random stream.
fn derive(label: &str, seed: u64, key: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(label.as_bytes());
    h.update(seed.to_be_bytes());
    h.update(key);
    h.finalize().into()
}

fn stream(label: &str, seed: u64, key: &str) -> ChaCha20Rng {
    ChaCha20Rng::from_seed(derive(label, seed, key.as_bytes()))
}

/// A station device's key: `SHA-256("shafaf-demo-device" ‖ seed ‖ station id)`.
pub fn device_key(seed: u64, station: &str) -> SecretKey {
    SecretKey::from_seed(&derive("shafaf-demo-device", seed, station.as_bytes()))
}

fn role_keys(label: &str, seed: u64, n: u8) -> Vec<SecretKey> {
    (1..=n).map(|i| SecretKey::from_seed(&derive(label, seed, &[i]))).collect()
}

/// A province as simulated, before it is written out.
struct SimProvince {
    code: String,
    name: Pair,
    counties: Vec<County>,
    contests: Vec<PlannedContest>,
    stations: Vec<SimStation>,
    /// Each contest's stations: a range of `stations`.
    by_contest: Vec<Range<usize>>,
}

struct SimStation {
    id: String,
    contest: usize,
    /// The contest's eligible voters this station serves.
    share: u64,
    count: Count,
}

/// Makes the demo election: the setup release and one complete release,
/// the first two leaves of its release log ([`generate_sequence`] makes an election night of several).
pub fn generate(geo_input: &GeoInput, opts: &DemoOptions) -> Result<Demo, DemoError> {
    generate_sequence(geo_input, opts, &SequenceOptions::default())
}

/// A draft ready to count and publish.
struct Prepared {
    draft: Draft,
    /// Each draft province's station results, as signed, in station order.
    results: Vec<Vec<StationResult>>,
    anomalies: Vec<Anomaly>,
    edit: Option<Edit>,
}

/// Simulates the election and writes the draft: registry and signed results.
fn prepare(geo_input: &GeoInput, opts: &DemoOptions) -> Result<Prepared, DemoError> {
    let rows = geo::provinces(&geo_input.provinces_csv)?;
    let census = geo::census_counties(&geo_input.counties_csv)?;
    let geo_provinces = crate::map::for_display(geo::PROVINCES_GEOJSON, &geo_input.provinces_geojson)?;
    let mut selected: Vec<&geo::ProvinceRow> = match opts.scale {
        Scale::Lorestan => rows.iter().filter(|r| r.code == LORESTAN).collect(),
        Scale::West => rows.iter().filter(|r| WEST.contains(&r.code.as_str())).collect(),
        Scale::National => rows.iter().collect(),
    };
    selected.sort_by(|a, b| a.code.cmp(&b.code));
    if selected.is_empty() {
        return Err(DemoError::Inconsistent {
            file: geo::PROVINCES_CSV.into(),
            message: format!("province {LORESTAN} is not listed"),
        });
    }

    let mut anomalies = Vec::new();
    let mut sims = Vec::with_capacity(selected.len());
    for row in selected {
        let bytes = counties_bytes(geo_input, &row.code)?;
        let counties = geo::counties(row, &census, bytes)?;
        let mut sim = simulate(opts.seed, row, counties);
        anomalies.extend(suspicious(opts.seed, &mut sim));
        sims.push(sim);
    }
    let edit = if opts.tamper {
        anomalies.extend(impossible_totals(opts.seed, &mut sims));
        Some(choose_edit(opts.seed, &sims))
    } else {
        None
    };

    let election = election_doc(&sims)?;
    let mut draft = Draft {
        election,
        provinces: Vec::with_capacity(sims.len()),
        geo_provinces,
        geo_counties: Vec::with_capacity(sims.len()),
    };
    let mut results = Vec::with_capacity(sims.len());
    for sim in &sims {
        let (province, signed) = province_draft(opts.seed, sim)?;
        draft.provinces.push(province);
        results.push(signed);
        let code = id(&sim.code, "province code", &geo::counties_file(&sim.code))?;
        draft.geo_counties.push((code, counties_bytes(geo_input, &sim.code)?.to_vec()));
    }
    Ok(Prepared { draft, results, anomalies, edit })
}

/// The authority's totals for every contest: what [`publish::count`] gives,
/// by the same tally, ranking and drawing of lots, without checking again
/// the signatures this module has just made (on 65,000 stations that would
/// double the time; [`publish::assemble`] verifies them all anyway).
fn count(draft: &Draft, results: &[Vec<StationResult>]) -> Result<Vec<ContestsDoc>, DemoError> {
    let mut out = Vec::with_capacity(draft.provinces.len());
    for (p, results) in draft.provinces.iter().zip(results) {
        let mut by_contest: Vec<Vec<&StationResult>> = vec![Vec::new(); p.contests.contests.len()];
        let index: BTreeMap<&Id, usize> = p.contests.contests.iter().enumerate().map(|(i, c)| (&c.id, i)).collect();
        for r in results {
            if let Some(&i) = index.get(&r.contest) {
                by_contest[i].push(r);
            }
        }
        let mut doc = p.contests.clone();
        for (contest, results) in doc.contests.iter_mut().zip(by_contest) {
            let t = tally::tally(contest, results).ok_or_else(|| DemoError::Inconsistent {
                file: GENERATOR.into(),
                message: format!("contest {}: a count does not fit in 64 bits", contest.id),
            })?;
            contest.published = Some(publish::published_from_tally(&draft.election.id, contest, &t));
        }
        out.push(doc);
    }
    Ok(out)
}

fn counties_bytes<'a>(geo_input: &'a GeoInput, province: &str) -> Result<&'a [u8], DemoError> {
    geo_input
        .counties_geojson
        .iter()
        .find(|(code, _)| code == province)
        .map(|(_, bytes)| bytes.as_slice())
        .ok_or_else(|| DemoError::MissingCounties { province: province.into() })
}

/// Plans a province's contests county by county, then counts every station.
fn simulate(seed: u64, row: &geo::ProvinceRow, counties: Vec<County>) -> SimProvince {
    let mut contests = Vec::new();
    for county in &counties {
        let mut rng = stream("shafaf-demo-plan", seed, &format!("{}/{}", row.code, county.code));
        contests.extend(plan::county(&mut rng, &row.code, county));
    }
    let mut rng = stream("shafaf-demo-votes", seed, &row.code);
    let mut stations = Vec::new();
    let mut by_contest = Vec::with_capacity(contests.len());
    for (ci, contest) in contests.iter().enumerate() {
        let turnout = vote::contest_turnout(&mut rng, contest.kind);
        let weights: Vec<u64> = (0..contest.stations).map(|_| rng.gen_range(85..=115)).collect();
        let start = stations.len();
        for share in geo::split(contest.eligible, &weights) {
            let count = vote::ordinary(&mut rng, contest, share, turnout);
            let id = format!("{}-S{:05}", row.code, stations.len() + 1);
            stations.push(SimStation { id, contest: ci, share, count });
        }
        by_contest.push(start..stations.len());
    }
    SimProvince { code: row.code.clone(), name: row.name.clone(), counties, contests, stations, by_contest }
}

/// Picks `k` distinct items of `pool` (a partial Fisher–Yates shuffle).
fn choose<T: Copy>(rng: &mut impl Rng, pool: &[T], k: usize) -> Vec<T> {
    let mut pool = pool.to_vec();
    let k = k.min(pool.len());
    for i in 0..k {
        let j = rng.gen_range(i..pool.len());
        pool.swap(i, j);
    }
    pool.truncate(k);
    pool
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// Turnout of a set of stations, in percent.
fn turnout(stations: impl Iterator<Item = usize>, sim: &SimProvince) -> f64 {
    let (cast, share) = stations.fold((0, 0), |(c, s), i| (c + sim.stations[i].count.cast, s + sim.stations[i].share));
    percent(cast, share)
}

/// The anomalies of normal mode: 2–3 stuffed stations and one village
/// contest with 100% turnout per province.
fn suspicious(seed: u64, sim: &mut SimProvince) -> Vec<Anomaly> {
    let mut rng = stream("shafaf-demo-anomalies", seed, &sim.code);
    let villages: Vec<usize> =
        (0..sim.contests.len()).filter(|&c| sim.contests[c].kind == ContestKind::Village).collect();
    let big: Vec<usize> = villages.iter().copied().filter(|&c| sim.by_contest[c].len() >= 2).collect();
    let k = rng.gen_range(2..=3);
    let stuffed = choose(&mut rng, if big.len() >= k { &big } else { &villages }, k);
    let mut out = Vec::new();
    for &ci in &stuffed {
        let contest = &sim.contests[ci];
        let range = sim.by_contest[ci].clone();
        let si = rng.gen_range(range.clone());
        // A weak candidate, so the stuffing changes the outcome.
        let mut by_popularity: Vec<usize> = (0..contest.candidates.len()).collect();
        by_popularity.sort_by(|&a, &b| contest.candidates[a].popularity.total_cmp(&contest.candidates[b].popularity));
        let favourite = by_popularity[rng.gen_range(0..by_popularity.len().div_ceil(2))];
        let share = sim.stations[si].share;
        sim.stations[si].count = vote::stuffed(&mut rng, contest, share, favourite);
        let count = &sim.stations[si].count;
        let against = if range.len() > 1 {
            format!("{:.1}% at the contest's other stations", turnout(range.clone().filter(|&i| i != si), sim))
        } else {
            let county = &contest.county;
            let others = sim.by_contest.iter().enumerate().filter(|&(c, _)| {
                c != ci && sim.contests[c].kind == ContestKind::Village && sim.contests[c].county == *county
            });
            format!("{:.1}% in the county's other villages", turnout(others.flat_map(|(_, r)| r.clone()), sim))
        };
        out.push(Anomaly {
            kind: AnomalyKind::BallotStuffing,
            province: sim.code.clone(),
            contest: contest.id.clone(),
            station: Some(sim.stations[si].id.clone()),
            note: format!(
                "{} of the station's {} voters cast ballots ({:.1}%, against {against}); {} ({}) is named on {:.1}% of its {} valid ballots",
                count.cast,
                share,
                percent(count.cast, share),
                contest.candidates[favourite].name.en,
                contest.candidates[favourite].id,
                percent(count.votes[favourite], count.valid),
                count.valid,
            ),
        });
    }

    let rest: Vec<usize> = villages.iter().copied().filter(|c| !stuffed.contains(c)).collect();
    let small: Vec<usize> =
        rest.iter().copied().filter(|&c| sim.by_contest[c].len() == 1 && sim.contests[c].eligible <= 800).collect();
    let pool = if small.is_empty() { &rest } else { &small };
    if let Some(&ci) = choose(&mut rng, pool, 1).first() {
        let contest = &sim.contests[ci];
        for si in sim.by_contest[ci].clone() {
            let share = sim.stations[si].share;
            sim.stations[si].count = vote::full(&mut rng, contest, share);
        }
        out.push(Anomaly {
            kind: AnomalyKind::FullTurnout,
            province: sim.code.clone(),
            contest: contest.id.clone(),
            station: None,
            note: format!(
                "{} ({}): all {} eligible voters cast ballots (100% turnout)",
                contest.name.en, contest.id, contest.eligible
            ),
        });
    }
    out
}

/// Stations that avoid every anomaly so far: city stations (the normal
/// mode's anomalies are all in villages).
fn city_station(rng: &mut impl Rng, sim: &SimProvince) -> Option<usize> {
    let cities: Vec<usize> = (0..sim.contests.len()).filter(|&c| sim.contests[c].kind == ContestKind::City).collect();
    let &ci = choose(rng, &cities, 1).first()?;
    Some(rng.gen_range(sim.by_contest[ci].clone()))
}

/// Tamper mode: three stations whose devices sign impossible totals, each
/// breaking one rule.
fn impossible_totals(seed: u64, sims: &mut [SimProvince]) -> Vec<Anomaly> {
    let mut rng = stream("shafaf-demo-tamper", seed, "stations");
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for rule in [Impossible::ValidPlusInvalid, Impossible::CandidateAboveValid, Impossible::VotesAboveCapacity] {
        for _ in 0..1000 {
            let p = rng.gen_range(0..sims.len());
            let sim = &mut sims[p];
            let Some(si) = city_station(&mut rng, sim) else {
                continue;
            };
            let ci = sim.stations[si].contest;
            let contest_cast: u64 = sim.by_contest[ci].clone().map(|i| sim.stations[i].count.cast).sum();
            if sim.stations[si].count.valid == 0
                || contest_cast + 30 > sim.contests[ci].eligible
                || !used.insert((p, si))
            {
                continue;
            }
            let note = vote::impossible(&mut rng, &mut sim.stations[si].count, &sim.contests[ci], rule);
            out.push(Anomaly {
                kind: AnomalyKind::ImpossibleTotals,
                province: sim.code.clone(),
                contest: sim.contests[ci].id.clone(),
                station: Some(sim.stations[si].id.clone()),
                note: format!("signed by the station's device: {note}"),
            });
            break;
        }
    }
    out
}

/// Tamper mode: which contest's published total to edit, and by how much.
struct Edit {
    province: usize,
    contest: usize,
    margin: u64,
}

fn choose_edit(seed: u64, sims: &[SimProvince]) -> Edit {
    let mut rng = stream("shafaf-demo-tamper", seed, "published");
    let province = rng.gen_range(0..sims.len());
    let sim = &sims[province];
    let cities: Vec<usize> = (0..sim.contests.len()).filter(|&c| sim.contests[c].kind == ContestKind::City).collect();
    let contest = choose(&mut rng, &cities, 1).first().copied().unwrap_or(0);
    Edit { province, contest, margin: rng.gen_range(20..=400) }
}

/// Gives the first alternate more published votes than the last elected
/// member, and publishes the outcome that follows: what the signed station
/// results do not support.
fn edit_published_total(election: &Id, counted: &mut [ContestsDoc], edit: Edit) -> Anomaly {
    let doc = &mut counted[edit.province];
    let province = doc.province.to_string();
    let contest = &mut doc.contests[edit.contest];
    let lots = publish::lot_order(election, contest);
    let seats = contest.seats as usize;
    let Some(published) = contest.published.clone() else {
        return Anomaly {
            kind: AnomalyKind::PublishedTotalEdited,
            province,
            contest: contest.id.to_string(),
            station: None,
            note: "not edited: the contest had no published totals".into(),
        };
    };
    let mut votes: Vec<u64> = published.votes.iter().map(|v| v.votes).collect();
    let ranking = tally::rank(contest, &votes, &lots);
    let last_elected = ranking[seats - 1].votes;
    let challenger = ranking[seats].candidate;
    let before = votes[challenger];
    votes[challenger] = last_elected + edit.margin;
    let ranking = tally::rank(contest, &votes, &lots);
    let (elected, alternates) = tally::outcome(contest, &ranking);
    let candidate = contest.candidates[challenger].clone();
    if let Some(p) = contest.published.as_mut() {
        p.votes[challenger].votes = votes[challenger];
        p.elected = elected;
        p.alternates = alternates;
    }
    Anomaly {
        kind: AnomalyKind::PublishedTotalEdited,
        province,
        contest: contest.id.to_string(),
        station: None,
        note: format!(
            "published votes for {} ({}) raised from {before} to {} after counting, moving them from first alternate to elected",
            candidate.name.en, candidate.id, votes[challenger]
        ),
    }
}

const GENERATOR: &str = "the demo generator";

fn text(s: &str, what: &str, file: &str) -> Result<Text, DemoError> {
    Text::new(s).map_err(|e| DemoError::BadText {
        file: file.into(),
        what: what.into(),
        value: s.into(),
        problem: e.to_string(),
    })
}

fn id(s: &str, what: &str, file: &str) -> Result<Id, DemoError> {
    Id::new(s).map_err(|e| DemoError::BadText {
        file: file.into(),
        what: what.into(),
        value: s.into(),
        problem: e.to_string(),
    })
}

fn name(p: &Pair, what: &str, file: &str) -> Result<Name, DemoError> {
    Ok(Name { fa: text(&p.fa, what, file)?, en: text(&p.en, what, file)? })
}

fn election_doc(sims: &[SimProvince]) -> Result<ElectionDoc, DemoError> {
    let g = GENERATOR;
    let provinces = sims
        .iter()
        .map(|sim| {
            let file = geo::counties_file(&sim.code);
            Ok(Province {
                code: id(&sim.code, "province code", geo::PROVINCES_CSV)?,
                name: name(&sim.name, "province name", geo::PROVINCES_CSV)?,
                counties: sim
                    .counties
                    .iter()
                    .map(|c| {
                        Ok(Region {
                            code: id(&c.code, "county code", &file)?,
                            name: name(&c.name, "county name", &file)?,
                        })
                    })
                    .collect::<Result<_, DemoError>>()?,
            })
        })
        .collect::<Result<_, DemoError>>()?;
    Ok(ElectionDoc {
        doc_type: ElectionType::V1,
        id: id(ELECTION_ID, "election id", g)?,
        name: Name {
            fa: text("هفتمین دوره انتخابات شوراهای اسلامی شهر و روستا (نمایشی)", "election name", g)?,
            en: text("7th City and Village Council Elections (DEMO)", "election name", g)?,
        },
        demo: true,
        election_day: date!(2026 - 06 - 19),
        polls_open: POLLS_OPEN,
        tie_break: Name { fa: text("قرعه‌کشی", "tie-break", g)?, en: text("drawing of lots", "tie-break", g)? },
        attribution: [
            "Boundaries © OpenStreetMap contributors, ODbL 1.0",
            "Land mask: UNHCR, OCHA",
            "Census: Statistical Centre of Iran, 2016",
            "Synthetic data: the candidates, stations and results are invented for this demo; voter numbers are estimates from the 2016 census",
        ]
        .iter()
        .map(|a| text(a, "attribution", g))
        .collect::<Result<_, _>>()?,
        country: Region { code: id("IR", "country code", g)?, name: name(&Pair { fa: "ایران".into(), en: "Iran".into() }, "country", g)? },
        provinces,
    })
}

/// One station's registry entry and signed results line.
fn station_files(
    seed: u64,
    election: &Id,
    sim: &SimProvince,
    s: &SimStation,
) -> Result<(Station, StationResult, String), DemoError> {
    let contest = &sim.contests[s.contest];
    let key = device_key(seed, &s.id);
    let station_id = id(&s.id, "station id", GENERATOR)?;
    let contest_id = id(&contest.id, "contest id", GENERATOR)?;
    let result = StationResult {
        doc_type: StationResultType::V1,
        election: election.clone(),
        station: station_id.clone(),
        contest: contest_id.clone(),
        opened: POLLS_OPEN,
        closed: POLLS_OPEN + Duration::hours(12) + Duration::minutes(i64::from(s.count.closed_after)),
        ballots_cast: s.count.cast,
        valid: s.count.valid,
        invalid: s.count.invalid,
        votes: contest
            .candidates
            .iter()
            .zip(&s.count.votes)
            .map(|(c, &votes)| Ok(CandidateVotes { candidate: id(&c.id, "candidate id", GENERATOR)?, votes }))
            .collect::<Result<_, DemoError>>()?,
    };
    let line = publish::sign_result(&result, &key)?;
    Ok((
        Station { id: station_id, contest: contest_id, eligible: s.share, device: key.public().to_spki_base64() },
        result,
        line,
    ))
}

type StationFiles = (Station, StationResult, String);

/// Signing is most of the work: spread it over the cores where the core
/// crate may use them.
#[cfg(feature = "parallel")]
fn all_station_files(seed: u64, election: &Id, sim: &SimProvince) -> Result<Vec<StationFiles>, DemoError> {
    use rayon::prelude::*;
    sim.stations.par_iter().map(|s| station_files(seed, election, sim, s)).collect()
}

#[cfg(not(feature = "parallel"))]
fn all_station_files(seed: u64, election: &Id, sim: &SimProvince) -> Result<Vec<StationFiles>, DemoError> {
    sim.stations.iter().map(|s| station_files(seed, election, sim, s)).collect()
}

/// A province's draft files, and its station results as signed.
fn province_draft(seed: u64, sim: &SimProvince) -> Result<(DraftProvince, Vec<StationResult>), DemoError> {
    let g = GENERATOR;
    let election = id(ELECTION_ID, "election id", g)?;
    let province = id(&sim.code, "province code", geo::PROVINCES_CSV)?;
    let contests = sim
        .contests
        .iter()
        .map(|c| {
            Ok(Contest {
                id: id(&c.id, "contest id", g)?,
                kind: c.kind,
                county: id(&c.county, "county code", g)?,
                name: name(&c.name, "place name", g)?,
                seats: c.seats,
                alternates: c.seats.div_ceil(2),
                eligible: c.eligible,
                candidates: c
                    .candidates
                    .iter()
                    .map(|k| {
                        Ok(Candidate {
                            id: id(&k.id, "candidate id", g)?,
                            ballot_code: id(&k.ballot_code, "ballot code", g)?,
                            name: name(&k.name, "candidate name", g)?,
                        })
                    })
                    .collect::<Result<_, DemoError>>()?,
                published: None,
            })
        })
        .collect::<Result<_, DemoError>>()?;
    let files = all_station_files(seed, &election, sim)?;
    let mut stations = Vec::with_capacity(files.len());
    let mut signed = Vec::with_capacity(files.len());
    let mut lines = Vec::with_capacity(files.len());
    for (station, result, line) in files {
        stations.push(station);
        signed.push(result);
        lines.push(line);
    }
    let draft = DraftProvince {
        contests: ContestsDoc {
            doc_type: ContestsType::V1,
            election: election.clone(),
            province: province.clone(),
            contests,
        },
        stations: StationsDoc { doc_type: StationsType::V1, election, province, stations },
        results: lines,
    };
    Ok((draft, signed))
}

#[cfg(test)]
mod tests;
