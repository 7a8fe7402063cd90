//! How a verified province's stations travel from a worker to the page: the
//! page reads every station of the country, and most of what a signed
//! result says is already said by its station (its id and council) or by
//! every other result (the election, the candidates' ids). Written in full,
//! a national audit sent the page about 80 MB of JSON to read on its main
//! thread; this form writes each repeated id once per message, and times as
//! numbers, and [`write`] puts it in postcard's binary form, which the page
//! reads without parsing text (JSON's numbers and strings were most of the
//! main thread's work during a national audit, which the two workers then
//! shared two cores with).
//!
//! The page gets back exactly the [`StationOutcome`]s the worker sent. A
//! result that names another station or council than its own travels whole,
//! so that nothing is assumed of it. The same form is serde's
//! (`#[serde(with = "wire")]` on [`Report::Stations`]) for a report written
//! as JSON.
//!
//! [`Report::Stations`]: crate::Report::Stations

use std::collections::HashMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use shafaf_core::keys::KeyId;
use shafaf_core::model::{CandidateVotes, Id, Station, StationResult, StationResultType};
use shafaf_core::verify::StationOutcome;
use time::{OffsetDateTime, UtcOffset};

/// Stations, each id their results repeat given once in `ids`.
#[derive(Serialize, Deserialize)]
struct Stations<S> {
    ids: Vec<Id>,
    stations: Vec<S>,
}

/// A station as it travels: borrowed when written, owned ([`Read`]) when read.
#[derive(Serialize, Deserialize)]
struct Wire<S, R> {
    station: S,
    device: KeyId,
    contest: usize,
    result: Option<R>,
}

#[derive(Serialize, Deserialize)]
enum WireResult<W> {
    /// A result for its own station and council: the election and every
    /// candidate as an index into `ids`.
    Own {
        election: u32,
        opened: Time,
        closed: Time,
        ballots_cast: u64,
        valid: u64,
        invalid: u64,
        /// (candidate, votes), in the result's order.
        votes: Vec<(u32, u64)>,
    },
    /// Any other result, as signed.
    Whole(W),
}

type Received = Wire<Station, WireResult<StationResult>>;

/// A moment as seconds since 1970, nanoseconds and the offset it was
/// written with (in seconds), so that it reads back as it was signed.
#[derive(Serialize, Deserialize)]
struct Time(i64, u32, i32);

impl Time {
    fn of(t: OffsetDateTime) -> Time {
        Time(t.unix_timestamp(), t.nanosecond(), t.offset().whole_seconds())
    }

    fn read(&self) -> Result<OffsetDateTime, String> {
        let Time(seconds, nanos, offset) = *self;
        let utc = OffsetDateTime::from_unix_timestamp(seconds)
            .and_then(|t| t.replace_nanosecond(nanos))
            .map_err(|e| e.to_string())?;
        let offset = UtcOffset::from_whole_seconds(offset).map_err(|e| e.to_string())?;
        utc.checked_to_offset(offset).ok_or_else(|| "a time out of range".to_owned())
    }
}

/// Gives each distinct id its index, in order of first use.
#[derive(Default)]
struct Table<'a> {
    index: HashMap<&'a str, u32>,
    ids: Vec<Id>,
}

impl<'a> Table<'a> {
    fn of(&mut self, id: &'a Id) -> u32 {
        *self.index.entry(id.as_str()).or_insert_with(|| {
            self.ids.push(id.clone());
            (self.ids.len() - 1) as u32
        })
    }
}

/// Appends the stations to `bytes` as [`Report::to_bytes`] writes them: in
/// this module's form, with postcard.
///
/// [`Report::to_bytes`]: crate::Report::to_bytes
pub(crate) fn write(outcomes: &[StationOutcome], bytes: Vec<u8>) -> Vec<u8> {
    struct Written<'a>(&'a [StationOutcome]);
    impl Serialize for Written<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self.0, serializer)
        }
    }
    // Plain data: writing it cannot fail.
    postcard::to_extend(&Written(outcomes), bytes).unwrap_or_default()
}

/// The stations [`write`] wrote, which must be all of `bytes`.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<StationOutcome>, String> {
    let (stations, left) =
        postcard::take_from_bytes::<Stations<Received>>(bytes).map_err(|e| format!("a stations message: {e}"))?;
    if !left.is_empty() {
        return Err("a stations message with bytes after its stations".into());
    }
    resolve(stations)
}

pub fn serialize<S: Serializer>(outcomes: &[StationOutcome], serializer: S) -> Result<S::Ok, S::Error> {
    let mut table = Table::default();
    let stations: Vec<Wire<&Station, WireResult<&StationResult>>> = outcomes
        .iter()
        .map(|s| Wire {
            station: &s.station,
            device: s.device,
            contest: s.contest,
            result: s.result.as_ref().map(|r| {
                if r.station != s.station.id || r.contest != s.station.contest {
                    return WireResult::Whole(r);
                }
                WireResult::Own {
                    election: table.of(&r.election),
                    opened: Time::of(r.opened),
                    closed: Time::of(r.closed),
                    ballots_cast: r.ballots_cast,
                    valid: r.valid,
                    invalid: r.invalid,
                    votes: r.votes.iter().map(|v| (table.of(&v.candidate), v.votes)).collect(),
                }
            }),
        })
        .collect();
    Stations { ids: table.ids, stations }.serialize(serializer)
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<StationOutcome>, D::Error> {
    resolve(Stations::<Received>::deserialize(deserializer)?).map_err(serde::de::Error::custom)
}

/// The stations a message carries, each id looked up in the message's.
fn resolve(Stations { ids, stations }: Stations<Received>) -> Result<Vec<StationOutcome>, String> {
    let id = |i: u32| ids.get(i as usize).cloned().ok_or_else(|| format!("no id {i} in the message"));
    let outcome = |w: Received| -> Result<StationOutcome, String> {
        let result = match w.result {
            None => None,
            Some(WireResult::Whole(r)) => Some(r),
            Some(WireResult::Own { election, opened, closed, ballots_cast, valid, invalid, votes }) => {
                Some(StationResult {
                    doc_type: StationResultType::V1,
                    election: id(election)?,
                    station: w.station.id.clone(),
                    contest: w.station.contest.clone(),
                    opened: opened.read()?,
                    closed: closed.read()?,
                    ballots_cast,
                    valid,
                    invalid,
                    votes: votes
                        .into_iter()
                        .map(|(candidate, votes)| Ok(CandidateVotes { candidate: id(candidate)?, votes }))
                        .collect::<Result<_, String>>()?,
                })
            }
        };
        Ok(StationOutcome::new(w.station, w.device, w.contest, result))
    };
    stations.into_iter().map(outcome).collect()
}

#[cfg(test)]
mod tests {
    use crate::Report;

    use super::*;

    fn outcome(i: usize, result: serde_json::Value) -> StationOutcome {
        serde_json::from_value(serde_json::json!({
            "station": { "id": format!("IR-15-S{i:05}"), "contest": "IR-15-1503-C01", "eligible": 900, "device": "AAAA" },
            "device": "ab".repeat(32),
            "contest": 0,
            "result": result,
        }))
        .unwrap()
    }

    fn result(station: &str, contest: &str, opened: &str) -> serde_json::Value {
        serde_json::json!({
            "type": "shafaf/station-result/v1",
            "election": "ir-council-7-demo",
            "station": station,
            "contest": contest,
            "opened": opened,
            "closed": "2026-06-19T22:00:00+03:30",
            "ballots_cast": 600,
            "valid": 546,
            "invalid": 54,
            // A council of 12 candidates, in the result's own order.
            "votes": (0..12)
                .map(|k| serde_json::json!({ "candidate": format!("IR-15-1503-C01-K{:02}", (k * 5) % 12 + 1), "votes": 40 + k }))
                .collect::<Vec<_>>(),
        })
    }

    /// What the page reads back, as JSON: `OffsetDateTime`'s equality
    /// ignores the offset a time was written with; its RFC 3339 form does not.
    fn as_signed(stations: &[StationOutcome]) -> String {
        serde_json::to_string(stations).unwrap()
    }

    #[test]
    fn stations_arrive_as_they_were_verified_in_fewer_bytes() {
        let stations = vec![
            outcome(1, result("IR-15-S00001", "IR-15-1503-C01", "2026-06-19T08:00:00+03:30")),
            outcome(2, result("IR-15-S00002", "IR-15-1503-C01", "2026-06-19T04:30:00.125Z")),
            // A result for another station or council travels whole.
            outcome(3, result("IR-15-S00009", "IR-15-1503-C01", "2026-06-19T08:00:00-01:00")),
            outcome(4, result("IR-15-S00004", "IR-15-1503-C02", "2026-06-19T08:00:00+03:30")),
            outcome(5, serde_json::Value::Null),
        ];
        let message = Report::Stations { id: 7, stations: stations.clone() };
        let bytes = message.to_bytes();
        let Report::Stations { id: 7, stations: back } = Report::from_bytes(&bytes).unwrap() else {
            panic!("not the stations sent")
        };
        assert_eq!(back, stations);
        assert_eq!(as_signed(&back), as_signed(&stations));

        // Most results name their own station: what they repeat is sent once.
        let usual: Vec<_> = (0..20)
            .map(|i| outcome(i, result(&format!("IR-15-S{i:05}"), "IR-15-1503-C01", "2026-06-19T08:00:00+03:30")))
            .collect();
        let bytes = Report::Stations { id: 7, stations: usual.clone() }.to_bytes().len();
        assert!(bytes < as_signed(&usual).len() / 2, "{bytes} bytes");
    }

    #[test]
    fn a_message_naming_an_id_it_does_not_carry_is_refused() {
        let station = outcome(1, serde_json::Value::Null).station;
        let time = Time(1_781_841_600, 0, 12_600);
        let own = |votes| WireResult::<&StationResult>::Own {
            election: 0,
            opened: Time(time.0, time.1, time.2),
            closed: Time(time.0, time.1, time.2),
            ballots_cast: 40,
            valid: 40,
            invalid: 0,
            votes,
        };
        let message = |votes| {
            let wire = Wire {
                station: &station,
                device: KeyId::from_hex(&"ab".repeat(32)).unwrap(),
                contest: 0,
                result: Some(own(votes)),
            };
            let ids = vec![Id::new("ir-council-7-demo").unwrap(), Id::new("IR-15-1503-C01-K01").unwrap()];
            let mut bytes = vec![super::super::STATIONS, 1, 0, 0, 0];
            bytes.extend(postcard::to_allocvec(&Stations { ids, stations: vec![wire] }).unwrap());
            bytes
        };
        let Report::Stations { id: 1, stations } = Report::from_bytes(&message(vec![(1, 40)])).unwrap() else {
            panic!("not the stations sent")
        };
        assert_eq!(stations[0].result.as_ref().unwrap().votes[0].candidate.as_str(), "IR-15-1503-C01-K01");
        let error = Report::from_bytes(&message(vec![(99, 40)])).unwrap_err();
        assert!(error.contains("no id 99"), "{error}");
    }

    #[test]
    fn a_stations_message_cut_short_or_too_long_is_refused() {
        let stations = vec![outcome(1, result("IR-15-S00001", "IR-15-1503-C01", "2026-06-19T08:00:00+03:30"))];
        let bytes = Report::Stations { id: 1, stations }.to_bytes();
        for cut in [1, 3, bytes.len() / 2, bytes.len() - 1] {
            assert!(Report::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Report::from_bytes(&longer).unwrap_err().contains("bytes after"));
    }
}
