//! The maps drawn from the real boundaries (`$SHAFAF_GEO`, or `../shared/geo`
//! beside the repository): every province's county map has each county once,
//! inside its province, and the national map every province.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::PathBuf;

use shafaf_core::map::{county_map, province_map, RegionMap};

fn geo_dir() -> PathBuf {
    std::env::var("SHAFAF_GEO")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/geo")))
}

fn read(path: &str) -> Vec<u8> {
    let file = geo_dir().join(path);
    std::fs::read(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()))
}

fn provinces() -> RegionMap {
    province_map("provinces.geojson", &read("provinces.geojson")).unwrap()
}

/// Every path is inside the view box.
fn assert_inside_view_box(map: &RegionMap, what: &str) {
    for r in &map.regions {
        assert!(!r.path.is_empty(), "{what}: {} has no path", r.code);
        for pair in r.path.split(['M', 'Z', ' ']).filter(|p| !p.is_empty()) {
            let (x, y) = pair.split_once(',').unwrap_or_else(|| panic!("{what}: {} has `{pair}`", r.code));
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!((0.0..=map.width).contains(&x) && (0.0..=map.height).contains(&y), "{what}: {} at {x},{y}", r.code);
        }
    }
}

#[test]
fn national_map_has_all_31_provinces() {
    let map = provinces();
    assert_eq!(map.regions.len(), 31);
    let codes: BTreeSet<&str> = map.regions.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes.len(), 31);
    assert!(codes.contains("IR-15"));
    assert_eq!(map.region("IR-15").unwrap().name_en, "Lorestan");
    assert_inside_view_box(&map, "provinces");
    // Iran is wider than high, after scaling the longitudes.
    assert!(map.height < map.width && map.height > map.width / 2.0);
}

#[test]
fn every_province_map_has_each_of_its_counties_once_and_inside_the_province() {
    let national = provinces();
    let census = String::from_utf8(read("counties-2016.csv")).unwrap();
    let mut total = 0;
    for province in &national.regions {
        let code = &province.code;
        let map = county_map(&format!("counties/{code}.geojson"), &read(&format!("counties/{code}.geojson")), code)
            .unwrap_or_else(|e| panic!("{e}"));
        let codes: BTreeSet<&str> = map.regions.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), map.regions.len(), "{code}: a county twice");
        // None missing: every county of the province in the census is drawn.
        for line in census.lines().skip(1).filter(|l| l.starts_with(&format!("{code},"))) {
            let county = line.split(',').nth(1).unwrap();
            assert!(codes.contains(county), "{code}: county {county} is missing from the map");
        }
        // None misplaced: each county lies inside its province (the files are
        // rounded to 0.0001°, and clipped alike).
        let (pmin, pmax) = (province.bounds.min(), province.bounds.max());
        let tolerance = 0.01;
        for r in &map.regions {
            let (min, max) = (r.bounds.min(), r.bounds.max());
            assert!(
                min.x >= pmin.x - tolerance
                    && min.y >= pmin.y - tolerance
                    && max.x <= pmax.x + tolerance
                    && max.y <= pmax.y + tolerance,
                "{code}: county {} ({}) lies outside its province",
                r.code,
                r.name_en
            );
        }
        assert_inside_view_box(&map, code);
        total += map.regions.len();
    }
    assert_eq!(total, 478);
}

#[test]
fn lorestan_has_its_eleven_counties() {
    let map = county_map("counties/IR-15.geojson", &read("counties/IR-15.geojson"), "IR-15").unwrap();
    assert_eq!(map.regions.len(), 11);
    assert!(map.region("1510").is_some(), "Dowreh");
}

#[test]
fn a_county_file_read_as_another_province_is_refused() {
    let err = county_map("counties/IR-15.geojson", &read("counties/IR-15.geojson"), "IR-16").unwrap_err();
    assert!(err.to_string().contains("is in province IR-15, not IR-16"), "{err}");
}
