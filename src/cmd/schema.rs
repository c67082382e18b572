//! `brief schema`: print the JSON Schema of the format.

use std::io::Write;

use super::Status;

/// Prints the schema to standard output.
pub fn schema() -> anyhow::Result<Status> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`brief schema | head`) is not an error.
    let _ = out.write_all(crate::schema::schema_text().as_bytes());
    Ok(Status::Success)
}
