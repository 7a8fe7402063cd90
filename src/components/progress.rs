//! What loading is doing: a determinate bar while files download, an
//! indeterminate one while the browser verifies.

use leptos::prelude::*;

use crate::i18n::{text, tr, Msg};
use crate::load::Progress;

#[component]
pub fn ProgressIndicator(progress: ReadSignal<Progress>) -> impl IntoView {
    // One bar from start to end: replacing it at each step would shift the
    // text below it. Without a value it is indeterminate: verification has
    // no steps to count.
    let files = move || match progress.get() {
        Progress::Files { bytes_done, bytes_total, .. } => Some((bytes_done, bytes_total.max(1))),
        _ => None,
    };
    let (downloading, verifying) = (tr(Msg::DownloadProgress), tr(Msg::VerifyProgress));
    view! {
        <div class="progress" data-testid="progress" data-phase=move || phase(progress.get())>
            <progress
                max=move || files().map(|(_, total)| total.to_string())
                value=move || files().map(|(done, _)| done.to_string())
                aria-label=move || if files().is_some() { downloading() } else { verifying() }
                aria-describedby="progress-text"
            ></progress>
            <p id="progress-text" aria-live="polite">{text(move |lang| lang.progress(progress.get()))}</p>
        </div>
    }
}

fn phase(progress: Progress) -> &'static str {
    match progress {
        Progress::Config => "config",
        Progress::Metadata => "metadata",
        Progress::Files { .. } => "files",
        Progress::Verifying => "verifying",
    }
}
