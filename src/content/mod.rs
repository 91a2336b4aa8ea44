//! Stage 1, load: `content/` read into a typed [`model::Book`], with the positions every later
//! stage needs to name a file, a line and a column.

pub mod date;
pub mod jsonpos;
mod load;
mod manifest;
pub mod model;
pub mod period;
mod read;
pub mod snapshot;
pub mod survey;

pub use load::{OBJECTIVES, load};
pub use read::read_json;
