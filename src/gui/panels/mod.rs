//! The side and top panels: the [`layers`] panel and legend, the feature [`inspector`] and the
//! [`tools`] bar. Each draws from a read-only view and returns commands.

pub mod inspector;
pub mod layers;
pub mod tools;
