//! `shafaf sheet`: a station's results line as the sheet its device prints
//! and posts at the station, as an SVG to print and the same sheet drawn as
//! a PNG: the result in Persian for people, then the QR codes for phones.
//! The QR texts are `shafaf_core::sheet::encode`'s.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use qrcode::{Color, EcLevel, QrCode};
use resvg::{tiny_skia, usvg};
use shafaf_core::model::{Contest, StationResult};
use shafaf_core::sheet;

/// Modules of quiet zone around each QR code.
const QUIET: usize = 4;

/// Pixels per millimetre of the PNG: about 300 dpi, so that a QR module of
/// 0.35 mm is four pixels, as a phone's camera reads a print of it.
const PX_PER_MM: f32 = 12.0;

/// The sheet's typeface, Vazirmatn (SIL Open Font License, `assets/OFL.txt`),
/// carried in the binary so that every machine draws the same PNG.
const FONTS: [&[u8]; 2] =
    [include_bytes!("../assets/Vazirmatn-Regular.ttf"), include_bytes!("../assets/Vazirmatn-Bold.ttf")];

fn codes(parts: &[String]) -> Result<Vec<QrCode>> {
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            QrCode::with_error_correction_level(p.as_bytes(), EcLevel::M)
                .with_context(|| format!("part {} of the sheet does not fit in a QR code", i + 1))
        })
        .collect()
}

/// The sheet [`svg`] drew, as an 8-bit grey PNG at [`PX_PER_MM`]: the
/// Persian text in Vazirmatn and the QR codes, as the printer prints it.
pub fn png(svg: &str) -> Result<Vec<u8>> {
    let mut options = usvg::Options { font_family: "Vazirmatn".into(), ..usvg::Options::default() };
    for font in FONTS {
        options.fontdb_mut().load_font_data(font.to_vec());
    }
    let tree = usvg::Tree::from_str(svg, &options).context("reading the sheet's SVG")?;
    // usvg measures in CSS pixels, 96 to the inch.
    let scale = PX_PER_MM * 25.4 / 96.0;
    let size = tree.size();
    let (width, height) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(width, height).context("the sheet is too large to draw")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    // Opaque (white underneath), so each pixel's grey is its luma.
    let grey: Vec<u8> = pixmap
        .pixels()
        .iter()
        .map(|p| ((299 * u32::from(p.red()) + 587 * u32::from(p.green()) + 114 * u32::from(p.blue())) / 1000) as u8)
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("writing the PNG")?;
    writer.write_image_data(&grey).context("writing the PNG")?;
    writer.finish().context("writing the PNG")?;
    Ok(out)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Persian digits, as the sheet prints figures for people.
fn fa(n: impl ToString) -> String {
    n.to_string().chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x06F0 + d).unwrap_or(c))).collect()
}

/// The printable sheet: 80 mm wide, as a thermal printer prints it; the
/// result in Persian (names from `contest` when the publication gives it),
/// then each QR code with its part number.
pub fn svg(line: &str, result: &StationResult, contest: Option<&Contest>) -> Result<String> {
    let parts = sheet::encode(line);
    let codes = codes(&parts)?;
    // Millimetres: 80 wide; a QR module 0.35 mm at most (as thermal printers print them readably).
    let width = 80.0;
    let mut y = 10.0;
    let mut body = String::new();
    // Each line right-aligned at x = 76 mm and read right to left: an
    // embedding (U+202B … U+202C) inside a left-to-right anchor, which
    // browsers and resvg lay out alike (they disagree on where
    // `direction="rtl"` puts the anchor).
    let text = |body: &mut String, y: f64, size: f64, weight: &str, s: &str| {
        let _ = writeln!(
            body,
            "<text x=\"76\" y=\"{y:.1}\" font-size=\"{size}\" font-weight=\"{weight}\" text-anchor=\"end\">\u{202B}{}\u{202C}</text>",
            escape(s)
        );
    };
    text(&mut body, y, 4.2, "bold", "برگه‌ی نتیجه‌ی شعبه‌ی اخذ رأی");
    y += 6.0;
    let council = contest.map_or_else(|| result.contest.to_string(), |c| format!("{} ({})", c.name.fa, c.id));
    text(&mut body, y, 3.2, "normal", &format!("شورا: {council}"));
    y += 5.0;
    text(&mut body, y, 3.2, "normal", &format!("شعبه: {}", result.station));
    y += 5.0;
    for (label, n) in
        [("آرای مأخوذه", result.ballots_cast), ("آرای صحیح", result.valid), ("آرای باطله", result.invalid)]
    {
        text(&mut body, y, 3.2, "normal", &format!("{label}: {}", fa(n)));
        y += 4.6;
    }
    y += 1.5;
    for v in &result.votes {
        let candidate = contest.and_then(|c| c.candidates.iter().find(|k| k.id == v.candidate));
        let who =
            candidate.map_or_else(|| v.candidate.to_string(), |k| format!("{} ({})", k.name.fa, fa(&*k.ballot_code)));
        text(&mut body, y, 2.8, "normal", &format!("{who}: {}", fa(v.votes)));
        y += 4.0;
    }
    y += 3.0;
    for (i, code) in codes.iter().enumerate() {
        let modules = code.width() + 2 * QUIET;
        let module = (70.0 / modules as f64).min(0.35);
        let size = module * modules as f64;
        let x = (width - size) / 2.0;
        text(&mut body, y + 3.0, 3.0, "normal", &format!("بخش {} از {}", fa(i + 1), fa(codes.len())));
        y += 5.0;
        let _ = write!(
            body,
            r##"<g transform="translate({x:.2} {y:.2}) scale({module:.4})"><rect width="{modules}" height="{modules}" fill="#fff"/><path fill="#000" shape-rendering="crispEdges" d=""##
        );
        let w = code.width();
        for (j, color) in code.to_colors().iter().enumerate() {
            if *color == Color::Dark {
                let _ = write!(body, "M{} {}h1v1h-1z", j % w + QUIET, j / w + QUIET);
            }
        }
        let _ = writeln!(body, r#""/></g>"#);
        y += size + 4.0;
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{y:.1}mm" viewBox="0 0 {width} {y:.1}" font-family="Vazirmatn, sans-serif">
<rect width="{width}" height="{y:.1}" fill="#fff"/>
{body}</svg>
"##
    ))
}

/// A council of the publication's current release, for its names (read
/// without verifying: the sheet prints them, the QR codes carry only ids).
pub fn contest_of(publication: &shafaf_core::Publication, contest: &str) -> Option<Contest> {
    use shafaf_core::model::{ContestsDoc, FileKind, ReleaseDoc};
    let release: ReleaseDoc = serde_json::from_slice(publication.get(shafaf_core::format::RELEASE)?).ok()?;
    release.files.iter().filter(|f| f.kind == FileKind::Contests).find_map(|f| {
        let doc: ContestsDoc = serde_json::from_slice(publication.get(&f.path)?).ok()?;
        doc.contests.into_iter().find(|c| c.id.as_str() == contest)
    })
}

/// The station's line in the publication's current release.
pub fn line_of(publication: &shafaf_core::Publication, station: &str) -> Option<String> {
    use shafaf_core::model::{FileKind, ReleaseDoc};
    let release: ReleaseDoc = serde_json::from_slice(publication.get(shafaf_core::format::RELEASE)?).ok()?;
    release.files.iter().filter(|f| f.kind == FileKind::Results).find_map(|f| {
        let text = std::str::from_utf8(publication.get(&f.path)?).ok()?;
        sheet::station_line(text, station).map(str::to_owned)
    })
}

/// Writes `PREFIX.svg` and `PREFIX.png` for a results line.
pub fn write(prefix: &std::path::Path, line: &str, contest: Option<&Contest>) -> Result<sheet::ReadSheet> {
    let read = sheet::read(&sheet::encode(line)).map_err(|e| anyhow::anyhow!("not a station's results line: {e}"))?;
    let drawn = svg(line, &read.result, contest)?;
    crate::fsio::write(&prefix.with_extension("svg"), drawn.as_bytes())?;
    crate::fsio::write(&prefix.with_extension("png"), &png(&drawn)?)?;
    Ok(read)
}
