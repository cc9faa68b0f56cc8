//! Search options, declared once. [`declare_search_options!`] below generates from one list the
//! options struct ([`SearchOptions`]), the overrides a caller spells by name ([`OptionOverrides`],
//! which the wasm binding deserializes from JS and the CLI fills from its flags) and the list of
//! names and TypeScript types ([`OPTIONS`]) that `js/papersift.d.ts` is checked against.

use serde::Deserialize;

/// One search option as callers spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The name in JS (`yearMin`).
    pub name: &'static str,
    /// Its TypeScript type in `js/papersift.d.ts` (`number`, `string[]`, `boolean`).
    pub ts_type: &'static str,
}

macro_rules! declare_search_options {
    ($(
        $(#[doc = $doc:literal])+
        $field:ident: $ty:ty = $default:expr,
        js $js:literal: $ts:literal as $wire:ty => |$value:ident| $convert:expr;
    )+) => {
        /// Options for a search. `SearchOptions::default()` is what the widget and the CLI use.
        #[derive(Debug, Clone, PartialEq)]
        pub struct SearchOptions {
            $( $(#[doc = $doc])+ pub $field: $ty, )+
        }

        impl Default for SearchOptions {
            fn default() -> Self {
                SearchOptions { $( $field: $default, )+ }
            }
        }

        /// Options a caller sets by name; the rest keep their defaults. Deserializes from the JS
        /// names (`{ "limit": 5, "yearMin": 2020 }`) and refuses unknown ones.
        ///
        /// ```
        /// use papersift_core::search::{OptionOverrides, SearchOptions};
        /// let overrides: OptionOverrides = serde_json::from_str(r#"{"limit": 5, "yearMin": 2020}"#).unwrap();
        /// let options = overrides.apply(SearchOptions::default());
        /// assert_eq!((options.limit, options.year_min, options.prefix), (5, Some(2020), true));
        /// assert!(serde_json::from_str::<OptionOverrides>(r#"{"yearmin": 2020}"#).is_err());
        /// ```
        #[derive(Debug, Clone, Default, PartialEq, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct OptionOverrides {
            $(
                $(#[doc = $doc])+
                #[serde(rename = $js, default)]
                pub $field: Option<$wire>,
            )+
        }

        impl OptionOverrides {
            /// `options` with every option set here replaced.
            pub fn apply(self, mut options: SearchOptions) -> SearchOptions {
                $( if let Some($value) = self.$field { options.$field = $convert; } )+
                options
            }
        }

        /// Every search option, in declaration order, as JS spells it.
        pub const OPTIONS: &[OptionSpec] = &[ $( OptionSpec { name: $js, ts_type: $ts }, )+ ];
    };
}

declare_search_options! {
    /// How many hits to return.
    limit: usize = 10, js "limit": "number" as u32 => |n| n as usize;
    /// How many of the best hits to skip (for paging).
    offset: usize = 0, js "offset": "number" as u32 => |n| n as usize;
    /// Only papers from this year on.
    year_min: Option<u16> = None, js "yearMin": "number" as u16 => |year| Some(year);
    /// Only papers up to this year.
    year_max: Option<u16> = None, js "yearMax": "number" as u16 => |year| Some(year);
    /// Only papers with an author matching each of these (terms of the author's name).
    authors: Vec<String> = Vec::new(), js "authors": "string[]" as Vec<String> => |names| names;
    /// Only papers from one of these venues (exact venue names, as shown in facets).
    venues: Vec<String> = Vec::new(), js "venues": "string[]" as Vec<String> => |names| names;
    /// Let the last query word match as a prefix (search as you type).
    prefix: bool = true, js "prefix": "boolean" as bool => |on| on;
    /// Let words match with typos.
    fuzzy: bool = true, js "fuzzy": "boolean" as bool => |on| on;
    /// Count years, venues and authors over the whole result set.
    facets: bool = false, js "facets": "boolean" as bool => |on| on;
    /// Count authors too when counting facets. Off, facets count years and venues alone, and a
    /// sharded index loads no authors pieces for them (the facets piece alone).
    author_facets: bool = true, js "authorFacets": "boolean" as bool => |on| on;
    /// Compute title highlights and abstract snippets.
    highlight: bool = true, js "highlight": "boolean" as bool => |on| on;
    /// Approximate snippet length in characters.
    snippet_chars: usize = 200, js "snippetChars": "number" as u32 => |n| n as usize;
}

impl OptionSpec {
    /// The option names, comma-separated, for error messages.
    pub fn names() -> String {
        OPTIONS.iter().map(|o| o.name).collect::<Vec<_>>().join(", ")
    }

    /// The option called `name`, if there is one.
    pub fn named(name: &str) -> Option<&'static OptionSpec> {
        OPTIONS.iter().find(|o| o.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_declared_once_with_a_typescript_type() {
        let mut names: Vec<&str> = OPTIONS.iter().map(|o| o.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPTIONS.len());
        assert!(OPTIONS.iter().all(|o| ["number", "boolean", "string[]"].contains(&o.ts_type)));
        assert_eq!(OptionSpec::named("snippetChars").map(|o| o.ts_type), Some("number"));
    }

    #[test]
    fn no_overrides_means_the_defaults() {
        assert_eq!(OptionOverrides::default().apply(SearchOptions::default()), SearchOptions::default());
        let set = OptionOverrides { fuzzy: Some(false), venues: Some(vec!["ACL".into()]), ..Default::default() };
        let options = set.apply(SearchOptions::default());
        assert!(!options.fuzzy);
        assert_eq!(options.venues, ["ACL"]);
    }
}
