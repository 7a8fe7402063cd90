//! Saving a chart: its SVG as drawn (serialised by the browser), or a PNG
//! painted from that SVG on a canvas at twice its size.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Downloads the `<svg id=…>` as an SVG file.
pub fn svg(id: &str, file_name: &str) {
    let _ = try_svg(id, file_name);
}

/// Downloads the `<svg id=…>` as a PNG file.
pub fn png(id: &str, file_name: &str) {
    let _ = try_png(id, file_name);
}

fn svg_text(id: &str) -> Option<(String, f64, f64)> {
    let document = web_sys::window()?.document()?;
    let element = document.get_element_by_id(id)?;
    let text = web_sys::XmlSerializer::new().ok()?.serialize_to_string(&element).ok()?;
    let width = element.get_attribute("width")?.parse().ok()?;
    let height = element.get_attribute("height")?.parse().ok()?;
    Some((text, width, height))
}

fn svg_blob(text: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml;charset=utf-8");
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}

fn try_svg(id: &str, file_name: &str) -> Option<()> {
    let (text, _, _) = svg_text(id)?;
    save(&svg_blob(&text)?, file_name)
}

fn try_png(id: &str, file_name: &str) -> Option<()> {
    let (text, width, height) = svg_text(id)?;
    let document = web_sys::window()?.document()?;
    let url = web_sys::Url::create_object_url_with_blob(&svg_blob(&text)?).ok()?;
    let image = web_sys::HtmlImageElement::new().ok()?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    let scale = 2.0;
    canvas.set_width((width * scale) as u32);
    canvas.set_height((height * scale) as u32);
    let file_name = file_name.to_owned();
    let (img, svg_url) = (image.clone(), url.clone());
    let onload = Closure::once_into_js(move || {
        let _ = (|| -> Option<()> {
            let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
            context.scale(scale, scale).ok()?;
            context.draw_image_with_html_image_element(&img, 0.0, 0.0).ok()?;
            let _ = web_sys::Url::revoke_object_url(&svg_url);
            let done = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
                if let Some(blob) = blob {
                    let _ = save(&blob, &file_name);
                }
            });
            canvas.to_blob(done.unchecked_ref()).ok()
        })();
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
    Some(())
}

fn save(blob: &web_sys::Blob, file_name: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.set_hidden(true);
    document.body()?.append_child(&link).ok()?;
    link.click();
    link.remove();
    // Revoked later: the download reads the blob after this returns.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = web_sys::window()?.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Some(())
}
