//! The documents of a publication, as they are written in its files.
//!
//! Every type here is parsed strictly: unknown fields, duplicate fields, wrong
//! types and negative counts are errors, and names and ids are checked as they
//! are read (see [`crate::text`]). These are *unverified* shapes; the verified
//! model that views use is in [`crate::verify`].

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize};
use time::OffsetDateTime;

use crate::keys::KeyId;
use crate::text;

macro_rules! doc_type {
    ($(#[$doc:meta])* $name:ident = $tag:literal) => {
        doc_type!($(#[$doc])* $name::V1 = $tag);
    };
    ($(#[$doc:meta])* $name:ident::$version:ident = $tag:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
        pub enum $name {
            #[default]
            #[serde(rename = $tag)]
            $version,
        }
    };
}

doc_type!(
    /// `"type"` of the trust root.
    RootType = "shafaf/root/v1"
);
doc_type!(
    /// `"type"` of a release manifest.
    ReleaseType = "shafaf/release/v1"
);
doc_type!(
    /// `"type"` of the pointer to the latest release (`latest.json`).
    LatestType = "shafaf/latest/v1"
);
doc_type!(
    /// `"type"` of the election description.
    ElectionType = "shafaf/election/v1"
);
doc_type!(
    /// `"type"` of a province's contests and published totals.
    ContestsType = "shafaf/contests/v1"
);
doc_type!(
    /// `"type"` of a province's station and device registry.
    StationsType = "shafaf/stations/v1"
);
doc_type!(
    /// `"type"` of one station's signed result.
    StationResultType = "shafaf/station-result/v1"
);
doc_type!(
    /// `type` of the release's summary. (v1 also listed each county's
    /// councils; a council's id now names its province.)
    SummaryType::V2 = "shafaf/summary/v2"
);

/// An identifier: ASCII letters, digits, `.`, `_`, `-`; at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    pub fn new(s: impl Into<String>) -> Result<Self, text::TextError> {
        let s = s.into();
        text::check_id(&s)?;
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Id::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A display name: no control or bidi-override characters, at most 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    pub fn new(s: impl Into<String>) -> Result<Self, text::TextError> {
        let s = s.into();
        text::check_name(&s)?;
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Text::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A name in Persian and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Name {
    pub fa: Text,
    pub en: Text,
}

/// The roles of the trust root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Signs the trust root itself.
    Root,
    /// Signs release manifests.
    Publisher,
    /// Co-signs the release log's checkpoints.
    Witness,
    /// Signs the short-lived pointer to the latest release (`latest.json`);
    /// optional: without it the publisher role signs the pointer.
    Timestamp,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Root => "root",
            Role::Publisher => "publisher",
            Role::Witness => "witness",
            Role::Timestamp => "timestamp",
        })
    }
}

/// `root.json`: the authority's keys per role, with thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootDoc {
    #[serde(rename = "type")]
    pub doc_type: RootType,
    pub election: Id,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    pub keys: Vec<KeyEntry>,
    pub roles: Vec<RoleEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    pub id: KeyId,
    /// Base64 of the SubjectPublicKeyInfo DER.
    pub public: String,
    /// The key's name in signed notes (checkpoint signature lines), e.g.
    /// `example.org/witness-1`: printable ASCII without spaces or `+`.
    /// A key without one signs notes under its key id in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleEntry {
    pub role: Role,
    pub keys: Vec<KeyId>,
    pub threshold: u32,
}

/// What a file listed in a release holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// `election.json`: the election, its provinces and counties.
    Election,
    /// The summary: every county's totals and councils.
    Summary,
    /// The province boundaries (GeoJSON).
    GeoProvinces,
    /// One province's county boundaries (GeoJSON).
    GeoCounties,
    /// One province's contests, candidates and published totals.
    Contests,
    /// One province's stations and their device keys.
    Stations,
    /// One province's signed station results (JSON Lines).
    Results,
}

impl FileKind {
    /// Whether entries of this kind name a province.
    pub fn per_province(self) -> bool {
        !matches!(self, FileKind::Election | FileKind::Summary | FileKind::GeoProvinces)
    }

    /// The largest file of this kind a verifier reads.
    pub fn size_limit(self) -> u64 {
        const MIB: u64 = 1024 * 1024;
        match self {
            FileKind::Election => 4 * MIB,
            FileKind::Summary => 16 * MIB,
            FileKind::GeoProvinces | FileKind::GeoCounties => 16 * MIB,
            FileKind::Contests | FileKind::Stations => 64 * MIB,
            FileKind::Results => 256 * MIB,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Election => "election",
            FileKind::Summary => "summary",
            FileKind::GeoProvinces => "geo-provinces",
            FileKind::GeoCounties => "geo-counties",
            FileKind::Contests => "contests",
            FileKind::Stations => "stations",
            FileKind::Results => "results",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `release.json`: one release of the election's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseDoc {
    #[serde(rename = "type")]
    pub doc_type: ReleaseType,
    pub election: Id,
    pub version: u64,
    /// What the release carries: the setup (release 1, before the polls
    /// open) or results (every later release).
    pub phase: Phase,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    pub root: RootRef,
    pub files: Vec<FileEntry>,
    /// Reserved for the append-only release log: where this release sits in it.
    pub log: Option<LogRef>,
}

/// What a release carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Release 1, published and witnessed before the polls open: the
    /// election, every council with its candidates and seats, the station
    /// registry with its device keys and electorate, the boundaries; empty
    /// results files and zero totals. Every later release must keep its
    /// registry and candidate lists.
    Setup,
    /// Every later release: the stations' signed results and the totals.
    Results,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Setup => "setup",
            Phase::Results => "results",
        }
    }
}

/// The trust root a release was made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootRef {
    pub version: u32,
    pub sha256: Sha256Hex,
}

/// One file of a release. Field order matters to the hand-verification recipe
/// in `docs/VERIFY.md`: `sha256` then `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub sha256: Sha256Hex,
    pub path: String,
    pub size: u64,
    pub kind: FileKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Id>,
    /// For a results file: the Merkle root of its lines, so that one
    /// station's line can be proven part of it without the whole file
    /// (evidence of a mismatch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<LinesRoot>,
}

/// The RFC 9162 Merkle tree of a results file's lines (each line, without
/// its newline, a leaf): how many, and the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinesRoot {
    pub count: u64,
    pub root: Sha256Hex,
}

/// A release's leaf in the release log: release `version` is leaf
/// `index = version − 1` of the log named `origin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogRef {
    pub origin: Text,
    pub index: u64,
}

/// `latest.json`: the small, short-lived, signed pointer to the current
/// release and the log's tree head (TUF's timestamp role). Served past
/// `expires`, it is a freeze: newer releases may be being withheld.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatestDoc {
    #[serde(rename = "type")]
    pub doc_type: LatestType,
    pub election: Id,
    #[serde(with = "time::serde::rfc3339")]
    pub issued: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires: OffsetDateTime,
    pub release: LatestRelease,
    pub log: LatestLog,
}

/// The release `latest.json` points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatestRelease {
    pub version: u64,
    /// SHA-256 of its `release.json`.
    pub sha256: Sha256Hex,
}

/// The log's tree head as of that release: the checkpoint's size and root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatestLog {
    pub size: u64,
    /// The Merkle tree's root hash, in hex.
    pub root_hash: Sha256Hex,
}

/// A SHA-256 digest in lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Hex(pub [u8; 32]);

impl Sha256Hex {
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::Digest as _;
        Self(sha2::Sha256::digest(bytes).into())
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(s: &str) -> Option<Self> {
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return None;
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).ok()?;
        Some(Self(out))
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", &self.to_hex()[..16])
    }
}

impl Serialize for Sha256Hex {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Sha256Hex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Sha256Hex::from_hex(&s).ok_or_else(|| serde::de::Error::custom("expected 64 lowercase hex digits"))
    }
}

time::serde::format_description!(calendar_date, Date, "[year]-[month]-[day]");

/// `election.json`: what is being elected, where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionDoc {
    #[serde(rename = "type")]
    pub doc_type: ElectionType,
    pub id: Id,
    pub name: Name,
    /// A synthetic election: every view says DEMO.
    pub demo: bool,
    /// Election day (Gregorian, ISO 8601), in Iran's time zone.
    #[serde(with = "calendar_date")]
    pub election_day: time::Date,
    /// When the polls open: the station registry and the candidate lists
    /// must have been committed (the setup release, witnessed) before it.
    #[serde(with = "time::serde::rfc3339")]
    pub polls_open: OffsetDateTime,
    /// How ties at the seat or alternate boundary are broken.
    pub tie_break: Name,
    /// Credits the data requires (e.g. the map's OpenStreetMap attribution).
    pub attribution: Vec<Text>,
    pub country: Region,
    pub provinces: Vec<Province>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub code: Id,
    pub name: Name,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    /// ISO 3166-2, e.g. `IR-15`.
    pub code: Id,
    pub name: Name,
    pub counties: Vec<Region>,
}

/// City or village council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContestKind {
    City,
    Village,
}

/// A province's contests (one per council), with the authority's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContestsDoc {
    #[serde(rename = "type")]
    pub doc_type: ContestsType,
    pub election: Id,
    pub province: Id,
    pub contests: Vec<Contest>,
}

/// One council election: a city's or a village's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contest {
    pub id: Id,
    pub kind: ContestKind,
    /// The county (census code) the city or village is in.
    pub county: Id,
    /// The city's or village's name.
    pub name: Name,
    pub seats: u32,
    pub alternates: u32,
    pub eligible: u64,
    pub candidates: Vec<Candidate>,
    /// The authority's totals; absent only in a draft before publishing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedTotals>,
}

impl Contest {
    /// The index in `candidates` of the one named `id`, which a result names
    /// at position `hint`: results list candidates in the contest's order as
    /// a rule, so that index is tried first. (A verified contest names each
    /// candidate once, so there is no other index to find.)
    pub fn candidate_index(&self, id: &Id, hint: usize) -> Option<usize> {
        match self.candidates.get(hint) {
            Some(c) if c.id == *id => Some(hint),
            _ => self.candidates.iter().position(|c| c.id == *id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub id: Id,
    /// The code voters may write on the ballot instead of the name.
    pub ballot_code: Id,
    pub name: Name,
}

/// The authority's published count for one contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedTotals {
    pub stations_reported: u64,
    pub ballots_cast: u64,
    pub valid: u64,
    pub invalid: u64,
    pub votes: Vec<CandidateVotes>,
    /// Elected members, in rank order.
    pub elected: Vec<Id>,
    /// Alternates (علی‌البدل), in rank order.
    pub alternates: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CandidateVotes {
    pub candidate: Id,
    pub votes: u64,
}

/// A province's polling stations: the registry of device keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationsDoc {
    #[serde(rename = "type")]
    pub doc_type: StationsType,
    pub election: Id,
    pub province: Id,
    pub stations: Vec<Station>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Station {
    pub id: Id,
    pub contest: Id,
    /// The voters the authority's plan assigns to this station. They add up
    /// to the contest's eligible voters; since a voter may vote at any station
    /// of the contest, a station's turnout can exceed 100% without error.
    pub eligible: u64,
    /// The station device's public key: base64 SubjectPublicKeyInfo DER.
    pub device: String,
}

/// What one station's device counted, signed by that device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationResult {
    #[serde(rename = "type")]
    pub doc_type: StationResultType,
    pub election: Id,
    pub station: Id,
    pub contest: Id,
    #[serde(with = "time::serde::rfc3339")]
    pub opened: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub closed: OffsetDateTime,
    pub ballots_cast: u64,
    pub valid: u64,
    pub invalid: u64,
    pub votes: Vec<CandidateVotes>,
}

/// The release's summary (`files/summary.<h>.json`): every county's totals.
/// A reader draws the country's and the provinces' figures from it, and the
/// councils' from their province's contests file, without any station file;
/// the recount of a province then checks its counties' totals against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryDoc {
    #[serde(rename = "type")]
    pub doc_type: SummaryType,
    pub election: Id,
    pub provinces: Vec<SummaryProvince>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryProvince {
    pub code: Id,
    pub counties: Vec<SummaryCounty>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryCounty {
    pub code: Id,
    pub totals: Totals,
}

/// Sums over a set of contests (councils): an area's figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub contests: u64,
    pub city_contests: u64,
    pub village_contests: u64,
    pub seats: u64,
    pub candidates: u64,
    pub stations_registered: u64,
    pub stations_reported: u64,
    pub eligible: u64,
    pub ballots_cast: u64,
    pub valid: u64,
    pub invalid: u64,
    /// All candidate votes: a valid ballot names up to `seats` candidates.
    pub votes: u64,
}

impl Totals {
    /// The fields, named as in the summary file, for comparing two totals.
    pub fn fields(&self) -> [(&'static str, u64); 12] {
        [
            ("contests", self.contests),
            ("city_contests", self.city_contests),
            ("village_contests", self.village_contests),
            ("seats", self.seats),
            ("candidates", self.candidates),
            ("stations_registered", self.stations_registered),
            ("stations_reported", self.stations_reported),
            ("eligible", self.eligible),
            ("ballots_cast", self.ballots_cast),
            ("valid", self.valid),
            ("invalid", self.invalid),
            ("votes", self.votes),
        ]
    }

    /// Adds `o`, field by field. Sums saturate: a reader's sums of verified
    /// counts stay far below 2⁶⁴ (the summary's are checked to fit).
    pub fn add(&mut self, o: &Totals) {
        self.contests = self.contests.saturating_add(o.contests);
        self.city_contests = self.city_contests.saturating_add(o.city_contests);
        self.village_contests = self.village_contests.saturating_add(o.village_contests);
        self.seats = self.seats.saturating_add(o.seats);
        self.candidates = self.candidates.saturating_add(o.candidates);
        self.stations_registered = self.stations_registered.saturating_add(o.stations_registered);
        self.stations_reported = self.stations_reported.saturating_add(o.stations_reported);
        self.eligible = self.eligible.saturating_add(o.eligible);
        self.ballots_cast = self.ballots_cast.saturating_add(o.ballots_cast);
        self.valid = self.valid.saturating_add(o.valid);
        self.invalid = self.invalid.saturating_add(o.invalid);
        self.votes = self.votes.saturating_add(o.votes);
    }

    /// `self + o`, field by field; `None` if a sum overflows 64 bits.
    pub fn checked_add(&self, o: &Totals) -> Option<Totals> {
        Some(Totals {
            contests: self.contests.checked_add(o.contests)?,
            city_contests: self.city_contests.checked_add(o.city_contests)?,
            village_contests: self.village_contests.checked_add(o.village_contests)?,
            seats: self.seats.checked_add(o.seats)?,
            candidates: self.candidates.checked_add(o.candidates)?,
            stations_registered: self.stations_registered.checked_add(o.stations_registered)?,
            stations_reported: self.stations_reported.checked_add(o.stations_reported)?,
            eligible: self.eligible.checked_add(o.eligible)?,
            ballots_cast: self.ballots_cast.checked_add(o.ballots_cast)?,
            valid: self.valid.checked_add(o.valid)?,
            invalid: self.invalid.checked_add(o.invalid)?,
            votes: self.votes.checked_add(o.votes)?,
        })
    }
}
