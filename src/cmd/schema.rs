//! `brief schema`: print the JSON Schema of the format.

use std::io::Write;

use super::Status;
use crate::cli::SchemaCommand;

/// Prints the schema to standard output.
pub(crate) fn schema(command: &SchemaCommand) -> anyhow::Result<Status> {
    let text = if command.output {
        crate::schema::OUTPUT_SCHEMA.to_string()
    } else if command.toml {
        crate::schema::config_schema_text()
    } else {
        crate::schema::schema_text()
    };
    // A closed pipe (`brief schema | head`) is not an error.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(Status::Success)
}
