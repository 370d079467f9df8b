//! The estimator as the dialog sees it, backed by the page's `estimate`
//! function (`estimator-client.js`): the estimator module, fetched when the
//! admin chooses to type a password (`prepare`) or on first use, answers on
//! the page for passwords typed a key at a time and in a Web Worker for
//! pastes and slow keys.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::core::strength::Estimate;
use crate::dialog::services::{Estimator, LocalFuture};

pub struct PageEstimator {
    estimate: js_sys::Function,
    prepare: js_sys::Function,
}

impl PageEstimator {
    /// `estimate`: `(password, userInputs) => Promise<string>`;
    /// `prepare`: `() => void`, which starts loading the module.
    pub fn new(estimate: js_sys::Function, prepare: js_sys::Function) -> Self {
        Self { estimate, prepare }
    }
}

impl Estimator for PageEstimator {
    fn estimate(
        &self,
        password: &str,
        user_inputs: &[String],
    ) -> LocalFuture<Result<Estimate, ()>> {
        let inputs: js_sys::Array = user_inputs.iter().map(|s| JsValue::from_str(s)).collect();
        let promise = self
            .estimate
            .call2(&JsValue::NULL, &JsValue::from_str(password), &inputs);
        Box::pin(async move {
            let promise: js_sys::Promise = promise.map_err(|_| ())?.into();
            let reply = JsFuture::from(promise).await.map_err(|_| ())?;
            let json = reply.as_string().ok_or(())?;
            crate::core::json::from_str::<Estimate>(&json).map_err(|_| ())
        })
    }

    fn prepare(&self) {
        // A failed start is reported by the first estimate instead.
        let _ = self.prepare.call0(&JsValue::NULL);
    }
}
