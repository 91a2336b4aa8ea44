//! The plan's life cycle: the commands that write the planner's content, never the output.
//! `piao approva` records the edition in force as approved (a snapshot under `approvato/`)
//! and consolidates the sources; `piao nuova-edizione` starts the next plan from the last
//! approved edition. Comparing the content with the approved edition is a stage of the build
//! ([`crate::compare`]), not a command.

pub mod approve;
pub mod consolidate;
mod cst;
pub mod next;
