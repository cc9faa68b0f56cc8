//! What the piece loader would add to the engine wasm if written with web-sys (see measure.sh).
use wasm_bindgen::prelude::*;

/// Baseline: the engine takes a loaded piece's bytes (what it does with the JS loader).
#[wasm_bindgen]
pub fn add_piece(name: &str, bytes: &[u8]) -> Result<u32, JsError> {
    if bytes.is_empty() {
        return Err(JsError::new(&format!("papersift: {name} is truncated")));
    }
    Ok(bytes.iter().map(|&b| u32::from(b)).sum())
}

#[cfg(feature = "websys")]
mod loader {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    thread_local! {
        static WAITING: RefCell<HashMap<String, js_sys::Function>> = RefCell::new(HashMap::new());
    }

    fn failure(name: &str, reason: &str) -> JsValue {
        JsError::new(&format!("papersift: {name} could not be loaded ({reason})")).into()
    }

    async fn fetch_piece(base: &str, name: &str) -> Result<Vec<u8>, JsValue> {
        let window = web_sys::window().ok_or_else(|| failure(name, "no window"))?;
        let url = format!("{base}{name}.bin");
        let controller = web_sys::AbortController::new()?;
        let init = web_sys::RequestInit::new();
        init.set_signal(Some(&controller.signal()));
        let abort = Closure::once_into_js(move || controller.abort());
        let timer = window.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), 30_000)?;
        let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
            .await
            .map_err(|e| failure(name, &format!("{e:?}")))?;
        window.clear_timeout_with_handle(timer);
        let response: web_sys::Response = response.dyn_into()?;
        if !response.ok() {
            return Err(failure(name, &format!("HTTP {} from {url}", response.status())));
        }
        let buffer = JsFuture::from(response.array_buffer()?).await?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    async fn script_piece(base: &str, build: &str, name: &str) -> Result<Vec<u8>, JsValue> {
        let window = web_sys::window().ok_or_else(|| failure(name, "no window"))?;
        let document = window.document().ok_or_else(|| failure(name, "no document"))?;
        let url = format!("{base}{name}.js");
        let key = format!("{build}\0{name}");
        let script: web_sys::HtmlScriptElement = document.create_element("script")?.dyn_into()?;
        let done = js_sys::Promise::new(&mut |resolve, reject| {
            WAITING.with(|w| w.borrow_mut().insert(key.clone(), resolve));
            let n = name.to_string();
            let u = url.clone();
            let on_error = Closure::once_into_js(move || {
                let _ = reject.call1(&JsValue::NULL, &failure(&n, &format!("the script {u} failed to load")));
            });
            script.set_onerror(Some(on_error.unchecked_ref()));
        });
        script.set_src(&url);
        document.head().ok_or_else(|| failure(name, "no head"))?.append_child(&script)?;
        let text = JsFuture::from(done).await?;
        script.remove();
        let text = text.as_string().ok_or_else(|| failure(name, "no base64"))?;
        let decoded = js_sys::global()
            .unchecked_into::<web_sys::Window>()
            .atob(&text)
            .map_err(|_| failure(name, "bad base64"))?;
        Ok(decoded.chars().map(|c| c as u8).collect())
    }

    /// The callback piece scripts call.
    #[wasm_bindgen(js_name = papersiftPiece)]
    pub fn papersift_piece(build: &str, name: &str, base64: &str) {
        let key = format!("{build}\0{name}");
        if let Some(resolve) = WAITING.with(|w| w.borrow_mut().remove(&key)) {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(base64));
        }
    }

    /// Loads `names` in parallel, by fetch or by script, and returns their bytes.
    #[wasm_bindgen(js_name = loadPieces)]
    pub async fn load_pieces(base: String, build: String, names: Vec<String>) -> Result<js_sys::Array, JsValue> {
        let by_script = web_sys::window().map(|w| w.location().protocol().ok() == Some("file:".into())).unwrap_or(false);
        let cache: Rc<RefCell<HashMap<String, Vec<u8>>>> = Rc::default();
        let mut futures = Vec::new();
        for name in &names {
            let (base, build, name) = (base.clone(), build.clone(), name.clone());
            futures.push(async move {
                if by_script { script_piece(&base, &build, &name).await } else { fetch_piece(&base, &name).await }
            });
        }
        let out = js_sys::Array::new();
        for (name, f) in names.iter().zip(futures) {
            let bytes = f.await?;
            out.push(&js_sys::Uint8Array::from(&bytes[..]));
            cache.borrow_mut().insert(name.clone(), bytes);
        }
        Ok(out)
    }
}
