//! JSON text in and out of the core's serde types.
//!
//! Natively this is `serde_json`. In the browser it is the browser's own
//! `JSON.parse` and `JSON.stringify`, with `serde-wasm-bindgen` between the
//! JavaScript value and the Rust type: the same serde derives and field names,
//! without `serde_json`'s parser and number formatting in the widget's module
//! (measured: 7.7 KB brotli less on every page). The tests below run in
//! both places.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a text was not the JSON that was expected: a field or a type (serde's
/// wording, which may quote a string it did not expect; none of the texts
/// read here holds a password, and a response's message is never shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(String);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

/// Parses `text` as a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    imp::from_str(text)
}

/// Writes `value` as compact JSON (fields in declaration order, `None` as `null`).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    imp::to_string(value)
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        serde_json::from_str(text).map_err(|e| JsonError(without_position(&e)))
    }

    pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
        serde_json::to_string(value).map_err(|e| JsonError(e.to_string()))
    }

    /// serde_json ends its messages with " at line L column C"; the browser
    /// build cannot say where, so neither says it.
    fn without_position(error: &serde_json::Error) -> String {
        let text = error.to_string();
        match text.rfind(" at line ") {
            Some(at) => text[..at].to_string(),
            None => text,
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
        // JSON.parse's SyntaxError quotes the text: never pass it on.
        let value = js_sys::JSON::parse(text).map_err(|_| JsonError("not valid JSON".into()))?;
        T::deserialize(parsed::Parsed(value)).map_err(|e| JsonError(e.to_string()))
    }

    pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
        // Objects rather than Maps, and None as null, as serde_json writes them.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let value = value
            .serialize(&serializer)
            .map_err(|e| JsonError(e.to_string()))?;
        js_sys::JSON::stringify(&value)
            .map(String::from)
            .map_err(|_| JsonError("not serialisable as JSON".into()))
    }
}

/// A value from `JSON.parse` read into serde types, the way serde_json reads
/// its text: an object gives a struct every key it has (serde-wasm-bindgen
/// asks only for the fields a struct names, so a misspelt key would pass
/// `deny_unknown_fields`), numbers are integers when they are whole, and a
/// string names a unit variant. JSON has nothing else, so nothing else is read.
#[cfg(target_arch = "wasm32")]
mod parsed {
    use js_sys::{Array, Number, Object, Reflect};
    use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
    use wasm_bindgen::{JsCast, JsValue};

    type Error = serde::de::value::Error;

    pub struct Parsed(pub JsValue);

    /// Every own key of an object, in order, each with its value.
    struct Entries {
        keys: std::vec::IntoIter<String>,
        object: Object,
        value: Option<JsValue>,
    }

    impl<'de> MapAccess<'de> for Entries {
        type Error = Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Error> {
            let Some(key) = self.keys.next() else {
                return Ok(None);
            };
            self.value = Reflect::get(&self.object, &JsValue::from_str(&key)).ok();
            seed.deserialize(key.into_deserializer()).map(Some)
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
            seed.deserialize(Parsed(self.value.take().unwrap_or(JsValue::NULL)))
        }
    }

    struct Elements {
        array: Array,
        next: u32,
    }

    impl<'de> SeqAccess<'de> for Elements {
        type Error = Error;

        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Error> {
            if self.next >= self.array.length() {
                return Ok(None);
            }
            let value = self.array.get(self.next);
            self.next += 1;
            seed.deserialize(Parsed(value)).map(Some)
        }
    }

    impl<'de> de::Deserializer<'de> for Parsed {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let value = self.0;
            if value.is_null() || value.is_undefined() {
                visitor.visit_unit()
            } else if let Some(b) = value.as_bool() {
                visitor.visit_bool(b)
            } else if let Some(n) = value.as_f64() {
                match (Number::is_safe_integer(&value), n < 0.0) {
                    (true, true) => visitor.visit_i64(n as i64),
                    (true, false) => visitor.visit_u64(n as u64),
                    (false, _) => visitor.visit_f64(n),
                }
            } else if let Some(text) = value.as_string() {
                visitor.visit_string(text)
            } else if Array::is_array(&value) {
                visitor.visit_seq(Elements {
                    array: value.unchecked_into(),
                    next: 0,
                })
            } else {
                let object: Object = value.unchecked_into();
                let keys: Vec<String> = Object::keys(&object)
                    .iter()
                    .filter_map(|k| k.as_string())
                    .collect();
                visitor.visit_map(Entries {
                    keys: keys.into_iter(),
                    object,
                    value: None,
                })
            }
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            if self.0.is_null() || self.0.is_undefined() {
                visitor.visit_none()
            } else {
                visitor.visit_some(self)
            }
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, Error> {
            visitor.visit_newtype_struct(self)
        }

        /// Unit variants only (the widget's enums have no payload).
        fn deserialize_enum<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            match self.0.as_string() {
                Some(variant) => visitor.visit_enum(variant.into_deserializer()),
                None => Err(de::Error::custom("expected a string")),
            }
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
            identifier ignored_any
        }
    }
}

// The same tests run natively and, under `cargo test --target wasm32-unknown-unknown`,
// in headless Chromium against the browser's JSON.
#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Sample {
        user_id: String,
        note: Option<String>,
        count: u32,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        setting: Option<Setting>,
    }

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Setting {
        Enabled(bool),
        AtLeast(usize),
    }

    #[test]
    fn round_trips_with_declared_names_and_null_for_none() {
        let sample = Sample {
            user_id: "u-1".into(),
            note: None,
            count: 3,
            items: vec![Item {
                id: "a\"b\\c ✓".into(),
                setting: Some(Setting::AtLeast(2)),
            }],
        };
        let text = to_string(&sample).unwrap();
        assert_eq!(
            text,
            r#"{"userId":"u-1","note":null,"count":3,"items":[{"id":"a\"b\\c ✓","setting":2}]}"#
        );
        assert_eq!(from_str::<Sample>(&text).unwrap(), sample);
    }

    #[test]
    fn reads_untagged_options_and_missing_fields() {
        let s: Sample =
            from_str(r#"{"userId":"u","count":0,"items":[{"id":"x","setting":true},{"id":"y"}]}"#)
                .unwrap();
        assert_eq!(s.note, None);
        assert_eq!(s.items[0].setting, Some(Setting::Enabled(true)));
        assert_eq!(s.items[1].setting, None);
    }

    #[test]
    fn unknown_fields_are_refused_at_every_depth() {
        let top = from_str::<Sample>(r#"{"userId":"u","count":3,"lenght":1}"#).unwrap_err();
        assert!(top.to_string().contains("lenght"), "{top}");
        assert!(!top.to_string().contains("line"), "{top}");
        let nested =
            from_str::<Sample>(r#"{"userId":"u","count":3,"items":[{"id":"x","extra":1}]}"#)
                .unwrap_err();
        assert!(nested.to_string().contains("extra"), "{nested}");
    }

    #[test]
    fn wrong_types_and_bad_text_are_errors() {
        for text in [
            "{",
            "[1,2]",
            r#"{"userId":"u","count":-1}"#,
            r#"{"userId":"u","count":1.5}"#,
            r#"{"userId":"u","count":"3"}"#,
            r#"{"userId":7,"count":3}"#,
            r#"{"count":3}"#,
        ] {
            assert!(from_str::<Sample>(text).is_err(), "{text}");
        }
        // The browser's SyntaxError quotes the text; ours does not.
        let bad = from_str::<Sample>(r#"{"userId":"Hunter2-secret""#).unwrap_err();
        assert!(!bad.to_string().contains("Hunter2"), "{bad}");
    }
}
