//! What the reader set on a page (a table's sort and filter, a map's metric
//! and zoom, a chart's choice), kept for the visit by page address and
//! control. A live update redraws the page it shows with the newer release;
//! the controls then come back as the reader left them.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

type Values = HashMap<String, Arc<dyn Any + Send + Sync>>;

/// The remembered values, provided once by the app.
#[derive(Clone, Copy)]
pub struct ViewMemory(StoredValue<Values>);

impl ViewMemory {
    pub fn new() -> ViewMemory {
        ViewMemory(StoredValue::new(HashMap::new()))
    }
}

impl Default for ViewMemory {
    fn default() -> Self {
        ViewMemory::new()
    }
}

/// A signal for the control `control` of the page at the current address:
/// what the reader last set it to during this visit, else `initial`.
pub fn remembered<T>(control: &str, initial: T) -> RwSignal<T>
where
    T: Clone + Send + Sync + 'static,
{
    let memory = use_context::<ViewMemory>();
    let key = format!("{}#{control}", use_location().pathname.get_untracked());
    let kept =
        memory.and_then(|m| m.0.with_value(|values| values.get(&key).and_then(|v| v.downcast_ref::<T>().cloned())));
    let signal = RwSignal::new(kept.unwrap_or(initial));
    if let Some(memory) = memory {
        Effect::new(move |_| {
            let value = signal.get();
            memory.0.update_value(|values| {
                values.insert(key.clone(), Arc::new(value));
            });
        });
    }
    signal
}
