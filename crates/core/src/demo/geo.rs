//! Reading the geo inputs (`../shared/geo`): the 2016 census tables and the
//! county boundaries, and giving every county of today its voters.
//!
//! Counties created after 2016 are not in the census: their people are still
//! counted in the county they were split from. Each takes its voters from a
//! parent census county of the same province (the one it shares the longest
//! border with, or failing that the nearest by centroid), in proportion to
//! area, so a province's total stays the census total.
//!
//! `voters_est` is rounded county by county, so the counties of a province
//! add up to within a few voters of the province's own figure; the
//! difference goes to the province's largest county, so every province has
//! exactly the voters `provinces-2016.csv` gives it.

use std::collections::BTreeSet;

use geo::{Centroid, ChamberlainDuquetteArea, Distance, Haversine, MultiPolygon, Point};

use super::names::Pair;
use super::DemoError;

pub(crate) const PROVINCES_CSV: &str = "provinces-2016.csv";
pub(crate) const COUNTIES_CSV: &str = "counties-2016.csv";
pub(crate) const PROVINCES_GEOJSON: &str = "provinces.geojson";

pub(crate) fn counties_file(province: &str) -> String {
    format!("counties/{province}.geojson")
}

/// English names for the counties OpenStreetMap names only in Persian.
const TRANSLITERATIONS: &[(&str, &str)] = &[("گنبکی", "Ganbaki"), ("جازموریان", "Jazmurian"), ("مروست", "Marvast")];

/// A row of `provinces-2016.csv`.
#[derive(Debug, Clone)]
pub(crate) struct ProvinceRow {
    pub code: String,
    pub name: Pair,
    pub voters: u64,
}

/// A row of `counties-2016.csv`.
#[derive(Debug, Clone)]
pub(crate) struct CensusCounty {
    pub province: String,
    pub code: String,
    pub voters: u64,
}

/// A county of today, with its voters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct County {
    pub code: String,
    pub name: Pair,
    pub voters: u64,
    /// For a county created after 2016: the census county its voters came from.
    pub parent: Option<String>,
}

/// One feature of a `counties/IR-xx.geojson` file.
struct Shape {
    code: String,
    name: Pair,
    census: bool,
    geometry: MultiPolygon<f64>,
}

fn csv_error(file: &str, line: usize, message: impl Into<String>) -> DemoError {
    DemoError::Csv { file: file.into(), line, message: message.into() }
}

/// Splits a CSV file without quoting (the inputs have none) into rows of
/// `header.len()` fields, checking the header. Rows carry their line number.
fn csv_rows<'a>(file: &str, text: &'a str, header: &[&str]) -> Result<Vec<(usize, Vec<&'a str>)>, DemoError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r')));
    let Some((_, first)) = lines.next() else {
        return Err(csv_error(file, 1, "the file is empty"));
    };
    let found: Vec<&str> = first.split(',').collect();
    if found != header {
        return Err(csv_error(file, 1, format!("expected the header `{}`, found `{first}`", header.join(","))));
    }
    let mut rows = Vec::new();
    for (no, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        if line.contains('"') {
            return Err(csv_error(file, no, "quoted fields are not supported"));
        }
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != header.len() {
            return Err(csv_error(file, no, format!("expected {} fields, found {}", header.len(), fields.len())));
        }
        rows.push((no, fields));
    }
    Ok(rows)
}

fn number(file: &str, line: usize, column: &str, s: &str) -> Result<u64, DemoError> {
    s.parse().map_err(|_| csv_error(file, line, format!("`{column}` is not a whole number: `{s}`")))
}

/// Reads `provinces-2016.csv`.
pub(crate) fn provinces(text: &str) -> Result<Vec<ProvinceRow>, DemoError> {
    let header = ["province", "name_fa", "name_en", "population_2016", "voters_est"];
    csv_rows(PROVINCES_CSV, text, &header)?
        .into_iter()
        .map(|(line, f)| {
            number(PROVINCES_CSV, line, "population_2016", f[3])?;
            let voters = number(PROVINCES_CSV, line, "voters_est", f[4])?;
            Ok(ProvinceRow { code: f[0].to_owned(), name: Pair { fa: f[1].to_owned(), en: f[2].to_owned() }, voters })
        })
        .collect()
}

/// Reads `counties-2016.csv`.
pub(crate) fn census_counties(text: &str) -> Result<Vec<CensusCounty>, DemoError> {
    let header = ["province", "code", "name_fa", "name_en", "population_2016", "voters_est"];
    csv_rows(COUNTIES_CSV, text, &header)?
        .into_iter()
        .map(|(line, f)| {
            number(COUNTIES_CSV, line, "population_2016", f[4])?;
            let voters = number(COUNTIES_CSV, line, "voters_est", f[5])?;
            Ok(CensusCounty { province: f[0].to_owned(), code: f[1].to_owned(), voters })
        })
        .collect()
}

fn shapes(province: &str, bytes: &[u8]) -> Result<Vec<Shape>, DemoError> {
    let file = counties_file(province);
    let err = |message: String| DemoError::GeoJson { file: file.clone(), message };
    let collection: geojson::FeatureCollection =
        serde_json::from_slice(bytes).map_err(|e| err(format!("not a GeoJSON FeatureCollection: {e}")))?;
    let mut out = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.iter().enumerate() {
        let text = |key: &str| -> Result<Option<String>, DemoError> {
            match feature.property(key) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(err(format!("features[{i}].properties.{key}: expected a string, found {other}"))),
            }
        };
        let required = |key: &str| text(key)?.ok_or_else(|| err(format!("features[{i}].properties.{key} is missing")));
        let code = required("code")?;
        let in_province = required("province")?;
        if in_province != province {
            return Err(err(format!("features[{i}] (county {code}) is in province {in_province}, not {province}")));
        }
        let fa = required("name_fa")?;
        let en = match text("name_en")? {
            Some(en) => en,
            None => TRANSLITERATIONS
                .iter()
                .find(|(f, _)| *f == fa)
                .map(|(_, en)| (*en).to_owned())
                .ok_or_else(|| err(format!("features[{i}] (county {code}, {fa}) has no English name")))?,
        };
        let census = match feature.property("census2016") {
            Some(serde_json::Value::Bool(b)) => *b,
            _ => return Err(err(format!("features[{i}].properties.census2016: expected true or false"))),
        };
        let geometry =
            feature.geometry.as_ref().ok_or_else(|| err(format!("features[{i}] (county {code}) has no geometry")))?;
        let geometry: MultiPolygon<f64> = match geo::Geometry::<f64>::try_from(geometry) {
            Ok(geo::Geometry::Polygon(p)) => MultiPolygon(vec![p]),
            Ok(geo::Geometry::MultiPolygon(m)) => m,
            Ok(_) => return Err(err(format!("features[{i}] (county {code}): expected a Polygon or MultiPolygon"))),
            Err(e) => return Err(err(format!("features[{i}] (county {code}): {e}"))),
        };
        out.push(Shape { code, name: Pair { fa, en }, census, geometry });
    }
    Ok(out)
}

/// A point on the files' 4-decimal grid, in units of 0.0001°.
type GridPoint = (i64, i64);
/// A boundary segment, its ends in order.
type Segment = (GridPoint, GridPoint);

/// A boundary's segments, with coordinates on the files' 4-decimal grid: the
/// simplification kept shared borders identical, so two neighbours list the
/// same segments along their common border.
fn segments(shape: &MultiPolygon<f64>) -> BTreeSet<Segment> {
    let grid = |c: geo::Coord<f64>| ((c.x * 1e4).round() as i64, (c.y * 1e4).round() as i64);
    let mut out = BTreeSet::new();
    for polygon in &shape.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for line in ring.lines() {
                let (a, b) = (grid(line.start), grid(line.end));
                out.insert(if a <= b { (a, b) } else { (b, a) });
            }
        }
    }
    out
}

/// The length of the border two boundaries share, in metres.
fn shared_border_m(a: &BTreeSet<Segment>, b: &BTreeSet<Segment>) -> f64 {
    let point = |(x, y): GridPoint| Point::new(x as f64 / 1e4, y as f64 / 1e4);
    a.intersection(b).map(|&(p, q)| Haversine.distance(point(p), point(q))).sum()
}

/// The counties of one province with their voters: census counties keep
/// theirs, less what their post-2016 children take by area; all of them
/// add up to `province.voters`.
pub(crate) fn counties(
    province: &ProvinceRow,
    census: &[CensusCounty],
    bytes: &[u8],
) -> Result<Vec<County>, DemoError> {
    let total = province.voters;
    let province = province.code.as_str();
    let file = counties_file(province);
    let shapes = shapes(province, bytes)?;
    let mut census: Vec<CensusCounty> = census.iter().filter(|c| c.province == province).cloned().collect();
    let sum: u64 = census.iter().map(|c| c.voters).sum();
    let rounding = total.abs_diff(sum);
    if rounding > census.len() as u64 {
        return Err(DemoError::Inconsistent {
            file: COUNTIES_CSV.into(),
            message: format!("the counties of {province} have {sum} voters, but {PROVINCES_CSV} gives {total}"),
        });
    }
    if let Some(largest) = census.iter_mut().max_by(|a, b| a.voters.cmp(&b.voters).then(b.code.cmp(&a.code))) {
        largest.voters = (largest.voters + total).saturating_sub(sum);
    }
    let mut seen = BTreeSet::new();
    for s in &shapes {
        if !seen.insert(s.code.as_str()) {
            return Err(DemoError::Inconsistent {
                file: file.clone(),
                message: format!("county {} appears twice", s.code),
            });
        }
        if s.census && !census.iter().any(|c| c.code == s.code) {
            return Err(DemoError::Inconsistent {
                file: file.clone(),
                message: format!("county {} is marked census2016 but is not in {COUNTIES_CSV}", s.code),
            });
        }
    }
    for c in &census {
        if !shapes.iter().any(|s| s.census && s.code == c.code) {
            return Err(DemoError::Inconsistent {
                file: file.clone(),
                message: format!("census county {} of {COUNTIES_CSV} has no boundary here", c.code),
            });
        }
    }

    let segs: Vec<_> = shapes.iter().map(|s| segments(&s.geometry)).collect();
    let centroids: Vec<Option<Point<f64>>> = shapes.iter().map(|s| s.geometry.centroid()).collect();
    let parents: Vec<Option<usize>> = (0..shapes.len())
        .map(|i| {
            if shapes[i].census {
                return Ok(None);
            }
            let candidates = (0..shapes.len()).filter(|&j| shapes[j].census);
            let by_border = candidates
                .clone()
                .map(|j| (shared_border_m(&segs[i], &segs[j]), j))
                .filter(|(m, _)| *m > 0.0)
                .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
            let by_distance = || {
                let c = centroids[i]?;
                candidates
                    .filter_map(|j| Some((Haversine.distance(c, centroids[j]?), j)))
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            };
            by_border.or_else(by_distance).map(|(_, j)| Some(j)).ok_or_else(|| DemoError::Inconsistent {
                file: file.clone(),
                message: format!("county {} is not in the census and no census county is near it", shapes[i].code),
            })
        })
        .collect::<Result<_, _>>()?;

    // Areas in whole hectares, so the split is integer arithmetic.
    let hectares: Vec<u64> = shapes
        .iter()
        .map(|s| ((s.geometry.chamberlain_duquette_unsigned_area() / 1e4).round() as u64).max(1))
        .collect();
    let mut voters = vec![0u64; shapes.len()];
    for (i, s) in shapes.iter().enumerate() {
        if !s.census {
            continue;
        }
        let total = census.iter().find(|c| c.code == s.code).map_or(0, |c| c.voters);
        let group: Vec<usize> =
            std::iter::once(i).chain((0..shapes.len()).filter(|&j| parents[j] == Some(i))).collect();
        for (j, v) in group.iter().zip(split(total, &group.iter().map(|&j| hectares[j]).collect::<Vec<_>>())) {
            voters[*j] = v;
        }
    }
    let mut out: Vec<County> = shapes
        .iter()
        .enumerate()
        .map(|(i, s)| County {
            code: s.code.clone(),
            name: s.name.clone(),
            voters: voters[i],
            parent: parents[i].map(|j| shapes[j].code.clone()),
        })
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// Splits `total` in proportion to `weights`, exactly: floors, then the
/// largest remainders (earlier entries first on a tie) take one more each.
pub(crate) fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        let mut out = vec![0; weights.len()];
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let exact: Vec<(u64, u128)> = weights
        .iter()
        .map(|&w| {
            let x = u128::from(total) * u128::from(w);
            ((x / sum) as u64, x % sum)
        })
        .collect();
    let mut out: Vec<u64> = exact.iter().map(|e| e.0).collect();
    let left = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for &i in order.iter().take(left as usize) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_exact_and_proportional() {
        assert_eq!(split(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(split(100, &[3, 1]), vec![75, 25]);
        assert_eq!(split(7, &[0, 0]), vec![7, 0]);
        let parts = split(1_254_901, &[5, 17, 2, 9]);
        assert_eq!(parts.iter().sum::<u64>(), 1_254_901);
    }

    #[test]
    fn csv_errors_name_the_file_and_line() {
        let text = "province,code,name_fa,name_en,population_2016,voters_est\nIR-15,1501,a,b,1,2\nIR-15,1502,a,b,x,2\n";
        let err = census_counties(text).unwrap_err();
        assert!(matches!(&err, DemoError::Csv { file, line: 3, .. } if file == COUNTIES_CSV), "{err}");
        let err = census_counties("a,b\n").unwrap_err();
        assert!(matches!(err, DemoError::Csv { line: 1, .. }));
    }

    #[test]
    fn geojson_errors_name_the_file_and_feature() {
        let bytes = br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"code":"1501","province":"IR-15","name_fa":"x","name_en":"X","census2016":true}}]}"#;
        let lorestan =
            ProvinceRow {
                code: "IR-15".into(), name: Pair { fa: "لرستان".into(), en: "Lorestan".into() }, voters: 0
            };
        let err = counties(&lorestan, &[], bytes).map(|_| ()).unwrap_err();
        assert!(
            matches!(&err, DemoError::GeoJson { file, message } if file == "counties/IR-15.geojson" && message.contains("features[0]")),
            "{err}"
        );
        let err = counties(&lorestan, &[], b"{").map(|_| ()).unwrap_err();
        assert!(matches!(err, DemoError::GeoJson { .. }));
    }
}
