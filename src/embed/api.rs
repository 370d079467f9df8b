//! The JavaScript API, re-exported by `reset-widget.js`: the same core the
//! dialog uses. Values cross as JSON text (no extra serialisation crate).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::core::config::{GeneratorSettings, PolicySettings};
use crate::core::generator::generate;
use crate::core::policy::{Blocklist, UserWords};
use crate::core::random::OsRandom;
use crate::core::strength::{Estimate, Strength};
use crate::i18n::texts_for;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GeneratedJs<'a> {
    password: &'a str,
    entropy_bits: f64,
}

/// `generatePassword(options)`: `{ password, entropyBits }`, or an Error
/// naming the bad option.
#[wasm_bindgen(js_name = generatePasswordJson)]
pub fn generate_password_json(options: &str) -> Result<String, JsError> {
    let settings: GeneratorSettings = crate::core::json::from_str(options)
        .map_err(|e| JsError::new(&format!("generatePassword: {e}")))?;
    let options = settings.to_options().map_err(|e| {
        JsError::new(&format!(
            "generatePassword: option {}: {}",
            e.attribute, e.message
        ))
    })?;
    let generated = generate(&options, &mut OsRandom)
        .map_err(|e| JsError::new(&format!("generatePassword: {e}")))?;
    let json = GeneratedJs {
        password: generated.password.expose(),
        entropy_bits: generated.entropy_bits,
    };
    Ok(crate::core::json::to_string(&json).expect("serialisable"))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PolicyJs {
    min_length: Option<usize>,
    max_length: Option<usize>,
    min_score: Option<u8>,
    require_classes: Option<u8>,
    #[serde(default)]
    blocklist: Vec<String>,
    lang: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UserJs {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    user_name: String,
    #[serde(default)]
    user_email: String,
    #[serde(default)]
    context_words: Vec<String>,
}

#[derive(Serialize)]
struct ReasonJs {
    code: String,
    message: String,
}

#[derive(Serialize)]
struct PolicyResultJs {
    ok: bool,
    reasons: Vec<ReasonJs>,
}

/// `checkPolicy(password, policy, user)`, given the estimator's answer for
/// the password (the JS wrapper asks the estimator first).
#[wasm_bindgen(js_name = checkPolicyJson)]
pub fn check_policy_json(
    password: &str,
    policy: &str,
    user: &str,
    estimate: &str,
) -> Result<String, JsError> {
    let p: PolicyJs = crate::core::json::from_str(policy)
        .map_err(|e| JsError::new(&format!("checkPolicy: policy: {e}")))?;
    let u: UserJs = crate::core::json::from_str(user)
        .map_err(|e| JsError::new(&format!("checkPolicy: user: {e}")))?;
    let estimate: Estimate = crate::core::json::from_str(estimate)
        .map_err(|_| JsError::new("checkPolicy: no strength estimate"))?;
    let policy = PolicySettings {
        min_length: p.min_length,
        max_length: p.max_length,
        min_score: p.min_score,
        require_classes: p.require_classes,
    }
    .to_policy()
    .map_err(|e| {
        JsError::new(&format!(
            "checkPolicy: policy {}: {}",
            e.attribute, e.message
        ))
    })?;
    let user = UserWords {
        user_id: u.user_id,
        name: u.user_name,
        email: u.user_email,
        context: u.context_words,
    };
    let blocklist = if p.blocklist.is_empty() {
        Blocklist::None
    } else {
        Blocklist::parse(&p.blocklist.join("\n"))
    };
    let strength = Strength::from_estimate(estimate);
    let texts = texts_for(p.lang.as_deref().unwrap_or("en"));
    let reasons: Vec<ReasonJs> = policy
        .check(password, Some(&strength), &user, &blocklist)
        .iter()
        .map(|v| ReasonJs {
            code: v.code().to_string(),
            message: (texts.violation)(v),
        })
        .collect();
    let result = PolicyResultJs {
        ok: reasons.is_empty(),
        reasons,
    };
    Ok(crate::core::json::to_string(&result).expect("serialisable"))
}

/// A crack time in words, in the given language (for `estimateStrength`).
#[wasm_bindgen(js_name = crackTimeDisplay)]
pub fn crack_time_display(seconds: f64, lang: &str) -> String {
    (texts_for(lang).crack_time)(seconds)
}
