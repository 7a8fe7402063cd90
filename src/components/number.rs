//! Numbers as each language writes them. Every figure carries its raw value in
//! `data-value` (integers) or `data-percent` (one decimal, Latin digits), so
//! tests and scrapers can read exact values whatever the script.

use leptos::prelude::*;

use crate::i18n::{percent_plain, use_lang};

/// A table cell holding an integer.
#[component]
pub fn NumberCell(value: u64) -> impl IntoView {
    let lang = use_lang();
    view! { <td class="num" data-value=value.to_string()>{move || lang.get().number(value)}</td> }
}

/// A table cell holding `part / whole` as a percentage.
#[component]
pub fn PercentCell(part: u64, whole: u64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <td class="num" data-percent=percent_plain(part, whole)>
            {move || lang.get().percent(part, whole)}
        </td>
    }
}

/// A headline figure: a label and an integer, inside a `<dl>`.
#[component]
pub fn NumberFigure(
    /// Stable name of the figure for tests (`data-figure`).
    name: &'static str,
    label: Signal<&'static str>,
    value: u64,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="figure" data-figure=name>
            <dt>{label}</dt>
            <dd data-value=value.to_string()>{move || lang.get().number(value)}</dd>
        </div>
    }
}

/// A headline percentage: `part / whole`, inside a `<dl>`.
#[component]
pub fn PercentFigure(name: &'static str, label: Signal<&'static str>, part: u64, whole: u64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="figure" data-figure=name>
            <dt>{label}</dt>
            <dd data-percent=percent_plain(part, whole)>{move || lang.get().percent(part, whole)}</dd>
        </div>
    }
}
