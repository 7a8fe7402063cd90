//! Tables of verified figures that a reader can sort, filter, page through
//! and download as CSV.
//!
//! A table is semantic (`caption`, `th scope`), sorts by any column through a
//! button in its header (`aria-sort` says how), filters by name (folded as the
//! search folds it) and, for councils, by kind, and downloads exactly the rows
//! the filter and sort give, in that order, with every column shown (names in
//! both languages). The rows shown are derived with memos from the row set
//! and the controls' signals; nothing is kept in sync by hand.
//!
//! The row set may change (a table that follows the audit): each row is then
//! drawn again only if what it shows changed (its values as the CSV has
//! them, its link or its class), so a province that moves on redraws its own
//! row, not the table.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use leptos::prelude::*;
use shafaf_core::model::{ContestKind, Name};
use shafaf_core::search;
use shafaf_core::summary::Ratio;

use crate::components::memory::remembered;
use crate::csv::{self, Csv};
use crate::i18n::{hundredths_plain, percent_plain, text, tr, use_lang, Lang, Msg};

/// What a column sorts by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Text(String),
    Count(u64),
    Ratio(Option<Ratio>),
    /// No value (a station that has not reported): always last.
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Direction {
    fn aria(self) -> &'static str {
        match self {
            Direction::Ascending => "ascending",
            Direction::Descending => "descending",
        }
    }
}

/// Orders two keys; missing values and ratios without a denominator come
/// last in both directions.
fn compare(a: &SortKey, b: &SortKey, direction: Direction) -> Ordering {
    use SortKey::*;
    let order = match (a, b) {
        (Missing | Ratio(None), Missing | Ratio(None)) => return Ordering::Equal,
        (Missing | Ratio(None), _) => return Ordering::Greater,
        (_, Missing | Ratio(None)) => return Ordering::Less,
        (Count(x), Count(y)) => x.cmp(y),
        // Exact: x.num / x.den against y.num / y.den.
        (Ratio(Some(x)), Ratio(Some(y))) => {
            (u128::from(x.num) * u128::from(y.den)).cmp(&(u128::from(y.num) * u128::from(x.den)))
        }
        (Text(x), Text(y)) => x.cmp(y),
        _ => Ordering::Equal,
    };
    match direction {
        Direction::Ascending => order,
        Direction::Descending => order.reverse(),
    }
}

type ByRow<R, T> = Arc<dyn Fn(&R) -> T + Send + Sync>;
type SortFn<R> = Arc<dyn Fn(&R, Lang) -> SortKey + Send + Sync>;
type WordsFn<R> = Arc<dyn Fn(&R, Lang) -> String + Send + Sync>;
type CsvFn<R> = ByRow<R, String>;

/// What a column's cell shows. The columns only say which value; the cells
/// are written by one shared function ([`row_html`]), so a table of any kind
/// of row adds little code to the app.
enum Cell<R> {
    /// The row's name, as its header cell, linking to the place if it has an address.
    Name(ByRow<R, Name>, ByRow<R, Option<String>>),
    /// Words in the current language, with their raw value in `data-raw`.
    Text(WordsFn<R>, ByRow<R, String>),
    Count(ByRow<R, u64>),
    MaybeCount(ByRow<R, Option<u64>>),
    Percent(ByRow<R, Option<Ratio>>),
    Decimal(ByRow<R, Option<Ratio>>),
    /// Anything else: the cell's HTML, in a language, written by the column
    /// itself, which escapes what it writes ([`escape_text`], [`escape_attribute`]).
    Html(WordsFn<R>),
}

// Cloned for each row set (the row type need not be `Clone`: only the
// functions are copied, as `Arc`s).
impl<R> Clone for Cell<R> {
    fn clone(&self) -> Self {
        match self {
            Cell::Name(name, href) => Cell::Name(name.clone(), href.clone()),
            Cell::Text(words, raw) => Cell::Text(words.clone(), raw.clone()),
            Cell::Count(get) => Cell::Count(get.clone()),
            Cell::MaybeCount(get) => Cell::MaybeCount(get.clone()),
            Cell::Percent(get) => Cell::Percent(get.clone()),
            Cell::Decimal(get) => Cell::Decimal(get.clone()),
            Cell::Html(write) => Cell::Html(write.clone()),
        }
    }
}

/// One column: its header, its cell, how it sorts and what it puts in the CSV.
pub struct Column<R> {
    key: &'static str,
    label: Msg,
    numeric: bool,
    cell: Cell<R>,
    sort: Option<SortFn<R>>,
    csv: Vec<(String, CsvFn<R>)>,
}

impl<R> Clone for Column<R> {
    fn clone(&self) -> Self {
        Column {
            key: self.key,
            label: self.label,
            numeric: self.numeric,
            cell: self.cell.clone(),
            sort: self.sort.clone(),
            csv: self.csv.clone(),
        }
    }
}

impl<R: 'static> Column<R> {
    /// The row's name, as its header cell, linking to the place.
    pub fn name(
        key: &'static str,
        label: Msg,
        name: impl Fn(&R) -> Name + Copy + Send + Sync + 'static,
        href: impl Fn(&R) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Column {
            key,
            label,
            numeric: false,
            cell: Cell::Name(Arc::new(name), Arc::new(href)),
            sort: Some(Arc::new(move |r, lang| SortKey::Text(search::normalize(&lang.name(&name(r)))))),
            csv: vec![
                (format!("{key}_fa"), Arc::new(move |r| name(r).fa.to_string())),
                (format!("{key}_en"), Arc::new(move |r| name(r).en.to_string())),
            ],
        }
    }

    /// Words that depend on the language, e.g. a kind or a standing; `raw` is the CSV value.
    pub fn text(
        key: &'static str,
        label: Msg,
        text: impl Fn(&R, Lang) -> String + Copy + Send + Sync + 'static,
        raw: impl Fn(&R) -> String + Copy + Send + Sync + 'static,
    ) -> Self {
        Column {
            key,
            label,
            numeric: false,
            cell: Cell::Text(Arc::new(text), Arc::new(raw)),
            sort: Some(Arc::new(move |r, lang| SortKey::Text(search::normalize(&text(r, lang))))),
            csv: vec![(key.to_owned(), Arc::new(raw))],
        }
    }

    /// A cell written as HTML by `cell` in a language (escaping what it
    /// writes), sorted by `sort`, written to the CSV as `raw`.
    pub fn html(
        key: &'static str,
        label: Msg,
        cell: impl Fn(&R, Lang) -> String + Send + Sync + 'static,
        sort: impl Fn(&R) -> SortKey + Send + Sync + 'static,
        raw: impl Fn(&R) -> String + Send + Sync + 'static,
    ) -> Self {
        Column {
            key,
            label,
            numeric: false,
            cell: Cell::Html(Arc::new(cell)),
            sort: Some(Arc::new(move |r, _| sort(r))),
            csv: vec![(key.to_owned(), Arc::new(raw))],
        }
    }

    pub fn count(key: &'static str, label: Msg, get: impl Fn(&R) -> u64 + Copy + Send + Sync + 'static) -> Self {
        Column {
            key,
            label,
            numeric: true,
            cell: Cell::Count(Arc::new(get)),
            sort: Some(Arc::new(move |r, _| SortKey::Count(get(r)))),
            csv: vec![(key.to_owned(), Arc::new(move |r| get(r).to_string()))],
        }
    }

    /// A count that may be missing (shown as a dash, sorted last).
    pub fn maybe_count(
        key: &'static str,
        label: Msg,
        get: impl Fn(&R) -> Option<u64> + Copy + Send + Sync + 'static,
    ) -> Self {
        Column {
            key,
            label,
            numeric: true,
            cell: Cell::MaybeCount(Arc::new(get)),
            sort: Some(Arc::new(move |r, _| get(r).map_or(SortKey::Missing, SortKey::Count))),
            csv: vec![(key.to_owned(), Arc::new(move |r| get(r).map(|v| v.to_string()).unwrap_or_default()))],
        }
    }

    /// A ratio shown as a percentage; the CSV has it with one decimal.
    pub fn percent(
        key: &'static str,
        label: Msg,
        get: impl Fn(&R) -> Option<Ratio> + Copy + Send + Sync + 'static,
    ) -> Self {
        Column {
            key,
            label,
            numeric: true,
            cell: Cell::Percent(Arc::new(get)),
            sort: Some(Arc::new(move |r, _| SortKey::Ratio(get(r)))),
            csv: vec![(
                format!("{key}_percent"),
                Arc::new(move |r| get(r).map(|x| percent_plain(x.num, x.den)).unwrap_or_default()),
            )],
        }
    }

    /// A ratio shown with two decimals (votes per ballot).
    pub fn decimal(
        key: &'static str,
        label: Msg,
        get: impl Fn(&R) -> Option<Ratio> + Copy + Send + Sync + 'static,
    ) -> Self {
        Column {
            key,
            label,
            numeric: true,
            cell: Cell::Decimal(Arc::new(get)),
            sort: Some(Arc::new(move |r, _| SortKey::Ratio(get(r)))),
            csv: vec![(
                key.to_owned(),
                Arc::new(move |r| get(r).map(|x| hundredths_plain(x.num, x.den)).unwrap_or_default()),
            )],
        }
    }

    /// A station's id, as its row's header cell.
    pub fn station(id: impl Fn(&R) -> String + Copy + Send + Sync + 'static) -> Self {
        Column::html(
            "station",
            Msg::Station,
            move |r, _| format!(r#"<th scope="row"><code>{}</code></th>"#, escape_text(&id(r))),
            move |r| SortKey::Text(id(r)),
            id,
        )
    }

    /// Whether a station's signed result verified, or it has not reported.
    pub fn signature(reported: impl Fn(&R) -> bool + Copy + Send + Sync + 'static) -> Self {
        Column::text(
            "signature",
            Msg::Signature,
            move |r, lang| match reported(r) {
                true => format!("✓ {}", lang.t(Msg::SignatureVerified)),
                false => format!("– {}", lang.t(Msg::NotReported)),
            },
            move |r| if reported(r) { "verified" } else { "not_reported" }.to_owned(),
        )
    }

    /// Right-aligned, as numbers are.
    pub fn numeric(mut self) -> Self {
        self.numeric = true;
        self
    }

    /// A column the reader cannot sort by.
    pub fn unsorted(mut self) -> Self {
        self.sort = None;
        self
    }

    /// The same column, reading `rows` by index.
    fn erase(&self, rows: &Arc<Vec<R>>) -> Column<usize>
    where
        R: Send + Sync,
    {
        fn by_index<R: Send + Sync + 'static, T: 'static>(rows: &Arc<Vec<R>>, get: ByRow<R, T>) -> ByRow<usize, T> {
            let rows = rows.clone();
            Arc::new(move |i: &usize| get(&rows[*i]))
        }
        fn in_lang_by_index<R: Send + Sync + 'static>(rows: &Arc<Vec<R>>, get: WordsFn<R>) -> WordsFn<usize> {
            let rows = rows.clone();
            Arc::new(move |i: &usize, lang| get(&rows[*i], lang))
        }
        let Column { key, label, numeric, cell, sort, csv } = self.clone();
        let cell = match cell {
            Cell::Name(name, href) => Cell::Name(by_index(rows, name), by_index(rows, href)),
            Cell::Text(text, raw) => Cell::Text(in_lang_by_index(rows, text), by_index(rows, raw)),
            Cell::Count(get) => Cell::Count(by_index(rows, get)),
            Cell::MaybeCount(get) => Cell::MaybeCount(by_index(rows, get)),
            Cell::Percent(get) => Cell::Percent(by_index(rows, get)),
            Cell::Decimal(get) => Cell::Decimal(by_index(rows, get)),
            Cell::Html(write) => Cell::Html(in_lang_by_index(rows, write)),
        };
        let sort: Option<SortFn<usize>> = sort.map(|sort| {
            let rows = rows.clone();
            Arc::new(move |i: &usize, lang| sort(&rows[*i], lang)) as SortFn<usize>
        });
        let csv = csv.into_iter().map(|(name, value)| (name, by_index(rows, value))).collect();
        Column { key, label, numeric, cell, sort, csv }
    }
}

/// Text escaped for HTML, for a column that writes its own cells ([`Column::html`]).
pub fn escape_text(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_text(text)
}

/// An attribute's value escaped for HTML, to write between double quotes.
pub fn escape_attribute(value: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(value)
}

/// Row `i`'s cells as HTML, in `lang`. The browser parses one string per
/// row where a view makes an element, its attributes and its text one call
/// at a time: a long table's first drawing takes a fraction of the time.
/// Every text and attribute value is escaped.
fn row_html(columns: &[Column<usize>], i: usize, lang: Lang) -> String {
    use escape_attribute as attr;
    use escape_text as text;
    use std::fmt::Write;
    let ratio_attrs = |out: &mut String, ratio: Option<Ratio>| {
        if let Some(r) = ratio {
            let _ = write!(out, r#" data-num="{}" data-den="{}""#, r.num, r.den);
        }
    };
    let mut out = String::new();
    for column in columns {
        match &column.cell {
            Cell::Name(name, href) => {
                let label = lang.name(&name(&i));
                match href(&i) {
                    Some(href) => {
                        let _ = write!(out, r#"<th scope="row"><a href="{}">{}</a></th>"#, attr(&href), text(&label));
                    }
                    None => {
                        let _ = write!(out, r#"<th scope="row">{}</th>"#, text(&label));
                    }
                }
            }
            Cell::Text(words, raw) => {
                let _ = write!(out, r#"<td data-raw="{}">{}</td>"#, attr(&raw(&i)), text(&words(&i, lang)));
            }
            Cell::Count(get) => {
                let value = get(&i);
                let _ = write!(out, r#"<td class="num" data-value="{value}">{}</td>"#, text(&lang.number(value)));
            }
            Cell::MaybeCount(get) => match get(&i) {
                Some(value) => {
                    let _ = write!(out, r#"<td class="num" data-value="{value}">{}</td>"#, text(&lang.number(value)));
                }
                None => out.push_str(r#"<td class="num">–</td>"#),
            },
            Cell::Percent(get) => {
                let ratio = get(&i);
                out.push_str(r#"<td class="num""#);
                ratio_attrs(&mut out, ratio);
                let percent = ratio.map(|r| percent_plain(r.num, r.den)).unwrap_or_default();
                let _ = write!(out, r#" data-percent="{}">{}</td>"#, attr(&percent), text(&lang.ratio_percent(ratio)));
            }
            Cell::Decimal(get) => {
                let ratio = get(&i);
                out.push_str(r#"<td class="num""#);
                ratio_attrs(&mut out, ratio);
                let _ = write!(out, ">{}</td>", text(&lang.decimal(ratio)));
            }
            Cell::Html(write) => out.push_str(&write(&i, lang)),
        }
    }
    out
}

/// Tables of more rows than this have filters.
const FILTER_FROM: usize = 10;

/// Page sizes offered; 0 is "all".
const PAGE_SIZES: [usize; 4] = [25, 100, 500, 0];

#[component]
pub fn DataTable<R>(
    /// `data-testid` of the table; its controls' ids derive from it.
    testid: &'static str,
    caption: Signal<String>,
    /// The rows: fixed, or following the audit.
    #[prop(into)]
    rows: Signal<Arc<Vec<R>>>,
    columns: Vec<Column<R>>,
    /// The row's id: `data-code` of its `<tr>`, and the CSV's first column.
    row_key: fn(&R) -> String,
    /// The name of the downloaded file.
    file_name: String,
    /// The text the filter box searches, per row; without it, no filter box.
    #[prop(optional)]
    filter_text: Option<fn(&R) -> String>,
    /// A council's kind, per row; with it, a city/village filter.
    #[prop(optional)]
    kind: Option<fn(&R) -> ContestKind>,
    /// A class for rows that need to stand out (e.g. a mismatch).
    #[prop(optional)]
    row_class: Option<fn(&R) -> Option<&'static str>>,
    #[prop(optional)] initial_sort: Option<(&'static str, Direction)>,
    #[prop(default = 100)] page_size: usize,
    /// Tells apart tables of the same kind on one page (e.g. a province's code):
    /// `data-scope` of the table, and part of its element ids.
    #[prop(optional)]
    scope: Option<String>,
) -> impl IntoView
where
    R: Clone + Send + Sync + 'static,
{
    // Everything per row is computed here, once per row set; the table itself
    // works on row indices, so its (large) view code is compiled once for
    // every kind of row.
    let heads = columns
        .iter()
        .map(|c| Head { key: c.key, label: c.label, numeric: c.numeric, sorts: c.sort.is_some() })
        .collect();
    let erase = move |rows: &Arc<Vec<R>>| {
        let columns: Vec<Column<usize>> = columns.iter().map(|c| c.erase(rows)).collect();
        Snapshot(Arc::new(Rows {
            total: rows.len(),
            keys: rows.iter().map(row_key).collect(),
            filter_keys: filter_text.map(|text| rows.iter().map(|r| search::compact(&text(r))).collect()),
            kinds: kind.map(|kind| rows.iter().map(kind).collect()),
            classes: row_class.map(|class| rows.iter().map(class).collect()),
            columns,
        }))
    };
    let spec = Spec {
        testid,
        caption,
        heads,
        rows: Memo::new(move |_| rows.with(|rows| erase(rows))),
        filters: filter_text.is_some(),
        kinds: kind.is_some(),
        file_name,
        initial_sort,
        page_size,
        scope,
    };
    table(spec)
}

/// A table's rows, reduced to what the table needs, by row index.
struct Rows {
    total: usize,
    keys: Vec<String>,
    filter_keys: Option<Vec<String>>,
    kinds: Option<Vec<ContestKind>>,
    classes: Option<Vec<Option<&'static str>>>,
    columns: Vec<Column<usize>>,
}

impl Rows {
    /// What row `i` shows (its values as the CSV has them, its link and its
    /// class), hashed: the row is drawn again when this changes. Worked out
    /// for the rows of the page only.
    fn fingerprint(&self, i: usize) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for column in &self.columns {
            for (_, value) in &column.csv {
                value(&i).hash(&mut hasher);
            }
            if let Cell::Name(_, href) = &column.cell {
                href(&i).hash(&mut hasher);
            }
        }
        self.classes.as_ref().map(|c| c[i]).hash(&mut hasher);
        hasher.finish()
    }
}

/// One set of rows; a new set is a new snapshot.
#[derive(Clone)]
struct Snapshot(Arc<Rows>);

impl PartialEq for Snapshot {
    fn eq(&self, other: &Snapshot) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A column's header.
struct Head {
    key: &'static str,
    label: Msg,
    numeric: bool,
    sorts: bool,
}

/// What the table is drawn from.
struct Spec {
    testid: &'static str,
    caption: Signal<String>,
    heads: Vec<Head>,
    rows: Memo<Snapshot>,
    /// Whether it has a filter by name, and one by kind.
    filters: bool,
    kinds: bool,
    file_name: String,
    initial_sort: Option<(&'static str, Direction)>,
    page_size: usize,
    scope: Option<String>,
}

fn table(spec: Spec) -> impl IntoView {
    let Spec { testid, caption, heads, rows, filters, kinds, file_name, initial_sort, page_size, scope } = spec;
    let lang = use_lang();
    // The controls are shown from the first row set's size.
    let total = rows.with_untracked(|r| r.0.total);

    // Kept for the visit: a live update redraws the page, and the table
    // comes back as the reader left it.
    let control = |what: &str| format!("table:{testid}:{}:{what}", scope.as_deref().unwrap_or(""));
    let query = remembered(&control("query"), String::new());
    let kind_filter = remembered(&control("kind"), None::<ContestKind>);
    let initial_sort = initial_sort.and_then(|(key, d)| heads.iter().position(|c| c.key == key).map(|i| (i, d)));
    let sort = remembered(&control("sort"), initial_sort);
    let page = remembered(&control("page"), 0usize);
    let size = remembered(&control("size"), page_size);

    // The rows the filters let through, in the order of the sort: indices into the rows.
    let shown = Memo::new(move |_| {
        let query = search::compact(&query.get());
        let wanted = kind_filter.get();
        let sort = sort.get();
        let lang = lang.get();
        rows.with(|rows| {
            let Rows { total, filter_keys, kinds, columns, .. } = &*rows.0;
            let mut shown: Vec<usize> = (0..*total)
                .filter(|&i| query.is_empty() || filter_keys.as_ref().is_none_or(|keys| keys[i].contains(&query)))
                .filter(|&i| wanted.is_none_or(|k| kinds.as_ref().is_none_or(|kinds| kinds[i] == k)))
                .collect();
            if let Some((column, direction)) = sort {
                if let Some(key_of) = columns.get(column).and_then(|c| c.sort.as_ref()) {
                    let mut keyed: Vec<(SortKey, usize)> = shown.iter().map(|&i| (key_of(&i, lang), i)).collect();
                    // Equal keys keep the rows' own order.
                    keyed.sort_by(|a, b| compare(&a.0, &b.0, direction).then(a.1.cmp(&b.1)));
                    shown = keyed.into_iter().map(|(_, i)| i).collect();
                }
            }
            shown
        })
    });
    let pages = Memo::new(move |_| {
        let len = shown.with(Vec::len);
        match size.get() {
            0 => 1,
            size => len.div_ceil(size).max(1),
        }
    });
    let current = move || page.get().min(pages.get() - 1);
    // The rows of the page, each with what it shows: a row whose values
    // change is drawn again, the others stay.
    let visible = Memo::new(move |_| {
        let size = size.get();
        let current = current();
        let page: Vec<usize> = shown.with(|shown| {
            if size == 0 {
                return shown.clone();
            }
            let start = (current * size).min(shown.len());
            let end = (start + size).min(shown.len());
            shown[start..end].to_vec()
        });
        rows.with(|rows| page.into_iter().map(|i| (i, rows.0.fingerprint(i))).collect::<Vec<_>>())
    });

    let headers = heads
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let label = column.label;
            let class = column.numeric.then_some("num");
            let key = column.key;
            if !column.sorts {
                return view! { <th scope="col" class=class data-column=key>{tr(label)}</th> }.into_any();
            }
            let numeric = column.numeric;
            let state = move || sort.get().filter(|(c, _)| *c == i).map(|(_, d)| d);
            let toggle = move |_| {
                // Numbers start with the largest, names with the first letter.
                let next = match state() {
                    Some(Direction::Descending) => Direction::Ascending,
                    Some(Direction::Ascending) => Direction::Descending,
                    None if numeric => Direction::Descending,
                    None => Direction::Ascending,
                };
                sort.set(Some((i, next)));
                page.set(0);
            };
            let icon = move || match state() {
                Some(Direction::Ascending) => "▲",
                Some(Direction::Descending) => "▼",
                None => "↕",
            };
            view! {
                <th scope="col" class=class data-column=key aria-sort=move || state().map(Direction::aria)>
                    <button type="button" class="sort" on:click=toggle>
                        {tr(label)}
                        " "
                        <span class="sort-icon" aria-hidden="true">{icon}</span>
                    </button>
                </th>
            }
            .into_any()
        })
        .collect_view();

    let download = move |_| {
        let mut csv = Csv::new();
        rows.with_untracked(|rows| {
            let Rows { keys, columns, .. } = &*rows.0;
            let header = std::iter::once("id".to_owned())
                .chain(columns.iter().flat_map(|c| c.csv.iter().map(|(name, _)| name.clone())));
            csv.row(header);
            shown.with_untracked(|shown| {
                for &i in shown {
                    let cells = std::iter::once(keys[i].clone())
                        .chain(columns.iter().flat_map(|c| c.csv.iter().map(move |(_, value)| value(&i))));
                    csv.row(cells);
                }
            });
        });
        csv::download(&file_name, &csv.finish());
    };

    // A handful of rows needs no filter.
    let filterable = total > FILTER_FROM;
    let filter = (filters && filterable).then(|| {
        view! {
            <label class="control">
                <span>{tr(Msg::FilterByName)}</span>
                <input
                    type="search"
                    data-testid=format!("{testid}-filter")
                    prop:value=move || query.get()
                    on:input:target=move |ev| {
                        query.set(ev.target().value());
                        page.set(0);
                    }
                />
            </label>
        }
    });
    let kind_select = (kinds && filterable).then(|| {
        view! {
            <label class="control">
                <span>{tr(Msg::KindOfCouncil)}</span>
                <select
                    data-testid=format!("{testid}-kind")
                    prop:value=move || match kind_filter.get() {
                        Some(ContestKind::City) => "city",
                        Some(ContestKind::Village) => "village",
                        None => "",
                    }
                    on:change:target=move |ev| {
                        kind_filter
                            .set(
                                match ev.target().value().as_str() {
                                    "city" => Some(ContestKind::City),
                                    "village" => Some(ContestKind::Village),
                                    _ => None,
                                },
                            );
                        page.set(0);
                    }
                >
                    <option value="">{tr(Msg::AllKinds)}</option>
                    <option value="city">{tr(Msg::CityContests)}</option>
                    <option value="village">{tr(Msg::VillageContests)}</option>
                </select>
            </label>
        }
    });

    let pager = (total > PAGE_SIZES[0]).then(|| {
        let options = PAGE_SIZES
            .into_iter()
            .map(|n| {
                view! {
                    <option value=n.to_string() prop:selected=move || size.get() == n>
                        {move || if n == 0 { lang.get().t(Msg::AllRows).to_owned() } else { lang.get().number(n as u64) }}
                    </option>
                }
            })
            .collect_view();
        // Previous and next only when there is more than one page.
        let paging = move || {
            (pages.get() > 1).then(|| {
                view! {
                    <button
                        type="button"
                        data-testid=format!("{testid}-previous")
                        disabled=move || { current() == 0 }
                        on:click=move |_| page.set(current().saturating_sub(1))
                    >
                        {tr(Msg::PreviousPage)}
                    </button>
                    <span class="pager-position" aria-live="polite">
                        {text(move |lang| lang.page_of(current() + 1, pages.get()))}
                    </span>
                    <button
                        type="button"
                        data-testid=format!("{testid}-next")
                        disabled=move || { current() + 1 >= pages.get() }
                        on:click=move |_| page.set(current() + 1)
                    >
                        {tr(Msg::NextPage)}
                    </button>
                }
            })
        };
        view! {
            <nav class="pager" aria-label=move || format!("{} — {}", caption.get(), lang.get().t(Msg::Pages))>
                {paging}
                <label class="control">
                    <span>{tr(Msg::RowsPerPage)}</span>
                    <select
                        data-testid=format!("{testid}-page-size")
                        on:change:target=move |ev| {
                            size.set(ev.target().value().parse().unwrap_or(PAGE_SIZES[1]));
                            page.set(0);
                        }
                    >
                        {options}
                    </select>
                </label>
            </nav>
        }
    });

    let caption_id = match &scope {
        Some(scope) => format!("{testid}-{scope}-caption"),
        None => format!("{testid}-caption"),
    };
    let region_label = caption_id.clone();
    // A row as the rows are now (a change of what it shows makes a new row),
    // drawn again as a whole in the other language: one reactive part per
    // row, not per cell, keeps a long table's first drawing short.
    let body_rows = move |(i, _): (usize, u64)| {
        move || {
            let lang = lang.get();
            rows.with_untracked(|rows| {
                let Rows { keys, classes, columns, .. } = &*rows.0;
                let class = classes.as_ref().and_then(|c| c[i]);
                view! { <tr data-code=keys[i].clone() class=class inner_html=row_html(columns, i, lang)></tr> }
            })
        }
    };
    let sort_key = move || sort.get().and_then(|(c, _)| heads.get(c).map(|c| c.key));
    view! {
        <div class="data-table">
            <div class="table-tools">
                {filter}
                {kind_select}
                <button type="button" class="csv-button" data-testid=format!("{testid}-csv") on:click=download>
                    <span aria-hidden="true">"⤓ "</span>
                    {text(move |lang| lang.download_csv(shown.with(Vec::len)))}
                </button>
                <p class="table-count" aria-live="polite" data-testid=format!("{testid}-count")>
                    {text(move |lang| lang.rows_shown(shown.with(Vec::len), rows.with(|r| r.0.total)))}
                </p>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=region_label>
                <table
                    data-testid=testid
                    data-scope=scope
                    data-rows=move || shown.with(Vec::len).to_string()
                    data-sort-column=sort_key
                    data-sort-direction=move || sort.get().map(|(_, d)| d.aria())
                >
                    <caption id=caption_id>{caption}</caption>
                    <thead>
                        <tr>{headers}</tr>
                    </thead>
                    <tbody>
                        <For each=move || visible.get() key=|row| *row children=body_rows/>
                    </tbody>
                </table>
            </div>
            {pager}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_ratios_exactly_and_missing_values_last() {
        let r = |n, d| SortKey::Ratio(Ratio::new(n, d));
        let mut keys = vec![r(1, 3), SortKey::Ratio(None), r(2, 6), r(1, 2), r(0, 5)];
        keys.sort_by(|a, b| compare(a, b, Direction::Descending));
        assert_eq!(keys, vec![r(1, 2), r(1, 3), r(2, 6), r(0, 5), SortKey::Ratio(None)]);
        keys.sort_by(|a, b| compare(a, b, Direction::Ascending));
        assert_eq!(keys, vec![r(0, 5), r(1, 3), r(2, 6), r(1, 2), SortKey::Ratio(None)]);
    }

    #[test]
    fn a_row_as_html_escapes_what_the_publication_wrote() {
        use shafaf_core::model::Text;
        struct Row(Name, Option<u64>, Option<Ratio>);
        let name = Name { fa: Text::new("<b>\"ده\" & 'باغ'</b>").unwrap(), en: Text::new("Bagh").unwrap() };
        let rows = Arc::new(vec![Row(name, None, Ratio::new(1, 3))]);
        let columns: Vec<Column<usize>> = [
            Column::name("name", Msg::Council, |r: &Row| r.0.clone(), |_| Some("/c/\"x\"?a=1&b=2".to_owned())),
            Column::maybe_count("ballots", Msg::BallotsCast, |r: &Row| r.1),
            Column::percent("turnout", Msg::Turnout, |r: &Row| r.2),
        ]
        .iter()
        .map(|c| c.erase(&rows))
        .collect();
        let html = row_html(&columns, 0, Lang::En);
        assert_eq!(
            html,
            concat!(
                r#"<th scope="row"><a href="/c/&quot;x&quot;?a=1&amp;b=2">Bagh</a></th>"#,
                r#"<td class="num">–</td>"#,
                r#"<td class="num" data-num="1" data-den="3" data-percent="33.3">33.3%</td>"#,
            )
        );
        let persian = row_html(&columns, 0, Lang::Fa);
        assert!(persian.contains("&lt;b&gt;\"ده\" &amp; 'باغ'&lt;/b&gt;"), "{persian}");
        // A column that writes its own cell, in the row's language.
        let own = Column::html(
            "x",
            Msg::Council,
            |r: &Row, lang| format!("<td>{}</td>", escape_text(&lang.name(&r.0))),
            |_| SortKey::Missing,
            |_| String::new(),
        );
        assert_eq!(row_html(&[own.erase(&rows)], 0, Lang::En), "<td>Bagh</td>");
    }

    #[test]
    fn sorts_counts_with_missing_last() {
        let mut keys = vec![SortKey::Count(3), SortKey::Missing, SortKey::Count(10)];
        keys.sort_by(|a, b| compare(a, b, Direction::Ascending));
        assert_eq!(keys, vec![SortKey::Count(3), SortKey::Count(10), SortKey::Missing]);
    }
}
