//! Turnout by region: the totals of each province, county or contest in a
//! scope, as the summary computes them ([`Totals`]), for the bar chart.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Scope;
use crate::model::Id;
use crate::summary::{Ratio, Totals};

/// What the bars of a turnout-by-region chart are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    County,
    Contest,
}

/// One bar: a region's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionTotals {
    pub province: Id,
    /// The province code, the county code or the contest id, by level.
    pub code: Id,
    pub totals: Totals,
    /// The eligible voters of the stations that have reported: the
    /// denominator of the turnout so far while results come in.
    pub eligible_reported: u64,
}

impl RegionTotals {
    /// Ballots cast / the region's eligible voters (all stations: the final
    /// turnout once every station has reported).
    pub fn turnout(&self) -> Option<Ratio> {
        self.totals.turnout()
    }

    /// Ballots cast / the eligible voters of the stations that have reported.
    pub fn turnout_of_reported(&self) -> Option<Ratio> {
        Ratio::new(self.totals.ballots_cast, self.eligible_reported)
    }
}

/// The scope's totals per province, county or contest, ordered by province
/// then code.
pub fn turnout_by_region(scope: &Scope<'_>, level: Level) -> Vec<RegionTotals> {
    let mut regions: BTreeMap<(&Id, &Id), (Totals, u64)> = BTreeMap::new();
    for (p, c) in scope.contests() {
        let code = match level {
            Level::Province => &p.code,
            Level::County => &c.contest.county,
            Level::Contest => &c.contest.id,
        };
        let reported: u64 = c
            .stations
            .iter()
            .filter_map(|&i| p.stations.get(i))
            .filter(|s| s.result.is_some())
            .fold(0u64, |sum, s| sum.saturating_add(s.station.eligible));
        let entry = regions.entry((&p.code, code)).or_default();
        entry.0.add_contest(c);
        entry.1 = entry.1.saturating_add(reported);
    }
    regions
        .into_iter()
        .map(|((province, code), (totals, eligible_reported))| RegionTotals {
            province: province.clone(),
            code: code.clone(),
            totals,
            eligible_reported,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::Region;
    use super::*;

    #[test]
    fn counties_and_contests_of_the_fixture_by_hand() {
        let p = province();
        let scope = Scope::new([&p], Region::Province(id("IR-15")));
        let counties = turnout_by_region(&scope, scope.child_level());
        let codes: Vec<&str> = counties.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["1501", "1502"]);
        // 1501 = C1: 1,250 cast of 2,100 eligible; S7 (100) has not reported: 1,250 / 2,000 so far.
        assert_eq!(counties[0].turnout(), Some(Ratio { num: 1250, den: 2100 }));
        assert_eq!(counties[0].turnout_of_reported(), Some(Ratio { num: 1250, den: 2000 }));
        // 1502 = V1 + V2: 310 cast of 400 + 0 eligible.
        assert_eq!(counties[1].turnout(), Some(Ratio { num: 310, den: 400 }));
        assert_eq!(counties[1].totals.contests, 2);
        let provinces = turnout_by_region(&Scope::new([&p], Region::All), Level::Province);
        assert_eq!(provinces.len(), 1);
        assert_eq!(provinces[0].turnout(), Some(Ratio { num: 1560, den: 2500 }));
        let contests = turnout_by_region(&Scope::new([&p], Region::County(id("1502"))), Level::Contest);
        assert_eq!(contests.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["V1", "V2"]);
        assert_eq!(contests[1].turnout(), None);
        assert_eq!(turnout_by_region(&Scope::new([], Region::All), Level::County), vec![]);
    }
}
