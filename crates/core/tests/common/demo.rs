//! The Lorestan demo publication, built from the geo data read at compile time
//! (so the same bytes are verified natively and in the browser).

use shafaf_core::demo::{self, Demo, DemoOptions, GeoInput, Scale};

macro_rules! geo {
    ($file:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/geo/", $file))
    };
}

pub fn lorestan_geo() -> GeoInput {
    GeoInput {
        provinces_csv: String::from_utf8_lossy(geo!("provinces-2016.csv")).into_owned(),
        counties_csv: String::from_utf8_lossy(geo!("counties-2016.csv")).into_owned(),
        provinces_geojson: geo!("provinces.geojson").to_vec(),
        counties_geojson: vec![("IR-15".into(), geo!("counties/IR-15.geojson").to_vec())],
    }
}

pub fn lorestan() -> Demo {
    demo::generate(&lorestan_geo(), &DemoOptions { seed: 1, scale: Scale::Lorestan, tamper: false })
        .expect("the Lorestan demo generates")
}
