// Starts the web app: loads the WebAssembly module wasm-bindgen built. A file of its own (not
// an inline script) so that the content security policy allows only the app's own scripts.
import init from "/lianqiao.js";
init({ module_or_path: "/lianqiao_bg.wasm" });
