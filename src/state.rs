//! The state the views read: the release as far as it has verified.
//!
//! Loading ends in a [`Loaded`]. Its `Ready` arm holds the release at the
//! first level, "signed" (root, release, log, the election file and the
//! summary verified): every figure of the country, its provinces and
//! counties can be drawn. Each province then moves on by itself
//! ([`Area`]): its councils' published results once its contests file
//! verified, "recounted" once the audit (the workers, [`crate::audit`])
//! verified every station signature in it and recounted its councils, or
//! "failed", figures withdrawn. Views read a [`Places`] snapshot, a value
//! replaced whole when anything moves on, from a signal; they can reach
//! election data no other way.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::map::Boundaries;
use shafaf_core::model::{FileKind, Name, Province, Region, SummaryCounty, Totals};
use shafaf_core::search::{search_all, Hit, SearchIndex};
use shafaf_core::verify::{
    AuditedRelease, CheckedFile, ContestOutcome, Failure, SignedRelease, StationOutcome, Status, Verdict,
    VerifiedProvince, VerifiedRoot,
};
use shafaf_core::Finding;

use crate::load::{Config, LoadError};

/// How loading ended, for the views. Cheap to clone.
#[derive(Clone)]
pub enum Loaded {
    /// The release verified to the "signed" level: figures can be drawn.
    Ready(Release),
    /// Verification ran and refused the publication (failed or expired).
    Rejected(Arc<Failure>),
    /// The publication could not be fetched.
    Unavailable(LoadError),
}

/// The release shown, as far as it has verified, and its audit.
#[derive(Clone, Copy)]
pub struct Release {
    /// The latest snapshot of what verified.
    pub places: RwSignal<Arc<Places>>,
    /// The audit of every province, as it goes.
    pub audit: RwSignal<AuditState>,
    /// The provinces whose councils a view asked for and could not
    /// download (the network, the server): each province's code and why,
    /// until the reader tries again.
    pub unreachable: RwSignal<Vec<(String, crate::load::LoadError)>>,
}

/// How loading ended, once it has: the release shown. Live updates replace
/// it with a newer release that verified.
pub type Current = RwSignal<Option<Loaded>>;

/// The configuration `config.json` gave (read before the first paint), if it could be read.
pub type ConfigSignal = Signal<Option<Config>>;

/// The verified trust root of the publication shown, for the history view
/// and the live updates (which check the pointer against it).
pub type RootSignal = RwSignal<Option<Arc<VerifiedRoot>>>;

/// The latest snapshot of the release shown, when one verified: for views
/// outside the routes (header, footer, search).
pub type PlacesSignal = Signal<Option<Arc<Places>>>;

/// How far a province has got.
#[derive(Clone)]
pub enum Area {
    /// Only the summary's figures: its councils are not loaded.
    Summary,
    /// Its contests file verified: every council's published result (signed).
    Signed(Arc<ProvinceData>),
    /// Every station signature verified and every council recounted.
    Recounted(Arc<ProvinceData>),
    /// A file of the province could not be trusted: its figures are withdrawn.
    Failed(Arc<Vec<Finding>>),
}

impl PartialEq for Area {
    fn eq(&self, other: &Area) -> bool {
        match (self, other) {
            (Area::Summary, Area::Summary) => true,
            (Area::Signed(a), Area::Signed(b)) | (Area::Recounted(a), Area::Recounted(b)) => Arc::ptr_eq(a, b),
            (Area::Failed(a), Area::Failed(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// The level of verification an area has reached, as the page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Signed,
    Recounted,
    Failed,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Signed => "signed",
            Level::Recounted => "recounted",
            Level::Failed => "failed",
        }
    }
}

impl Area {
    pub fn level(&self) -> Level {
        match self {
            Area::Summary | Area::Signed(_) => Level::Signed,
            Area::Recounted(_) => Level::Recounted,
            Area::Failed(_) => Level::Failed,
        }
    }

    /// The province's councils, once loaded.
    pub fn data(&self) -> Option<&Arc<ProvinceData>> {
        match self {
            Area::Signed(d) | Area::Recounted(d) => Some(d),
            _ => None,
        }
    }
}

/// A province's councils: as published (signed), or recounted with its stations.
pub struct ProvinceData {
    source: Source,
    by_id: HashMap<String, usize>,
    /// Worked out once: views read them on every move of the audit.
    totals: Totals,
    council_findings: usize,
}

enum Source {
    Signed(Vec<ContestOutcome>),
    Recounted(Arc<VerifiedProvince>),
}

impl ProvinceData {
    /// The councils of a verified contests file, as published.
    pub fn signed(contests: Vec<ContestOutcome>) -> ProvinceData {
        ProvinceData::new(Source::Signed(contests))
    }

    /// A province the audit verified and recounted.
    pub fn from_recount(province: Arc<VerifiedProvince>) -> ProvinceData {
        ProvinceData::new(Source::Recounted(province))
    }

    fn new(source: Source) -> ProvinceData {
        let mut data = ProvinceData { source, by_id: HashMap::new(), totals: Totals::default(), council_findings: 0 };
        data.by_id = data.contests().iter().enumerate().map(|(i, c)| (c.contest.id.to_string(), i)).collect();
        data.totals = Totals::of_contests(data.contests());
        data.council_findings = council_findings(data.contests(), data.findings());
        data
    }

    pub fn contests(&self) -> &[ContestOutcome] {
        match &self.source {
            Source::Signed(c) => c,
            Source::Recounted(p) => &p.contests,
        }
    }

    /// Registered stations and their verified results: none until recounted.
    pub fn stations(&self) -> &[StationOutcome] {
        match &self.source {
            Source::Signed(_) => &[],
            Source::Recounted(p) => &p.stations,
        }
    }

    /// Discrepancies the recount found in the province (none until recounted).
    pub fn findings(&self) -> &[Finding] {
        match &self.source {
            Source::Signed(_) => &[],
            Source::Recounted(p) => &p.findings,
        }
    }

    pub fn recounted(&self) -> bool {
        matches!(self.source, Source::Recounted(_))
    }

    /// The province as the audit verified it, once recounted.
    pub fn verified(&self) -> Option<Arc<VerifiedProvince>> {
        match &self.source {
            Source::Signed(_) => None,
            Source::Recounted(p) => Some(p.clone()),
        }
    }

    pub fn signatures_verified(&self) -> u64 {
        match &self.source {
            Source::Signed(_) => 0,
            Source::Recounted(p) => p.signatures_verified,
        }
    }

    pub fn contest_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn contest(&self, c: usize) -> &ContestOutcome {
        &self.contests()[c]
    }

    /// The councils' totals: recounted once recounted, else as published.
    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// How many of [`ProvinceData::findings`] are about one of its councils.
    pub fn council_findings(&self) -> usize {
        self.council_findings
    }
}

/// How many of `findings` are about one of `contests`.
pub fn council_findings<'a>(contests: impl IntoIterator<Item = &'a ContestOutcome>, findings: &[Finding]) -> usize {
    let ids: std::collections::HashSet<&str> = contests.into_iter().map(|c| c.contest.id.as_str()).collect();
    findings.iter().filter(|f| f.contest().is_some_and(|id| ids.contains(id))).count()
}

/// A place a reader can open. `Contest(p, c)` indexes the councils of
/// province `p` once they are loaded ([`ProvinceData::contests`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Province(usize),
    County(usize, usize),
    Contest(usize, usize),
}

/// A province in a snapshot. What does not change from one snapshot to the
/// next is shared, so that a province moving on copies little (a national
/// audit makes a snapshot per province); its counties in the summary are
/// read from the release ([`Places::summary_counties`]).
#[derive(Clone)]
struct Slot {
    described: Arc<Province>,
    area: Area,
    /// The province's counties' boundaries, once fetched and verified.
    counties: Option<Arc<Boundaries>>,
    /// Its councils by name, once loaded.
    councils: Arc<SearchIndex<Place>>,
}

/// A province's councils by name, made by [`Places::councils_index`].
pub struct CouncilsIndex(Arc<SearchIndex<Place>>);

/// The provinces' boundaries (the release's `geo-provinces` file), which
/// the country's map draws. They are fetched after the first figures: the
/// figures need only the summary.
#[derive(Clone, Debug)]
pub enum ProvinceBoundaries {
    /// On their way (and so for good when the release lists none: no map).
    Pending,
    /// Their size and hash matched the release.
    Verified(Arc<Boundaries>),
    /// Not downloaded, or not the file the release lists: why, with the address.
    Unavailable(String),
}

/// The release as far as it has verified, indexed for the views. A value:
/// when a province moves on, a new snapshot replaces it.
#[derive(Clone)]
pub struct Places {
    pub signed: Arc<SignedRelease>,
    /// The provinces' boundaries, for the country's map: they follow the
    /// first figures.
    pub boundaries: ProvinceBoundaries,
    provinces: Vec<Slot>,
    by_code: HashMap<String, usize>,
    /// Counties and provinces by name (councils are in their province's
    /// slot), made at the first search: not before the first view.
    regions: Arc<std::sync::OnceLock<SearchIndex<Place>>>,
}

impl Places {
    pub fn new(signed: Arc<SignedRelease>) -> Places {
        let election = signed.election();
        let provinces: Vec<Slot> = election
            .provinces
            .iter()
            .map(|described| Slot {
                described: Arc::new(described.clone()),
                area: Area::Summary,
                counties: None,
                councils: Arc::default(),
            })
            .collect();
        let by_code = provinces.iter().enumerate().map(|(p, s)| (s.described.code.to_string(), p)).collect();
        Places { signed, boundaries: ProvinceBoundaries::Pending, provinces, by_code, regions: Arc::default() }
    }

    /// Counties, then provinces: councils come before both (see [`Places::search`]).
    fn index_regions(provinces: &[Slot]) -> SearchIndex<Place> {
        let mut search = SearchIndex::new();
        for (p, slot) in provinces.iter().enumerate() {
            for (k, county) in slot.described.counties.iter().enumerate() {
                search.add(Place::County(p, k), [county.name.fa.as_str(), county.name.en.as_str()]);
            }
        }
        for (p, slot) in provinces.iter().enumerate() {
            search.add(Place::Province(p), [slot.described.name.fa.as_str(), slot.described.name.en.as_str()]);
        }
        search
    }

    /// Province `p`'s councils by name in `area` (none until they are
    /// loaded): this snapshot's index when `area` holds the same councils,
    /// else a new one. Folding a large province's names takes long enough
    /// on a phone to be worth a task of its own, before [`Places::with_area_indexed`].
    pub fn councils_index(&self, p: usize, area: &Area) -> CouncilsIndex {
        let slot = &self.provinces[p];
        let count = |area: &Area| area.data().map(|d| d.contests().len());
        if count(&slot.area) == count(area) {
            return CouncilsIndex(slot.councils.clone());
        }
        let mut search = SearchIndex::new();
        for (c, outcome) in area.data().map(|d| d.contests()).unwrap_or_default().iter().enumerate() {
            let name = &outcome.contest.name;
            search.add(Place::Contest(p, c), [name.fa.as_str(), name.en.as_str()]);
        }
        CouncilsIndex(Arc::new(search))
    }

    /// This snapshot with province `p` moved on to `area`.
    pub fn with_area(&self, p: usize, area: Area) -> Places {
        let councils = self.councils_index(p, &area);
        self.with_area_indexed(p, area, councils)
    }

    /// [`Places::with_area`], with the councils' index made before
    /// ([`Places::councils_index`] of the same `area`).
    pub fn with_area_indexed(&self, p: usize, area: Area, councils: CouncilsIndex) -> Places {
        let mut next = self.clone();
        next.provinces[p].councils = councils.0;
        next.provinces[p].area = area;
        next
    }

    /// This snapshot with the provinces' boundaries, as they arrived.
    pub fn with_provinces(&self, boundaries: ProvinceBoundaries) -> Places {
        Places { boundaries, ..self.clone() }
    }

    /// This snapshot with province `p`'s counties' boundaries.
    pub fn with_counties(&self, p: usize, counties: Boundaries) -> Places {
        let mut next = self.clone();
        next.provinces[p].counties = Some(Arc::new(counties));
        next
    }

    pub fn election(&self) -> &shafaf_core::model::ElectionDoc {
        self.signed.election()
    }

    pub fn country(&self) -> &Name {
        &self.election().country.name
    }

    pub fn province_count(&self) -> usize {
        self.provinces.len()
    }

    /// The index of a province by its code.
    pub fn province_index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    pub fn province(&self, p: usize) -> &Province {
        &self.provinces[p].described
    }

    pub fn provinces(&self) -> impl Iterator<Item = (usize, &Province)> {
        self.provinces.iter().enumerate().map(|(p, s)| (p, &*s.described))
    }

    pub fn area(&self, p: usize) -> &Area {
        &self.provinces[p].area
    }

    /// The province's counties' boundaries, once loaded.
    pub fn county_boundaries(&self, p: usize) -> Option<&Arc<Boundaries>> {
        self.provinces[p].counties.as_ref()
    }

    /// A county of province `p` by its code.
    pub fn county_index(&self, p: usize, code: &str) -> Option<usize> {
        self.provinces.get(p)?.described.counties.iter().position(|c| c.code.as_str() == code)
    }

    pub fn county(&self, p: usize, k: usize) -> &Region {
        &self.provinces[p].described.counties[k]
    }

    /// The county a council belongs to, if the election file lists it.
    pub fn county_of(&self, p: usize, contest: &ContestOutcome) -> Option<usize> {
        self.county_index(p, &contest.contest.county)
    }

    /// The province a council's id names; whether the council is there, its
    /// province's contests file says.
    pub fn province_of_contest(&self, id: &str) -> Option<usize> {
        self.signed.province_of_contest(id)
    }

    /// A council by its id, once its province is loaded.
    pub fn contest_index(&self, id: &str) -> Option<(usize, usize)> {
        let p = self.province_of_contest(id)?;
        Some((p, self.area(p).data()?.contest_index(id)?))
    }

    pub fn contest(&self, p: usize, c: usize) -> Option<&ContestOutcome> {
        self.area(p).data().and_then(|d| d.contests().get(c))
    }

    /// Province `p`'s counties in the summary (the summary lists the
    /// election's provinces in their order).
    fn summary_counties(&self, p: usize) -> &[SummaryCounty] {
        self.signed.summary().provinces.get(p).map_or(&[], |s| &s.counties)
    }

    /// A province's figures: its recount once recounted (or its councils as
    /// published once loaded), else the summary's; none once withdrawn.
    pub fn province_totals(&self, p: usize) -> Option<Totals> {
        let slot = &self.provinces[p];
        match &slot.area {
            Area::Failed(_) => None,
            Area::Signed(d) | Area::Recounted(d) => Some(d.totals()),
            Area::Summary => Some(self.summary_counties(p).iter().fold(Totals::default(), |mut t, c| {
                t.add(&c.totals);
                t
            })),
        }
    }

    /// A county's figures, as [`Places::province_totals`] says for its
    /// province; none for a county without councils.
    pub fn county_totals(&self, p: usize, k: usize) -> Option<Totals> {
        let slot = &self.provinces[p];
        let code = &slot.described.counties[k].code;
        match &slot.area {
            Area::Failed(_) => None,
            Area::Signed(d) | Area::Recounted(d) => {
                let totals = Totals::of_contests(d.contests().iter().filter(|c| c.contest.county == *code));
                (totals.contests > 0).then_some(totals)
            }
            Area::Summary => self.summary_counties(p).iter().find(|c| c.code == *code).map(|c| c.totals),
        }
    }

    /// The country's figures; none while a province's are withdrawn, since
    /// they would include it.
    pub fn national_totals(&self) -> Option<Totals> {
        let mut totals = Totals::default();
        for p in 0..self.provinces.len() {
            totals.add(&self.province_totals(p)?);
        }
        Some(totals)
    }

    /// The name of a place, in both languages.
    pub fn name(&self, place: Place) -> Name {
        match place {
            Place::Province(p) => self.provinces[p].described.name.clone(),
            Place::County(p, k) => self.county(p, k).name.clone(),
            Place::Contest(p, c) => {
                self.contest(p, c).map(|o| o.contest.name.clone()).unwrap_or_else(|| self.country().clone())
            }
        }
    }

    /// The place's address in the app (without `?pub=`; see [`crate::load::Links`]).
    pub fn path(&self, place: Place) -> String {
        match place {
            Place::Province(p) => format!("/p/{}", self.provinces[p].described.code),
            Place::County(p, k) => format!("/p/{}/{}", self.provinces[p].described.code, self.county(p, k).code),
            Place::Contest(p, c) => match self.contest(p, c) {
                Some(o) => format!("/c/{}", o.contest.id),
                None => format!("/p/{}", self.provinces[p].described.code),
            },
        }
    }

    /// Places by name, best matches first; among equals councils first (a
    /// citizen most likely wants the council), in province order, then
    /// counties, then provinces. Councils of provinces not loaded yet are
    /// not found.
    pub fn search(&self, query: &str) -> Vec<Hit<'_, Place>> {
        let regions = self.regions.get_or_init(|| Places::index_regions(&self.provinces));
        search_all(self.provinces.iter().map(|s| &*s.councils).chain([regions]), query)
    }

    /// How many provinces have their councils loaded (what search can find).
    pub fn province_count_loaded(&self) -> usize {
        self.provinces.iter().filter(|s| s.area.data().is_some()).count()
    }

    /// Every province's level, in the election file's order.
    pub fn levels(&self) -> Vec<Level> {
        self.provinces.iter().map(|s| s.area.level()).collect()
    }
}

/// The audit of every province of the release shown: what it found so far.
#[derive(Clone)]
pub struct AuditState {
    /// Every outcome, gathered as the core gathers them for `shafaf verify`.
    audited: Arc<AuditedRelease>,
    /// Its verdict, worked out once per outcome (views read it often).
    verdict: Arc<Verdict>,
    /// Running, waiting for the reader to ask (Save-Data, metered, a phone
    /// facing a large audit), or done.
    pub phase: AuditPhase,
    pub provinces_done: usize,
    pub provinces_total: usize,
    pub stations_verified: u64,
    pub stations_total: u64,
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Files that could not be downloaded or read, by province (none for
    /// the provinces' boundaries), and why: no verdict until they are.
    pub unavailable: Vec<(String, crate::load::LoadError)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditPhase {
    /// The audit waits for the reader to ask (see `audit::Start`).
    Waiting,
    Running,
    /// Every province has an outcome: the verdict is final.
    Complete,
}

impl AuditState {
    pub fn new(audited: AuditedRelease, bytes_total: u64, phase: AuditPhase) -> AuditState {
        let signed = audited.signed();
        let stations_total =
            signed.summary().provinces.iter().flat_map(|p| &p.counties).map(|c| c.totals.stations_registered).sum();
        let provinces_total = signed.election().provinces.len();
        AuditState {
            verdict: Arc::new(audited.verdict()),
            audited: Arc::new(audited),
            phase,
            provinces_done: 0,
            provinces_total,
            stations_verified: 0,
            stations_total,
            bytes_done: 0,
            bytes_total,
            unavailable: Vec::new(),
        }
    }

    /// Every outcome so far (recorded with [`AuditState::add_province`],
    /// which keeps the verdict in step).
    pub fn audited(&self) -> &Arc<AuditedRelease> {
        &self.audited
    }

    /// The verdict so far: final once the phase is complete.
    pub fn verdict(&self) -> &Arc<Verdict> {
        &self.verdict
    }

    pub fn status(&self) -> Status {
        self.verdict.status
    }

    /// Records the check of a national file beside the election file and
    /// the summary (the provinces' boundaries), and the verdict it makes.
    pub fn add_national_file(&mut self, kind: FileKind, file: &Result<CheckedFile<'_>, Finding>) {
        Arc::make_mut(&mut self.audited).add_national_file(kind, file);
        self.verdict = Arc::new(self.audited.verdict());
    }

    /// Records a province's outcome, and the verdict it makes.
    pub fn add_province(&mut self, code: &str, outcome: Result<Arc<VerifiedProvince>, Vec<Finding>>) {
        Arc::make_mut(&mut self.audited).add_province(code, outcome);
        self.verdict = Arc::new(self.audited.verdict());
    }
}
