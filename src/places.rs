//! The verified election, indexed for the views: provinces, counties and
//! councils by code, their addresses in the app, and the search index of
//! their names. Built once, when the publication has verified.

use std::collections::HashMap;
use std::sync::Arc;

use shafaf_core::model::{Name, Province, Region};
use shafaf_core::search::{Hit, SearchIndex};
use shafaf_core::verify::{ContestOutcome, VerifiedElection, VerifiedProvince};

/// A place a reader can open. Indices are into `VerifiedElection::provinces`,
/// the province's counties in the election file, and its contests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Province(usize),
    County(usize, usize),
    Contest(usize, usize),
}

/// The verified election and its indices. The only way to make one is from a
/// [`VerifiedElection`]; views reach election data only through it.
pub struct Places {
    pub election: Arc<VerifiedElection>,
    /// The provinces: each one's description in the election file and its
    /// index in `election.provinces`. Every verified province is listed in the
    /// election file (verification refuses one that is not).
    provinces: Vec<(Province, usize)>,
    by_code: HashMap<String, usize>,
    contests: HashMap<String, (usize, usize)>,
    search: SearchIndex<Place>,
}

impl Places {
    pub fn new(election: Arc<VerifiedElection>) -> Places {
        let provinces: Vec<(Province, usize)> = election
            .provinces
            .iter()
            .enumerate()
            .filter_map(|(i, verified)| {
                let described = election.election.provinces.iter().find(|p| p.code == verified.code)?;
                Some((described.clone(), i))
            })
            .collect();
        let by_code = provinces.iter().enumerate().map(|(p, (d, _))| (d.code.to_string(), p)).collect();
        let mut contests = HashMap::new();
        let mut search = SearchIndex::new();
        // Councils first: among equally good matches, a citizen most likely wants the council.
        for (p, (_, v)) in provinces.iter().enumerate() {
            for (c, outcome) in election.provinces[*v].contests.iter().enumerate() {
                contests.insert(outcome.contest.id.to_string(), (p, c));
                let name = &outcome.contest.name;
                search.add(Place::Contest(p, c), [name.fa.as_str(), name.en.as_str()]);
            }
        }
        for (p, (province, _)) in provinces.iter().enumerate() {
            for (k, county) in province.counties.iter().enumerate() {
                search.add(Place::County(p, k), [county.name.fa.as_str(), county.name.en.as_str()]);
            }
        }
        for (p, (province, _)) in provinces.iter().enumerate() {
            search.add(Place::Province(p), [province.name.fa.as_str(), province.name.en.as_str()]);
        }
        Places { election, provinces, by_code, contests, search }
    }

    pub fn country(&self) -> &Name {
        &self.election.election.country.name
    }

    /// The index of a province by its code.
    pub fn province_index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    pub fn province(&self, p: usize) -> (&Province, &VerifiedProvince) {
        let (described, v) = &self.provinces[p];
        (described, &self.election.provinces[*v])
    }

    pub fn provinces(&self) -> impl Iterator<Item = (usize, &Province, &VerifiedProvince)> {
        self.provinces.iter().enumerate().map(|(p, (d, v))| (p, d, &self.election.provinces[*v]))
    }

    /// A county of province `p` by its code.
    pub fn county_index(&self, p: usize, code: &str) -> Option<usize> {
        self.provinces.get(p)?.0.counties.iter().position(|c| c.code.as_str() == code)
    }

    pub fn county(&self, p: usize, k: usize) -> &Region {
        &self.provinces[p].0.counties[k]
    }

    /// The county a contest belongs to, if the election file lists it.
    pub fn county_of(&self, p: usize, contest: &ContestOutcome) -> Option<usize> {
        self.county_index(p, &contest.contest.county)
    }

    pub fn contest_index(&self, id: &str) -> Option<(usize, usize)> {
        self.contests.get(id).copied()
    }

    pub fn contest(&self, p: usize, c: usize) -> &ContestOutcome {
        &self.province(p).1.contests[c]
    }

    /// The name of a place, in both languages.
    pub fn name(&self, place: Place) -> &Name {
        match place {
            Place::Province(p) => &self.provinces[p].0.name,
            Place::County(p, k) => &self.county(p, k).name,
            Place::Contest(p, c) => &self.contest(p, c).contest.name,
        }
    }

    /// The place's address in the app (without `?pub=`; see [`crate::load::Links`]).
    pub fn path(&self, place: Place) -> String {
        match place {
            Place::Province(p) => format!("/p/{}", self.provinces[p].0.code),
            Place::County(p, k) => format!("/p/{}/{}", self.provinces[p].0.code, self.county(p, k).code),
            Place::Contest(p, c) => format!("/c/{}", self.contest(p, c).contest.id),
        }
    }

    pub fn search(&self, query: &str) -> Vec<Hit<'_, Place>> {
        self.search.search(query)
    }
}
