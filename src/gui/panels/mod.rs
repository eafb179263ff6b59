//! The side, top and bottom panels: the [`layers`] panel and legend (with the analyses'
//! [`overlays`]), the feature
//! [`inspector`], the [`tools`] bar and the [`status`] bar. Each draws from a read-only view
//! and returns commands (the status bar only shows).

pub mod inspector;
pub mod layers;
pub mod overlays;
pub mod status;
pub mod tools;
