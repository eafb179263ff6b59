//! The element catalog: the kinds of things a planner can put on the map.
//!
//! Pudong's 缤纷社区 programme has nine element types, but other districts and sister
//! programmes (童悦空间 …) have their own, so the catalog is data: the bundled
//! `assets/catalog.json` seeds every new workspace, and the workspace's own copy (table
//! `linli_catalog`) is what the app reads afterwards.

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::error::{Error, Problem, Result};

/// The catalog bundled with the program (the nine types of Pudong's 缤纷社区).
pub const BUNDLED_CATALOG_JSON: &str = include_str!("../../assets/catalog.json");

/// A geometry kind, as a planner thinks of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GeometryKind {
    /// A point (or several).
    Point,
    /// A line (or several).
    Line,
    /// A polygon (or several).
    Polygon,
}

impl GeometryKind {
    /// The kind of a geometry; `None` for a mixed geometry collection.
    pub fn of(geometry: &geo::Geometry<f64>) -> Option<Self> {
        use geo::Geometry as G;
        match geometry {
            G::Point(_) | G::MultiPoint(_) => Some(Self::Point),
            G::Line(_) | G::LineString(_) | G::MultiLineString(_) => Some(Self::Line),
            G::Polygon(_) | G::MultiPolygon(_) | G::Rect(_) | G::Triangle(_) => Some(Self::Polygon),
            G::GeometryCollection(gc) => {
                let mut kinds = gc.iter().map(Self::of);
                let first = kinds.next()??;
                kinds.all(|k| k == Some(first)).then_some(first)
            }
        }
    }

    /// The lower-case key used in files (`point`, `line`, `polygon`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Point => "point",
            Self::Line => "line",
            Self::Polygon => "polygon",
        }
    }
}

/// One element type of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementType {
    /// Stable key used in files and exports (`pocket_garden`).
    pub key: String,
    /// Chinese name (口袋花园).
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The geometry a new feature of this type gets.
    pub geometry: GeometryKind,
    /// Every geometry this type may be drawn as (includes `geometry`).
    #[serde(default)]
    pub allowed: Vec<GeometryKind>,
    /// Colour as `#RRGGBB`.
    pub colour: String,
    /// Symbol name for the map and legend (`circle`, `square`, `star`, `leaf`, `line`, `dash`…).
    #[serde(default)]
    pub symbol: String,
    /// Guidance shown to the planner, in Chinese.
    #[serde(default)]
    pub hint_zh: String,
    /// Guidance shown to the planner, in English.
    #[serde(default)]
    pub hint_en: String,
    /// Lower bound of the recommended area, when the type has one.
    ///
    /// # Units
    /// Square metres on the ellipsoid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_area_m2: Option<f64>,
    /// Upper bound of the recommended area, when the type has one.
    ///
    /// # Units
    /// Square metres on the ellipsoid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_area_m2: Option<f64>,
}

impl ElementType {
    /// The colour as RGB bytes; grey when the catalog's text is not `#RRGGBB`.
    pub fn rgb(&self) -> [u8; 3] {
        parse_hex_colour(&self.colour).unwrap_or([128, 128, 128])
    }
}

/// Parses `#RRGGBB`.
pub fn parse_hex_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// The catalog: an ordered list of element types with a programme name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Programme the catalog belongs to (缤纷社区).
    #[serde(default)]
    pub programme: String,
    /// District it was written for.
    #[serde(default)]
    pub district: String,
    /// Where the catalog comes from.
    #[serde(default)]
    pub source: String,
    /// The element types, in toolbar order.
    pub elements: Vec<ElementType>,
}

impl Catalog {
    /// The catalog bundled with the program.
    pub fn bundled() -> Self {
        // The bundled file is checked by a unit test; should it ever fail to parse, an empty
        // catalog keeps the program usable rather than aborting.
        Self::from_json(BUNDLED_CATALOG_JSON, Path::new("assets/catalog.json")).unwrap_or(Catalog {
            programme: String::new(),
            district: String::new(),
            source: String::new(),
            elements: Vec::new(),
        })
    }

    /// Parses and validates a catalog file's text; `file` is used in error messages.
    pub fn from_json(text: &str, file: &Path) -> Result<Self> {
        let mut catalog: Catalog = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| {
                Error::input(
                    file,
                    None,
                    Problem::NotACatalog {
                        detail: e.to_string(),
                    },
                )
            })?;
        catalog.validate(file)?;
        Ok(catalog)
    }

    fn validate(&mut self, file: &Path) -> Result<()> {
        if self.elements.is_empty() {
            return Err(Error::input(file, None, Problem::EmptyCatalog));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, element) in self.elements.iter_mut().enumerate() {
            let bad = |problem: Problem| Error::input(file, None, problem);
            if element.key.is_empty()
                || !element
                    .key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(bad(Problem::BadElementKey {
                    element: i,
                    key: element.key.clone(),
                }));
            }
            if !seen.insert(element.key.clone()) {
                return Err(bad(Problem::DuplicateElementKey {
                    element: i,
                    key: element.key.clone(),
                }));
            }
            if parse_hex_colour(&element.colour).is_none() {
                return Err(bad(Problem::BadElementColour {
                    element: i,
                    colour: element.colour.clone(),
                }));
            }
            if !element.allowed.contains(&element.geometry) {
                element.allowed.insert(0, element.geometry);
            }
        }
        Ok(())
    }

    /// The element type with this key.
    pub fn get(&self, key: &str) -> Option<&ElementType> {
        self.elements.iter().find(|e| e.key == key)
    }

    /// The element type named by `text`: its key, Chinese or English name.
    pub fn find(&self, text: &str) -> Option<&ElementType> {
        let text = text.trim();
        self.elements
            .iter()
            .find(|e| e.key == text || e.name_zh == text || e.name_en.eq_ignore_ascii_case(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_has_the_nine_types() {
        let catalog = Catalog::from_json(BUNDLED_CATALOG_JSON, Path::new("catalog.json")).unwrap();
        assert_eq!(catalog.elements.len(), 9);
        assert_eq!(catalog.get("pocket_garden").unwrap().name_zh, "口袋花园");
        assert_eq!(catalog.find("口袋花园").unwrap().key, "pocket_garden");
        assert_eq!(catalog.find("Pocket garden").unwrap().key, "pocket_garden");
        assert_eq!(
            catalog.get("art_space").unwrap().geometry,
            GeometryKind::Point
        );
        for e in &catalog.elements {
            assert!(e.allowed.contains(&e.geometry), "{}", e.key);
        }
    }

    #[test]
    fn bad_catalogs_are_refused_with_a_reason() {
        let err = Catalog::from_json("{\"elements\": []}", Path::new("c.json")).unwrap_err();
        assert!(err.to_string().contains("no element types"), "{err}");
        let err = Catalog::from_json(
            r##"{"elements":[{"key":"a b","name_zh":"甲","name_en":"A","geometry":"point","colour":"#000000"}]}"##,
            Path::new("c.json"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("element 0"), "{err}");
    }
}
