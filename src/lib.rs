//! papersift for the browser: wasm bindings over papersift-core. TODO(widget).
