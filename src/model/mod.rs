//! The plain data everything else works on: briefs and editions as
//! written, their scalars and vocabularies, an edition with its items
//! loaded, the workspace configuration and the effective settings.
//!
//! Nothing here reads a file, knows YAML or TOML, or knows an output
//! format's markup; this module depends on no other module of the crate.

mod brief;
mod config;
mod edition;
mod scalar;
mod settings;
mod vocab;

pub use brief::*;
pub use config::*;
pub use edition::*;
pub use scalar::*;
pub use settings::*;
pub use vocab::*;
