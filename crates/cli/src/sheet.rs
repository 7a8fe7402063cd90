//! `shafaf sheet`: a station's results line as the sheet its device prints
//! and posts at the station: an SVG to print (the result in Persian for
//! people, the QR codes for phones) and a PNG of the QR codes alone, as a
//! camera sees them. The QR texts are `shafaf_core::sheet::encode`'s.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use qrcode::{Color, EcLevel, QrCode};
use shafaf_core::model::{Contest, StationResult};
use shafaf_core::sheet;

/// Pixels per QR module in the PNG, and modules of quiet zone around each code.
const SCALE: usize = 4;
const QUIET: usize = 4;

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

/// The QR codes of a results line, one under the other, as a grayscale PNG.
pub fn png(line: &str) -> Result<Vec<u8>> {
    let codes = codes(&sheet::encode(line))?;
    let side = |c: &QrCode| (c.width() + 2 * QUIET) * SCALE;
    let width = codes.iter().map(side).max().unwrap_or(0);
    let height: usize = codes.iter().map(side).sum();
    let mut pixels = vec![255u8; width * height];
    let mut top = 0;
    for code in &codes {
        let w = code.width();
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == Color::Dark {
                let (x, y) = ((i % w + QUIET) * SCALE, (i / w + QUIET) * SCALE + top);
                for dy in 0..SCALE {
                    let row = (y + dy) * width;
                    pixels[row + x..row + x + SCALE].fill(0);
                }
            }
        }
        top += side(code);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width as u32, height as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().context("writing the PNG")?;
    writer.write_image_data(&pixels).context("writing the PNG")?;
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
    let text = |body: &mut String, y: f64, size: f64, weight: &str, s: &str| {
        let _ = writeln!(
            body,
            r#"<text x="76" y="{y:.1}" font-size="{size}" font-weight="{weight}" text-anchor="end" direction="rtl">{}</text>"#,
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
            r##"<g transform="translate({x:.2} {y:.2}) scale({module:.4})"><rect width="{modules}" height="{modules}" fill="#fff"/><path fill="#000" d=""##
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
    crate::fsio::write(&prefix.with_extension("svg"), svg(line, &read.result, contest)?.as_bytes())?;
    crate::fsio::write(&prefix.with_extension("png"), &png(line)?)?;
    Ok(read)
}
