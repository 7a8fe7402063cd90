//! Numbers as each language writes them. Every figure carries its raw value
//! for tests and scrapers, whatever the script: `data-value` (integers),
//! `data-num` and `data-den` (an exact ratio) and `data-percent` (its
//! percentage with one decimal, Latin digits).

use leptos::prelude::*;
use shafaf_core::summary::Ratio;

use crate::i18n::{percent_plain, text};

fn num(ratio: Option<Ratio>) -> Option<String> {
    ratio.map(|r| r.num.to_string())
}

fn den(ratio: Option<Ratio>) -> Option<String> {
    ratio.map(|r| r.den.to_string())
}

fn percent_attr(ratio: Option<Ratio>) -> String {
    ratio.map(|r| percent_plain(r.num, r.den)).unwrap_or_default()
}

/// A headline figure: a label and an integer, inside a `<dl>`.
#[component]
pub fn NumberFigure(
    /// Stable name of the figure for tests (`data-figure`).
    name: &'static str,
    label: Signal<&'static str>,
    value: u64,
    /// A few words under the figure.
    #[prop(optional, into)]
    note: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <div class="figure" data-figure=name>
            <dt>{label}</dt>
            <dd data-value=value.to_string()>{text(move |lang| lang.number(value))}</dd>
            {note.map(|note| view! { <dd class="figure-note">{note}</dd> })}
        </div>
    }
}

/// A headline percentage: `part / whole`, inside a `<dl>`.
#[component]
pub fn PercentFigure(name: &'static str, label: Signal<&'static str>, part: u64, whole: u64) -> impl IntoView {
    view! { <RatioFigure name label ratio=Ratio::new(part, whole)/> }
}

/// A headline ratio as a percentage, with an optional note (e.g. "12 of 40").
#[component]
pub fn RatioFigure(
    name: &'static str,
    label: Signal<&'static str>,
    ratio: Option<Ratio>,
    #[prop(optional, into)] note: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <div class="figure" data-figure=name>
            <dt>{label}</dt>
            <dd data-num=num(ratio) data-den=den(ratio) data-percent=percent_attr(ratio)>
                {text(move |lang| lang.ratio_percent(ratio))}
            </dd>
            {note.map(|note| view! { <dd class="figure-note">{note}</dd> })}
        </div>
    }
}

/// A headline ratio with two decimals, with an optional note.
#[component]
pub fn DecimalFigure(
    name: &'static str,
    label: Signal<&'static str>,
    ratio: Option<Ratio>,
    #[prop(optional, into)] note: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <div class="figure" data-figure=name>
            <dt>{label}</dt>
            <dd data-num=num(ratio) data-den=den(ratio)>{text(move |lang| lang.decimal(ratio))}</dd>
            {note.map(|note| view! { <dd class="figure-note">{note}</dd> })}
        </div>
    }
}
