//! The JSON Schemas of the brief format and of `brief.toml`, generated
//! from the model.
//!
//! Editors use them (the YAML language server for briefs, Taplo or Even
//! Better TOML for `brief.toml`) to complete and validate as people type.
//! They are built from the same declarations the loader decodes with, so
//! they cannot drift from what `brief` accepts.

use serde_json::{Value as Json, json};

use crate::load::decode::Decode;
use crate::model::{Brief, Config, Edition};

/// The JSON Schema (draft-07) for brief and edition files.
pub(crate) fn schema() -> Json {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "brief format, version 1",
        "description": "A situation brief, or an edition that publishes several briefs together. A file with an `edition` key is an edition.",
        "definitions": {
            "brief": Brief::schema(),
            "edition": Edition::schema(),
        },
        "if": { "type": "object", "required": ["edition"] },
        "then": { "$ref": "#/definitions/edition" },
        "else": { "$ref": "#/definitions/brief" },
    })
}

/// The JSON Schema (draft-07) for `brief.toml`.
pub(crate) fn config_schema() -> Json {
    let mut schema = Config::schema();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "$schema".into(),
            Json::from("http://json-schema.org/draft-07/schema#"),
        );
        object.insert(
            "title".into(),
            Json::from("brief.toml, the workspace configuration, version 1"),
        );
    }
    schema
}

/// The JSON Schema of what `render -f json` writes (kept by hand beside
/// the renderer; the tests validate every JSON output against it).
pub(crate) const OUTPUT_SCHEMA: &str = include_str!("../schema/output.schema.json");

/// The schema as the text of `schema/brief.schema.json`.
pub(crate) fn schema_text() -> String {
    pretty(&schema())
}

/// The schema as the text of `schema/brief-toml.schema.json`.
pub(crate) fn config_schema_text() -> String {
    pretty(&config_schema())
}

fn pretty(schema: &Json) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every property of every object has a description.
    fn check_descriptions(value: &Json, path: &str) {
        if let Some(props) = value.get("properties").and_then(Json::as_object) {
            for (name, prop) in props {
                assert!(
                    prop.get("description")
                        .and_then(Json::as_str)
                        .is_some_and(|d| !d.is_empty()),
                    "{path}.{name} has no description"
                );
                check_descriptions(prop, &format!("{path}.{name}"));
            }
        }
        if let Some(items) = value.get("items") {
            check_descriptions(items, &format!("{path}[]"));
        }
    }

    #[test]
    fn every_field_is_described() {
        let schema = schema();
        check_descriptions(&schema["definitions"]["brief"], "brief");
        check_descriptions(&schema["definitions"]["edition"], "edition");
        check_descriptions(&config_schema(), "brief.toml");
    }

    #[test]
    fn config_keys_are_spelled_as_in_the_file() {
        let schema = config_schema();
        let theme = &schema["properties"]["theme"]["properties"];
        assert!(theme.get("heading-font").is_some(), "{theme}");
        assert!(theme.get("heading_font").is_none());
        assert_eq!(schema["additionalProperties"], Json::Bool(false));
        let tlp = &schema["properties"]["defaults"]["properties"]["tlp"]["examples"];
        assert!(
            tlp.as_array()
                .unwrap()
                .contains(&Json::from("amber+strict"))
        );
    }

    #[test]
    fn required_fields_follow_the_spec() {
        let schema = schema();
        let required = schema["definitions"]["brief"]["required"]
            .as_array()
            .unwrap();
        let names: Vec<&str> = required.iter().filter_map(Json::as_str).collect();
        assert_eq!(
            names,
            [
                "title",
                "date",
                "summary",
                "background",
                "developments",
                "outlook"
            ]
        );
        let tlp = &schema["definitions"]["brief"]["properties"]["marking"]["properties"]["tlp"];
        assert!(
            tlp["examples"]
                .as_array()
                .unwrap()
                .contains(&Json::from("amber+strict"))
        );
        let pattern = tlp["pattern"].as_str().unwrap();
        assert!(
            pattern.contains("[aA][mM][bB][eE][rR][+][sS][tT][rR][iI][cC][tT]"),
            "{pattern}"
        );
    }
}
