//! The bench's report: sections of figures, each with its target and whether
//! it is met. A benchmark, not a test: a missed target is printed, never an error.

use std::fmt::Write as _;

pub struct Report {
    pub title: String,
    pub sections: Vec<Section>,
}

pub struct Section {
    pub title: String,
    /// Printed as they are, before the rows (e.g. a table of its own).
    pub lines: Vec<String>,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

pub struct Row {
    pub label: String,
    pub value: String,
    pub target: Option<Target>,
}

pub struct Target {
    pub text: String,
    /// `None` when there is no figure to compare (the run failed or was skipped).
    pub met: Option<bool>,
}

impl Target {
    /// `value ≤ limit`, shown as `≤ <limit shown>`.
    pub fn at_most(value: Option<f64>, limit: f64, shown: &str) -> Target {
        Target { text: format!("≤ {shown}"), met: value.map(|value| value <= limit) }
    }

    /// `value ≥ limit`, shown as `≥ <limit shown>`.
    pub fn at_least(value: Option<f64>, limit: f64, shown: &str) -> Target {
        Target { text: format!("≥ {shown}"), met: value.map(|value| value >= limit) }
    }

    fn verdict(&self) -> &'static str {
        match self.met {
            Some(true) => "MET",
            Some(false) => "NOT MET",
            None => "n/a",
        }
    }
}

impl Section {
    pub fn new(title: impl Into<String>) -> Section {
        Section { title: title.into(), lines: Vec::new(), rows: Vec::new(), notes: Vec::new() }
    }

    pub fn line(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    pub fn row(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.rows.push(Row { label: label.into(), value: value.into(), target: None });
    }

    pub fn target(&mut self, label: impl Into<String>, value: impl Into<String>, target: Target) {
        self.rows.push(Row { label: label.into(), value: value.into(), target: Some(target) });
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}

impl Report {
    pub fn render(&self) -> String {
        let rows = self.sections.iter().flat_map(|section| &section.rows);
        let label_width = rows.clone().map(|row| row.label.chars().count()).max().unwrap_or(0);
        // A long value (a list of paths) is printed as it is, not aligned.
        let value_width =
            rows.clone().map(|row| row.value.chars().count()).filter(|width| *width <= LONG_VALUE).max().unwrap_or(0);
        let target_width =
            rows.filter_map(|row| row.target.as_ref()).map(|target| target.text.chars().count()).max().unwrap_or(0);
        let mut out = format!("{}\n", self.title);
        for section in &self.sections {
            let _ = writeln!(out, "\n{}", section.title);
            for line in &section.lines {
                let _ = writeln!(out, "  {line}");
            }
            for row in &section.rows {
                let _ = write!(out, "  {}{}  ", row.label, pad(&row.label, label_width));
                match &row.target {
                    Some(target) => {
                        let _ = writeln!(
                            out,
                            "{}{}  target {}{}  {}",
                            pad(&row.value, value_width),
                            row.value,
                            target.text,
                            pad(&target.text, target_width),
                            target.verdict()
                        );
                    }
                    None => {
                        let _ = writeln!(out, "{}{}", pad(&row.value, value_width), row.value);
                    }
                }
            }
            for note in &section.notes {
                let _ = writeln!(out, "  note: {note}");
            }
        }
        let targets: Vec<&Target> =
            self.sections.iter().flat_map(|section| &section.rows).filter_map(|row| row.target.as_ref()).collect();
        let met = targets.iter().filter(|target| target.met == Some(true)).count();
        let missed = targets.iter().filter(|target| target.met == Some(false)).count();
        let _ = writeln!(out, "\ntargets: {met} met, {missed} not met, {} not measured", targets.len() - met - missed);
        out
    }
}

/// Values longer than this are not aligned with the others.
const LONG_VALUE: usize = 32;

fn pad(text: &str, width: usize) -> String {
    " ".repeat(width.saturating_sub(text.chars().count()))
}

/// `1.23 s`, `456 ms`.
pub fn seconds(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{:.0} ms", seconds * 1e3)
    }
}

/// Decimal units, as DevTools and Lighthouse count: `1.50 MB`, `300.0 kB`.
pub fn bytes(bytes: u64) -> String {
    let value = bytes as f64;
    if value >= 1e6 {
        format!("{:.2} MB", value / 1e6)
    } else if value >= 1e3 {
        format!("{:.1} kB", value / 1e3)
    } else {
        format!("{bytes} B")
    }
}

/// `65,432`.
pub fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut groups: Vec<&str> =
        digits.as_bytes().rchunks(3).map(|group| std::str::from_utf8(group).unwrap_or_default()).collect();
    groups.reverse();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_align_and_say_whether_each_target_is_met() {
        let mut section = Section::new("Native");
        section.row("cores", "2");
        section.target("ratio", "2.40", Target::at_most(Some(2.4), 1.0, "1.0"));
        section.target("score", "95", Target::at_least(Some(95.0), 90.0, "90"));
        section.target("phone", "not reached", Target::at_most(None, 3.0, "3 s"));
        section.note("a note");
        section.line("| a | table |");
        section.row("paths", "root.json release.json files/contests-IR-15.json files/results-IR-15.jsonl");
        let report = Report { title: "Bench".into(), sections: vec![section] };
        let text = report.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "Native");
        assert_eq!(lines[3], "  | a | table |");
        assert_eq!(lines[4], "  cores            2");
        assert_eq!(lines[5], "  ratio         2.40  target ≤ 1.0  NOT MET");
        assert_eq!(lines[6], "  score           95  target ≥ 90   MET");
        assert_eq!(lines[7], "  phone  not reached  target ≤ 3 s  n/a");
        assert_eq!(lines[8], "  paths  root.json release.json files/contests-IR-15.json files/results-IR-15.jsonl");
        assert_eq!(lines[9], "  note: a note");
        assert_eq!(lines[11], "targets: 1 met, 1 not met, 1 not measured");
    }

    #[test]
    fn units_are_decimal_and_readable() {
        assert_eq!(bytes(1_500_000), "1.50 MB");
        assert_eq!(bytes(300_000), "300.0 kB");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(seconds(2.345), "2.35 s");
        assert_eq!(seconds(0.0504), "50 ms");
        assert_eq!(thousands(65_432), "65,432");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
