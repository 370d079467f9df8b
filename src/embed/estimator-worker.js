// The estimator worker's entry point (a classic worker, so importScripts
// works everywhere): loads the wasm-bindgen glue and the zxcvbn module next
// to it. The module's start function installs the message handler and posts
// {"ready":true}; the page queues requests until then.
importScripts('./reset-estimator.js');
wasm_bindgen({ module_or_path: './reset-estimator_bg.wasm' }).catch((error) => {
  postMessage(JSON.stringify({ failed: String(error) }));
});
