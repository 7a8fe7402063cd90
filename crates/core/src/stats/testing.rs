//! A small verified province built by hand for the statistics' unit tests.
//!
//! | station | contest | eligible | cast | valid | votes            | closed |
//! |---------|---------|----------|------|-------|------------------|--------|
//! | S1      | C1      | 800      | 500  | 480   | 300 250 200 180 150 | 22:00 |
//! | S2      | C1      | 700      | 450  | 440   | 280 260 150 170 140 (listed K1 first) | 22:10 |
//! | S3      | C1      | 500      | 300  | 290   | 100 120 140 90 95 | 23:00 |
//! | S7      | C1      | 100      | —    | —     | not reported     | —      |
//! | S4      | V1      | 220      | 220  | 215   | 210 100 80 40    | 20:30  |
//! | S5      | V1      | 180      | 90   | 88    | 20 60 50 40      | 21:00  |
//! | S6      | V2      | 0        | 0    | 0     | 0 0              | 20:00  |
//!
//! C1 is a 5-seat city in county 1501; V1 and V2 are 3-seat villages in 1502.

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::keys::KeyId;
use crate::model::{
    Candidate, CandidateVotes, Contest, ContestKind, Id, Name, Station, StationResult, StationResultType, Text,
};
use crate::tally::{self, Tally};
use crate::verify::{ContestOutcome, StationOutcome, VerifiedProvince};

pub fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

pub const OPENED: OffsetDateTime = datetime!(2026-06-19 08:00 +03:30);

fn name() -> Name {
    Name { fa: Text::new("نام").unwrap(), en: Text::new("Name").unwrap() }
}

fn contest(cid: &str, kind: ContestKind, county: &str, seats: u32, eligible: u64, candidates: usize) -> Contest {
    Contest {
        id: id(cid),
        kind,
        county: id(county),
        name: name(),
        seats,
        alternates: seats.div_ceil(2),
        eligible,
        candidates: (0..candidates)
            .map(|i| Candidate {
                id: id(&format!("{cid}-K{i}")),
                ballot_code: id(&format!("{}", 100 + i)),
                name: name(),
            })
            .collect(),
        published: None,
    }
}

/// (station, contest index, eligible, (cast, valid, votes, minutes after 20:00 it closed) if reported)
pub type Row<'a> = (&'a str, usize, u64, Option<(u64, u64, &'a [u64], i64)>);

const ROWS: [Row<'static>; 7] = [
    ("S1", 0, 800, Some((500, 480, &[300, 250, 200, 180, 150], 120))),
    ("S2", 0, 700, Some((450, 440, &[280, 260, 150, 170, 140], 130))),
    ("S3", 0, 500, Some((300, 290, &[100, 120, 140, 90, 95], 180))),
    ("S7", 0, 100, None),
    ("S4", 1, 220, Some((220, 215, &[210, 100, 80, 40], 30))),
    ("S5", 1, 180, Some((90, 88, &[20, 60, 50, 40], 60))),
    ("S6", 2, 0, Some((0, 0, &[0, 0], 0))),
];

/// A province made of `rows`, recounted with the crate's own tally.
pub fn province_of(contests: Vec<Contest>, rows: &[Row<'_>]) -> VerifiedProvince {
    let stations: Vec<StationOutcome> = rows
        .iter()
        .enumerate()
        .map(|(i, &(sid, ci, eligible, reported))| {
            let c = &contests[ci];
            let result = reported.map(|(cast, valid, votes, closed_after)| {
                let mut votes: Vec<CandidateVotes> = c
                    .candidates
                    .iter()
                    .zip(votes)
                    .map(|(k, &v)| CandidateVotes { candidate: k.id.clone(), votes: v })
                    .collect();
                if sid == "S2" {
                    votes.swap(0, 1);
                }
                StationResult {
                    doc_type: StationResultType::V1,
                    election: id("test"),
                    station: id(sid),
                    contest: c.id.clone(),
                    opened: OPENED,
                    closed: OPENED + Duration::hours(12) + Duration::minutes(closed_after),
                    ballots_cast: cast,
                    valid,
                    invalid: cast.saturating_sub(valid),
                    votes,
                }
            });
            StationOutcome {
                station: Station { id: id(sid), contest: c.id.clone(), eligible, device: String::new() },
                device: KeyId::from_hex(&format!("{i:064x}")).unwrap(),
                contest: ci,
                result,
            }
        })
        .collect();
    let contests = contests
        .into_iter()
        .enumerate()
        .map(|(ci, contest)| {
            let idx: Vec<usize> = (0..stations.len()).filter(|&i| stations[i].contest == ci).collect();
            // As verification does: a recount that overflows is empty and unranked.
            let (recount, ranking) =
                match tally::tally(&contest, idx.iter().filter_map(|&i| stations[i].result.as_ref())) {
                    Some(t) => {
                        let ranking = tally::rank(&contest, &t.votes, &[]);
                        (t, ranking)
                    }
                    None => (Tally::default(), Vec::new()),
                };
            ContestOutcome { contest, tally: recount, ranking, stations: idx, matches_published: true, recounted: true }
        })
        .collect();
    VerifiedProvince {
        code: id("IR-15"),
        contests,
        stations,
        findings: Vec::new(),
        signatures_verified: 0,
        files: Vec::new(),
    }
}

pub fn province() -> VerifiedProvince {
    province_of(
        vec![
            contest("C1", ContestKind::City, "1501", 5, 2100, 5),
            contest("V1", ContestKind::Village, "1502", 3, 400, 4),
            contest("V2", ContestKind::Village, "1502", 3, 0, 2),
        ],
        &ROWS,
    )
}

/// One contest of `seats` seats and `candidates` candidates in county 1501.
pub fn single(seats: u32, candidates: usize, rows: &[Row<'_>]) -> VerifiedProvince {
    let eligible = rows.iter().fold(0u64, |sum, r| sum.saturating_add(r.2));
    province_of(vec![contest("C1", ContestKind::City, "1501", seats, eligible, candidates)], rows)
}
