//! What loading is doing: a determinate bar while files download, an
//! indeterminate one while the browser verifies.

use leptos::prelude::*;

use crate::i18n::{text, tr, Msg};
use crate::load::Progress;

#[component]
pub fn ProgressIndicator(progress: ReadSignal<Progress>) -> impl IntoView {
    let bar = move || match progress.get() {
        Progress::Files { bytes_done, bytes_total, .. } => view! {
            <progress
                max=bytes_total.max(1).to_string()
                value=bytes_done.to_string()
                aria-label=tr(Msg::DownloadProgress)
                aria-describedby="progress-text"
            ></progress>
        }
        .into_any(),
        // Without a value the bar is indeterminate: verification has no steps to count.
        _ => view! {
            <progress
                aria-label=tr(Msg::VerifyProgress)
                aria-describedby="progress-text"
            ></progress>
        }
        .into_any(),
    };
    view! {
        <div class="progress" data-testid="progress" data-phase=move || phase(progress.get())>
            {bar}
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
