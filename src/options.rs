//! Reads the options object of `search`, `results` and `facets` into the core's
//! [`OptionOverrides`], through its serde `Deserialize` (the one declaration of the options).
//!
//! A deserializer of its own rather than `serde_wasm_bindgen::from_value`: serde's messages for
//! a mistyped value print JS numbers as `f64`, and Rust's float formatting was the largest single
//! piece of the engine (about 25 KB of 340 KB, see docs/BENCHMARKS.md). Here JS describes its own
//! numbers, and the errors say the same things: the option, what it must be, what it got.

use std::fmt;

use js_sys::{Array, Object, Reflect};
use papersift_core::search::OptionOverrides;
use serde::de::{self, DeserializeSeed, Expected, IntoDeserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Deserializes `value`, a JS object whose keys are all options (the caller checked).
pub(crate) fn overrides(value: JsValue) -> Result<OptionOverrides, String> {
    serde::Deserialize::deserialize(JsDeserializer(value)).map_err(|Error(message)| message)
}

#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }

    // serde's own message formats `Unexpected` whole, floats included; this deserializer never
    // hands serde a float, so every other case is described without them.
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error(format!("expected {expected}, got {}", unexpected_text(unexpected)))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Error(format!("expected {expected}, got {}", unexpected_text(unexpected)))
    }
}

fn unexpected_text(unexpected: Unexpected<'_>) -> String {
    match unexpected {
        Unexpected::Bool(value) => format!("the boolean {value}"),
        Unexpected::Unsigned(value) => format!("the number {value}"),
        Unexpected::Signed(value) => format!("the number {value}"),
        Unexpected::Str(text) => format!("the string {text:?}"),
        Unexpected::Seq => "an array".to_string(),
        Unexpected::Map => "an object".to_string(),
        Unexpected::Unit | Unexpected::Option => "null".to_string(),
        _ => "a value of another type".to_string(),
    }
}

struct JsDeserializer(JsValue);

impl<'de> de::Deserializer<'de> for JsDeserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Shape::of(self.0) {
            Shape::Nothing => visitor.visit_unit(),
            Shape::Bool(on) => visitor.visit_bool(on),
            Shape::Str(text) => visitor.visit_string(text),
            Shape::Unsigned(number) => visitor.visit_u64(number),
            Shape::Signed(number) => visitor.visit_i64(number),
            Shape::Array(items) => visitor.visit_seq(Items { items, next: 0 }),
            Shape::Object(object, keys) => visitor.visit_map(Entries { object, keys, next: 0 }),
            Shape::Other(shown) => Err(Error(format!("expected {}, got {shown}", &visitor as &dyn Expected))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// What a JS value is, as far as options go; worked out once, outside the code serde
/// generates for each option's type.
enum Shape {
    Nothing,
    Bool(bool),
    Str(String),
    Unsigned(u64),
    Signed(i64),
    Array(Array),
    Object(Object, Array),
    /// Anything else, described for the error: `the number 1.5`, `a function`.
    Other(String),
}

impl Shape {
    #[inline(never)]
    fn of(value: JsValue) -> Shape {
        if value.is_null() || value.is_undefined() {
            return Shape::Nothing;
        }
        if let Some(on) = value.as_bool() {
            return Shape::Bool(on);
        }
        if let Some(text) = value.as_string() {
            return Shape::Str(text);
        }
        if let Some(number) = value.as_f64() {
            // Whole numbers go to serde as integers, which it range-checks; anything else is
            // refused, described by JS (`1.5`, `NaN`, `1e+300`).
            if number.fract() == 0.0 && number.abs() <= 9_007_199_254_740_991.0 {
                return if number >= 0.0 { Shape::Unsigned(number as u64) } else { Shape::Signed(number as i64) };
            }
            let shown = js_sys::Number::from(value).to_string_with_radix(10).map(String::from).unwrap_or_default();
            return Shape::Other(format!("the number {shown}"));
        }
        if Array::is_array(&value) {
            return Shape::Array(Array::from(&value));
        }
        match value.dyn_into::<Object>() {
            Ok(object) => {
                let keys = Object::keys(&object);
                Shape::Object(object, keys)
            }
            Err(value) => Shape::Other(format!("a {}", value.js_typeof().as_string().unwrap_or_default())),
        }
    }
}

/// The items of a JS array.
struct Items {
    items: Array,
    next: u32,
}

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        self.next += 1;
        seed.deserialize(JsDeserializer(self.items.get(self.next - 1))).map(Some)
    }
}

/// The own enumerable properties of a JS object, in `Object.keys` order.
struct Entries {
    object: Object,
    keys: Array,
    next: u32,
}

impl Entries {
    fn key(&self) -> String {
        self.keys.get(self.next).as_string().unwrap_or_default()
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if self.next >= self.keys.length() {
            return Ok(None);
        }
        seed.deserialize(self.key().into_deserializer()).map(Some)
    }

    /// The value of the key just read; errors name the option (`limit: expected u32, got ...`).
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let key = self.key();
        self.next += 1;
        Reflect::get(&self.object, &JsValue::from_str(&key))
            .map_err(|_| Error("cannot be read".to_string()))
            .and_then(|value| seed.deserialize(JsDeserializer(value)))
            .map_err(|Error(message)| Error(format!("{key}: {message}")))
    }
}
