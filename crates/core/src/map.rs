//! The maps: a release's verified boundary files (`geo-provinces`,
//! `geo-counties` per province), read once, simplified and projected into SVG
//! path data in a fixed view box, each shape matched to its region code.
//!
//! The files are GeoJSON FeatureCollections (RFC 7946) of Polygons and
//! MultiPolygons in longitude/latitude, one feature per region, with the
//! properties `code`, `name_fa` and `name_en` (and `province` on counties).
//! A file that breaks any of this is refused with an error naming the file
//! and the feature; nothing here panics on any input.
//!
//! The projection is equirectangular with the longitudes scaled by the cosine
//! of the map's middle latitude: at Iran's size (25°–40° N) shapes stay
//! recognisable, and it is cheap and the same in every browser.

use std::fmt;
use std::sync::Arc;

use geo::{BoundingRect, Coord, LineString, MapCoords, MultiPolygon, Polygon, Rect, Simplify};

use crate::model::Id;
use crate::verify::CheckedFile;

/// The width of every map's view box; the height follows the region's shape.
pub const MAP_WIDTH: f64 = 1000.0;
/// Space around the shapes, in view-box units.
const PADDING: f64 = 8.0;
/// Douglas–Peucker tolerance in view-box units: half a unit is invisible at
/// any size the page draws a map, and drops most points of the files.
const SIMPLIFY: f64 = 0.5;

/// Why a boundary file cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("{file}: not a GeoJSON FeatureCollection: {message}")]
    NotGeoJson { file: String, message: String },
    #[error("{file}: has no features to draw")]
    Empty { file: String },
    #[error("{file}: {feature}: {problem}")]
    Feature {
        file: String,
        /// `features[3]`, with the region's code when it has one: `features[3] (1503)`.
        feature: String,
        problem: String,
    },
}

/// One region of a map, projected.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRegion {
    /// ISO 3166-2 for a province (`IR-15`), the census code for a county (`1503`).
    pub code: String,
    pub name_fa: String,
    pub name_en: String,
    /// SVG path data in the map's view box; holes need `fill-rule: evenodd`.
    pub path: String,
    /// Longitude/latitude bounds, as in the file.
    pub bounds: Rect<f64>,
    /// The middle of the region's projected bounds, in view-box units.
    pub center: (f64, f64),
}

/// A map: regions projected into a view box `0 0 width height`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionMap {
    pub width: f64,
    pub height: f64,
    pub regions: Vec<MapRegion>,
}

impl RegionMap {
    pub fn region(&self, code: &str) -> Option<&MapRegion> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// The SVG `viewBox` attribute.
    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", self.width, self.height)
    }
}

/// A region read from a file, before projection.
struct Shape {
    code: String,
    name_fa: String,
    name_en: String,
    geometry: MultiPolygon<f64>,
    bounds: Rect<f64>,
}

/// Reads `provinces.geojson` (a release's `geo-provinces` file).
pub fn province_map(file: &str, bytes: &[u8]) -> Result<RegionMap, MapError> {
    Ok(project(shapes(file, bytes, None)?))
}

/// Reads the counties of `province` (a release's `geo-counties` file of that
/// province); a county that names another province is refused.
pub fn county_map(file: &str, bytes: &[u8], province: &str) -> Result<RegionMap, MapError> {
    Ok(project(shapes(file, bytes, Some(province))?))
}

/// A GeoJSON file, read from a `str` as every document is (see
/// `format::parse_json`).
fn feature_collection(file: &str, bytes: &[u8]) -> Result<geojson::FeatureCollection, MapError> {
    let not_geojson = |message: String| MapError::NotGeoJson { file: file.to_owned(), message };
    let text = std::str::from_utf8(bytes).map_err(|_| not_geojson("not UTF-8 text".to_owned()))?;
    serde_json::from_str(text).map_err(|e| not_geojson(e.to_string()))
}

fn shapes(file: &str, bytes: &[u8], province: Option<&str>) -> Result<Vec<Shape>, MapError> {
    let collection = feature_collection(file, bytes)?;
    if collection.features.is_empty() {
        return Err(MapError::Empty { file: file.to_owned() });
    }
    let mut out: Vec<Shape> = Vec::with_capacity(collection.features.len());
    for (i, feature) in collection.features.iter().enumerate() {
        let mut label = format!("features[{i}]");
        let fail = |label: &str, problem: String| MapError::Feature {
            file: file.to_owned(),
            feature: label.to_owned(),
            problem,
        };
        let text = |key: &str| -> Result<Option<String>, String> {
            match feature.property(key) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(format!("property `{key}` should be text, found {other}")),
            }
        };
        let code = text("code").map_err(|p| fail(&label, p))?.filter(|c| !c.trim().is_empty());
        let code = code.ok_or_else(|| fail(&label, "has no `code` property".into()))?;
        label = format!("features[{i}] ({code})");
        if out.iter().any(|s| s.code == code) {
            return Err(fail(&label, format!("a second region with the code {code}")));
        }
        if let Some(province) = province {
            match text("province").map_err(|p| fail(&label, p))? {
                Some(p) if p == province => {}
                Some(p) => return Err(fail(&label, format!("is in province {p}, not {province}"))),
                None => return Err(fail(&label, "has no `province` property".into())),
            }
        }
        let name_fa = text("name_fa").map_err(|p| fail(&label, p))?.unwrap_or_default();
        // A few counties have no English name in the files: the Persian one stands in.
        let name_en = text("name_en").map_err(|p| fail(&label, p))?.unwrap_or_else(|| name_fa.clone());
        let geometry = feature.geometry.as_ref().ok_or_else(|| fail(&label, "has no geometry".into()))?;
        // The geojson crate's conversion indexes [0] and [1] of every position
        // and panics on a shorter one (found by `cargo xtask fuzz`).
        if !positions_have_two_numbers(&geometry.value) {
            return Err(fail(&label, "a position has fewer than two coordinates".into()));
        }
        let geometry: MultiPolygon<f64> = match geo::Geometry::<f64>::try_from(geometry) {
            Ok(geo::Geometry::Polygon(p)) => MultiPolygon(vec![p]),
            Ok(geo::Geometry::MultiPolygon(m)) => m,
            Ok(_) => return Err(fail(&label, "the geometry is not a Polygon or MultiPolygon".into())),
            Err(e) => return Err(fail(&label, format!("the geometry cannot be read: {e}"))),
        };
        check_geometry(&geometry).map_err(|p| fail(&label, p))?;
        let bounds = geometry.bounding_rect().ok_or_else(|| fail(&label, "the geometry is empty".into()))?;
        out.push(Shape { code, name_fa, name_en, geometry, bounds });
    }
    Ok(out)
}

/// Whether every position of a geometry has at least a longitude and a latitude.
fn positions_have_two_numbers(value: &geojson::GeometryValue) -> bool {
    use geojson::GeometryValue as Value;
    let ok = |p: &geojson::Position| p.as_slice().len() >= 2;
    match value {
        Value::Point { coordinates } => ok(coordinates),
        Value::MultiPoint { coordinates } | Value::LineString { coordinates } => coordinates.iter().all(ok),
        Value::MultiLineString { coordinates } | Value::Polygon { coordinates } => coordinates.iter().flatten().all(ok),
        Value::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().all(ok),
        Value::GeometryCollection { geometries } => geometries.iter().all(|g| positions_have_two_numbers(&g.value)),
    }
}

/// Coordinates must be longitudes and latitudes, rings closed and long enough.
fn check_geometry(geometry: &MultiPolygon<f64>) -> Result<(), String> {
    if geometry.0.is_empty() {
        return Err("the geometry is empty".into());
    }
    for (p, polygon) in geometry.0.iter().enumerate() {
        for (r, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
            let at = format!("polygon {p}, ring {r}");
            if ring.0.len() < 4 {
                return Err(format!("{at} has {} positions; a ring needs at least 4", ring.0.len()));
            }
            if ring.0.first() != ring.0.last() {
                return Err(format!("{at} is not closed"));
            }
            if let Some(c) = ring.0.iter().find(|c| !(c.x.is_finite() && c.y.is_finite())) {
                return Err(format!("{at} has a position that is not a number: [{}, {}]", c.x, c.y));
            }
            if let Some(c) = ring.0.iter().find(|c| !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y))
            {
                return Err(format!("{at} has a position that is not a longitude and latitude: [{}, {}]", c.x, c.y));
            }
        }
    }
    Ok(())
}

/// Where a map's shapes land in its view box: equirectangular, longitudes
/// scaled by the cosine of the middle latitude, [`MAP_WIDTH`] wide.
struct Frame {
    min: Coord<f64>,
    max: Coord<f64>,
    kx: f64,
    scale: f64,
}

impl Frame {
    /// The frame of `shapes`, which is never empty, every shape with bounds (checked when read).
    fn of(shapes: &[Shape]) -> Frame {
        let (mut min, mut max) = (Coord { x: f64::MAX, y: f64::MAX }, Coord { x: f64::MIN, y: f64::MIN });
        for s in shapes {
            min.x = min.x.min(s.bounds.min().x);
            min.y = min.y.min(s.bounds.min().y);
            max.x = max.x.max(s.bounds.max().x);
            max.y = max.y.max(s.bounds.max().y);
        }
        let kx = ((min.y + max.y) / 2.0).to_radians().cos().max(0.01);
        // A region a few metres wide still gets a finite scale.
        let span_x = ((max.x - min.x) * kx).max(1e-9);
        Frame { min, max, kx, scale: (MAP_WIDTH - 2.0 * PADDING) / span_x }
    }

    fn height(&self) -> f64 {
        let span_y = (self.max.y - self.min.y).max(1e-9);
        (span_y * self.scale + 2.0 * PADDING).ceil()
    }

    fn to_view(&self, c: Coord<f64>) -> Coord<f64> {
        Coord { x: PADDING + (c.x - self.min.x) * self.kx * self.scale, y: PADDING + (self.max.y - c.y) * self.scale }
    }

    fn to_degrees(&self, c: Coord<f64>) -> Coord<f64> {
        Coord { x: self.min.x + (c.x - PADDING) / (self.kx * self.scale), y: self.max.y - (c.y - PADDING) / self.scale }
    }
}

fn project(shapes: Vec<Shape>) -> RegionMap {
    let frame = Frame::of(&shapes);
    let to_view = |c: Coord<f64>| frame.to_view(c);
    let regions = shapes
        .into_iter()
        .map(|s| {
            let projected: MultiPolygon<f64> = s.geometry.map_coords(to_view);
            let simplified = simplify(&projected);
            let (a, b) = (to_view(s.bounds.min()), to_view(s.bounds.max()));
            MapRegion {
                code: s.code,
                name_fa: s.name_fa,
                name_en: s.name_en,
                path: path_data(&simplified),
                bounds: s.bounds,
                center: (round1((a.x + b.x) / 2.0), round1((a.y + b.y) / 2.0)),
            }
        })
        .collect();
    RegionMap { width: MAP_WIDTH, height: frame.height(), regions }
}

/// A copy of a boundary file without the detail its map cannot draw: every
/// ring simplified at the maps' own tolerance ([`SIMPLIFY`], for the file's
/// extent drawn [`MAP_WIDTH`] wide, as [`province_map`] and [`county_map`]
/// draw it) and every position rounded to 0.001° (about 100 m, a tenth of
/// that tolerance on a map of Iran). Properties and everything else are kept.
///
/// For a publisher: a boundary file meant for an overview map, checked and
/// downloaded before the first figure is drawn, need not be survey-accurate.
/// The file is read as the maps read it, so one they would refuse is refused.
pub fn for_display(file: &str, bytes: &[u8]) -> Result<Vec<u8>, MapError> {
    let frame = Frame::of(&shapes(file, bytes, None)?);
    let mut collection = feature_collection(file, bytes)?;
    let ring = |positions: &mut Vec<geojson::Position>| {
        let line: LineString<f64> = positions.iter().map(|p| frame.to_view(Coord { x: p[0], y: p[1] })).collect();
        let simplified = line.simplify(SIMPLIFY);
        // As drawn: a ring that would collapse keeps its points.
        let kept = if simplified.0.len() >= 4 { simplified } else { line };
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        *positions = kept
            .0
            .into_iter()
            .map(|c| frame.to_degrees(c))
            .map(|c| geojson::Position::from([round(c.x), round(c.y)]))
            .collect();
    };
    for geometry in collection.features.iter_mut().filter_map(|f| f.geometry.as_mut()) {
        match &mut geometry.value {
            geojson::GeometryValue::Polygon { coordinates } => coordinates.iter_mut().for_each(ring),
            geojson::GeometryValue::MultiPolygon { coordinates } => coordinates.iter_mut().flatten().for_each(ring),
            // `shapes` refused every other geometry.
            _ => {}
        }
    }
    serde_json::to_vec(&collection).map_err(|e| MapError::NotGeoJson { file: file.to_owned(), message: e.to_string() })
}

/// Simplifies each ring; a ring that would collapse keeps its points, so no
/// region loses an island or a hole it has in the file.
fn simplify(m: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let ring = |r: &LineString<f64>| {
        let s = r.simplify(SIMPLIFY);
        if s.0.len() >= 4 {
            s
        } else {
            r.clone()
        }
    };
    MultiPolygon(
        m.0.iter().map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect())).collect(),
    )
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// `M x,y x,y … Z` per ring, one decimal.
fn path_data(m: &MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for polygon in &m.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            // The closing position repeats the first: `Z` draws that side.
            let n = ring.0.len().saturating_sub(1);
            for (i, c) in ring.0.iter().take(n).enumerate() {
                d.push(if i == 0 { 'M' } else { ' ' });
                push_tenths(&mut d, c.x);
                d.push(',');
                push_tenths(&mut d, c.y);
            }
            d.push('Z');
        }
    }
    d
}

/// Writes `v` with one decimal, as `{:.1}` would, in integer arithmetic: a
/// national map has thousands of positions, and float formatting was a
/// visible part of a phone's first view.
fn push_tenths(d: &mut String, v: f64) {
    use fmt::Write;
    let tenths = (v * 10.0).round();
    // Positions are finite and within the view box; anything else is written as it is.
    if tenths.is_nan() || tenths.abs() >= 1e15 {
        let _ = write!(d, "{v:.1}");
        return;
    }
    let tenths = tenths as i64;
    if tenths < 0 {
        d.push('-');
    }
    let tenths = tenths.unsigned_abs();
    let _ = write!(d, "{}.{}", tenths / 10, tenths % 10);
}

/// A verified boundary file: its path in the release and its bytes.
#[derive(Clone)]
struct GeoFile {
    path: String,
    bytes: Arc<[u8]>,
}

/// The boundary files of a verified release, as verified (their hashes
/// matched the signed release); read into maps on demand, since a reader may
/// never open most of them.
#[derive(Clone, Default)]
pub struct Boundaries {
    provinces: Option<GeoFile>,
    counties: Vec<(Id, GeoFile)>,
}

impl fmt::Debug for Boundaries {
    /// The files, not their bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |g: &GeoFile| format!("{} ({} bytes)", g.path, g.bytes.len());
        f.debug_struct("Boundaries")
            .field("provinces", &self.provinces.as_ref().map(list))
            .field("counties", &self.counties.iter().map(|(c, g)| (c.as_str(), list(g))).collect::<Vec<_>>())
            .finish()
    }
}

impl Boundaries {
    /// The provinces' boundaries, from a file whose size and hash matched the release.
    pub fn set_provinces(&mut self, file: &CheckedFile<'_>) {
        self.provinces = Some(GeoFile { path: file.path().to_owned(), bytes: file.bytes().into() });
    }

    /// A province's counties' boundaries, from a file whose size and hash matched the release.
    pub fn add_counties(&mut self, province: Id, file: &CheckedFile<'_>) {
        self.counties.push((province, GeoFile { path: file.path().to_owned(), bytes: file.bytes().into() }));
    }

    pub fn has_provinces(&self) -> bool {
        self.provinces.is_some()
    }

    pub fn has_counties(&self, province: &str) -> bool {
        self.counties.iter().any(|(c, _)| c.as_str() == province)
    }

    /// The national map, if the release has one.
    pub fn province_map(&self) -> Option<Result<RegionMap, MapError>> {
        self.provinces.as_ref().map(|g| province_map(&g.path, &g.bytes))
    }

    /// The map of a province's counties, if the release has one.
    pub fn county_map(&self, province: &str) -> Option<Result<RegionMap, MapError>> {
        let (_, g) = self.counties.iter().find(|(c, _)| c.as_str() == province)?;
        Some(county_map(&g.path, &g.bytes, province))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(features: &str) -> Vec<u8> {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#).into_bytes()
    }

    fn square(code: &str, province: &str, x: f64, y: f64) -> String {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}","province":"{province}","name_fa":"ف","name_en":"E"}},
            "geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#,
            x1 = x + 1.0,
            y1 = y + 1.0
        )
    }

    #[test]
    fn tenths_are_written_as_float_formatting_writes_them() {
        let written = |v: f64| {
            let mut d = String::new();
            push_tenths(&mut d, v);
            d
        };
        for v in [0.0, 8.0, 12.34, 999.96, 1000.0, 0.04, -3.26, 471.149, 1e20, f64::NAN] {
            assert_eq!(written(v), format!("{v:.1}"), "{v}");
        }
    }

    #[test]
    fn projects_two_squares_side_by_side_into_the_view_box() {
        let bytes = collection(&[square("1", "IR-1", 50.0, 30.0), square("2", "IR-1", 51.0, 30.0)].join(","));
        let map = county_map("c.geojson", &bytes, "IR-1").unwrap();
        assert_eq!(map.regions.len(), 2);
        assert_eq!(map.width, MAP_WIDTH);
        // Two squares of 1°: twice as wide as high, after cos(30.5°) scaling.
        let k = 30.5f64.to_radians().cos();
        let bottom = 8.0 + (MAP_WIDTH - 2.0 * PADDING) / (2.0 * k);
        let expected = (bottom + 8.0).ceil();
        assert_eq!(map.height, expected);
        assert_eq!(map.regions[0].path, format!("M8.0,{bottom:.1} 500.0,{bottom:.1} 500.0,8.0 8.0,8.0Z"));
        assert!(map.regions[1].center.0 > map.regions[0].center.0);
        assert_eq!(map.view_box(), format!("0 0 1000 {expected}"));
    }

    #[test]
    fn refuses_bad_files_naming_the_file_and_feature() {
        let err = |bytes: &[u8]| county_map("geo/IR-1.geojson", bytes, "IR-1").unwrap_err().to_string();
        assert!(err(b"{").starts_with("geo/IR-1.geojson: not a GeoJSON FeatureCollection"));
        assert_eq!(err(&collection("")), "geo/IR-1.geojson: has no features to draw");
        let other = square("7", "IR-2", 50.0, 30.0);
        assert_eq!(err(&collection(&other)), "geo/IR-1.geojson: features[0] (7): is in province IR-2, not IR-1");
        let twice = [square("7", "IR-1", 50.0, 30.0), square("7", "IR-1", 51.0, 30.0)].join(",");
        assert_eq!(err(&collection(&twice)), "geo/IR-1.geojson: features[1] (7): a second region with the code 7");
        let far = square("8", "IR-1", 500.0, 30.0);
        assert!(err(&collection(&far))
            .contains("features[0] (8): polygon 0, ring 0 has a position that is not a longitude"));
        let point = r#"{"type":"Feature","properties":{"code":"9","province":"IR-1"},"geometry":{"type":"Point","coordinates":[1,2]}}"#;
        assert!(err(&collection(point)).ends_with("features[0] (9): the geometry is not a Polygon or MultiPolygon"));
        let short = r#"{"type":"Feature","properties":{"code":"9","province":"IR-1"},"geometry":{"type":"Polygon","coordinates":[[[1,2],[2,2],[1,2]]]}}"#;
        assert!(err(&collection(short)).contains("has 3 positions"));
        let nocode = r#"{"type":"Feature","properties":{"code":5},"geometry":null}"#;
        assert!(err(&collection(nocode)).ends_with("features[0]: property `code` should be text, found 5"));
        let nogeo = r#"{"type":"Feature","properties":{"code":"5","province":"IR-1"},"geometry":null}"#;
        assert!(err(&collection(nogeo)).ends_with("features[0] (5): has no geometry"));
    }

    #[test]
    fn a_copy_for_display_draws_the_same_map_from_fewer_points() {
        // A square whose sides wobble inwards by 0.0001° every 0.01°: invisible on a 1,000-wide map of 2°.
        let side = |from: (f64, f64), to: (f64, f64)| -> Vec<String> {
            (0..100)
                .map(|i| {
                    let t = f64::from(i) / 100.0;
                    let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
                    let inwards = |v: f64, middle: f64| if i % 2 == 1 { v + 0.0001 * (middle - v).signum() } else { v };
                    format!("[{},{}]", inwards(x, 50.5), inwards(y, 30.5))
                })
                .collect()
        };
        let mut ring = [side((50.0, 30.0), (51.0, 30.0)), side((51.0, 30.0), (51.0, 31.0))].concat();
        ring.extend(side((51.0, 31.0), (50.0, 31.0)));
        ring.extend(side((50.0, 31.0), (50.0, 30.0)));
        ring.push("[50,30]".into());
        let dense = format!(
            r#"{{"type":"Feature","properties":{{"code":"IR-1","name_fa":"ف","name_en":"E","sci":"01"}},
            "geometry":{{"type":"MultiPolygon","coordinates":[[[{}]]]}}}}"#,
            ring.join(",")
        );
        let bytes = collection(&[dense, square("IR-2", "", 51.0, 30.0)].join(","));
        let light = for_display("p.geojson", &bytes).unwrap();
        assert!(light.len() * 5 < bytes.len(), "{} bytes from {}", light.len(), bytes.len());
        let (before, after) = (province_map("p.geojson", &bytes).unwrap(), province_map("p.geojson", &light).unwrap());
        assert_eq!(after, before);
        // Properties stay, positions are rounded to 0.001°.
        let copy: geojson::FeatureCollection = serde_json::from_slice(&light).unwrap();
        assert_eq!(copy.features[0].property("sci"), Some(&serde_json::json!("01")));
        let text = String::from_utf8(light).unwrap();
        assert!(text.contains("[50.0,30.0]") && !text.contains("0.0001"), "{text}");
        // What the maps refuse is refused.
        let far = collection(&square("8", "IR-1", 500.0, 30.0));
        assert!(for_display("p.geojson", &far).unwrap_err().to_string().contains("not a longitude"));
    }
}
