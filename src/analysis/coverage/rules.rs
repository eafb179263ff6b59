//! Rule checks shown beside a feature: the distance to the nearest feature of the same type,
//! and the walking targets of Shanghai's 2016 guideline (elder facilities within a 5-minute
//! walk, childcare within 10) where the workspace has such layers. The pocket-park size range
//! (400–10,000 m², MOHURD 2022) is the catalog's and checked by [`crate::analysis::siting`].

use geo::{Distance, Euclidean, MapCoords};

use super::local::LocalTm;

/// A walking target of the 2016 guideline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// Elder facilities (养老) within a 5-minute walk.
    Elder,
    /// Childcare (托育) within a 10-minute walk.
    Childcare,
}

impl Target {
    /// Both targets.
    pub const ALL: [Target; 2] = [Target::Elder, Target::Childcare];

    /// The walking distance the target asks for, metres (GB 50180-2018: 5 min ≈ 300 m,
    /// 10 min ≈ 500 m).
    pub fn distance_m(self) -> f64 {
        match self {
            Target::Elder => 300.0,
            Target::Childcare => 500.0,
        }
    }

    /// Whether a layer's name says it holds this kind of facility.
    pub fn matches_layer(self, name: &str) -> bool {
        let lower = name.to_lowercase();
        let words: &[&str] = match self {
            Target::Elder => &[
                "养老", "老年", "敬老", "为老", "长者", "elder", "senior", "aged",
            ],
            Target::Childcare => &[
                "托育",
                "托儿",
                "幼儿",
                "幼托",
                "childcare",
                "nursery",
                "kindergarten",
            ],
        };
        words.iter().any(|w| lower.contains(w))
    }
}

/// The straight-line distance on the ground between two geometries (lon/lat), metres: 0 when
/// they touch or overlap.
pub fn distance_m(a: &geo::Geometry<f64>, b: &geo::Geometry<f64>) -> Option<f64> {
    use geo::InteriorPoint;
    let p = a.interior_point()?;
    let tm = LocalTm::centred(p.x(), p.y());
    let project = |g: &geo::Geometry<f64>| {
        g.map_coords(|c| {
            let [x, y] = tm.forward(c.x, c.y);
            geo::coord! { x: x, y: y }
        })
    };
    Some(Euclidean.distance(&project(a), &project(b)))
}

/// The nearest of `others` to `from`, as (index, metres).
pub fn nearest<'a>(
    from: &geo::Geometry<f64>,
    others: impl IntoIterator<Item = &'a geo::Geometry<f64>>,
) -> Option<(usize, f64)> {
    others
        .into_iter()
        .enumerate()
        .filter_map(|(i, g)| distance_m(from, g).map(|d| (i, d)))
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_ground_metres() {
        let a = geo::Geometry::Point(geo::Point::new(121.5, 31.2));
        let b = geo::Geometry::Point(geo::Point::new(121.5, 31.201));
        let d = distance_m(&a, &b).expect("distance");
        assert!((d - 110.9).abs() < 0.2, "{d}");
        assert!(
            Target::Elder.matches_layer("浦东养老机构")
                && !Target::Childcare.matches_layer("parks")
        );
    }
}
