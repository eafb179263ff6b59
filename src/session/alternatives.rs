//! Design alternatives in the session: which plan features are the plan, the alternatives of a
//! project, and each alternative's figures (area, budget, the coverage it adds) for comparing
//! them side by side. Choosing one is a command (`Command::ChooseAlternative`).

use std::collections::BTreeSet;

use uuid::Uuid;

use super::Session;
use super::coverage::CoverageSpec;
use super::views::Analysis;
use crate::analysis::coverage::Coverage;
use crate::error::Result;
use crate::model::PlanFeature;
use crate::model::alternative::{Alternative, AlternativeStatus, in_plan};

/// What one alternative would be: plain data for the comparison view and the meeting's slides.
#[derive(Debug, Clone, PartialEq)]
pub struct AlternativeFigures {
    /// The alternative.
    pub alternative: Alternative,
    /// How many plan features it has.
    pub features: usize,
    /// Its polygons' area on the ellipsoid.
    ///
    /// # Units
    /// m².
    pub area_m2: f64,
    /// Its lines' length on the ellipsoid.
    ///
    /// # Units
    /// m.
    pub length_m: f64,
    /// What walking coverage its facilities add to the plan without any of the project's
    /// alternatives (so the alternatives compare on the same footing); `None` when no
    /// coverage analysis was asked for.
    ///
    /// # Units
    /// m².
    pub coverage_added_m2: Option<f64>,
}

impl Session {
    /// Every design alternative, by id.
    pub fn alternatives(&self) -> impl Iterator<Item = &Alternative> {
        self.alternatives.all()
    }

    /// The alternative with id `id`.
    pub fn alternative(&self, id: Uuid) -> Option<&Alternative> {
        self.alternatives.get(id)
    }

    /// The alternatives of project `project` (its UUID), by label then id.
    pub fn alternatives_of(&self, project: Uuid) -> Vec<&Alternative> {
        let mut out: Vec<&Alternative> = self
            .alternatives
            .all()
            .filter(|a| a.project == project)
            .collect();
        out.sort_by(|a, b| (&a.label, a.id).cmp(&(&b.label, b.id)));
        out
    }

    /// Whether plan feature `f` is part of the plan: it belongs to no alternative, or to a
    /// chosen one (see [`crate::model::alternative::in_plan`]).
    pub fn in_plan(&self, f: &PlanFeature) -> bool {
        in_plan(f.alternative, |a| {
            self.alternatives.get(a).map(|a| a.status)
        })
    }

    /// The alternatives whose features are not the plan (candidates and archived ones): what
    /// the map draws muted or not at all.
    pub fn alternatives_outside_plan(&self) -> BTreeSet<Uuid> {
        self.alternatives
            .all()
            .filter(|a| a.status != AlternativeStatus::Chosen)
            .map(|a| a.id)
            .collect()
    }

    /// The plan features that count: the plan, and with `alternatives` every feature.
    pub fn counted_plan(&self, alternatives: bool) -> impl Iterator<Item = &PlanFeature> {
        self.plan()
            .iter()
            .filter(move |f| alternatives || self.in_plan(f))
    }

    /// The plan features of alternative `id`.
    pub fn features_of_alternative(&self, id: Uuid) -> Vec<&PlanFeature> {
        self.plan()
            .iter()
            .filter(|f| f.alternative == Some(id))
            .collect()
    }
}

impl Analysis<'_> {
    /// The figures of every alternative of project `project`, in [`Session::alternatives_of`]'s
    /// order. With `spec`, each alternative's facilities (plan features of the spec's element
    /// types) are the what-if proposal against the plan without the project's alternatives —
    /// the coverage analysis is computed once for all of them.
    ///
    /// # Errors
    /// A layer of `spec` missing or unreadable.
    pub fn alternative_figures(
        &self,
        project: Uuid,
        spec: Option<&CoverageSpec>,
    ) -> Result<Vec<AlternativeFigures>> {
        let session = self.session;
        let alternatives = session.alternatives_of(project);
        let ids: BTreeSet<Uuid> = alternatives.iter().map(|a| a.id).collect();
        let base = match spec {
            Some(spec) => {
                let keep = |f: &PlanFeature| {
                    session.in_plan(f) && f.alternative.is_none_or(|a| !ids.contains(&a))
                };
                Some(Coverage::compute(&self.request_with(spec, &keep)?))
            }
            None => None,
        };
        Ok(alternatives
            .into_iter()
            .map(|a| {
                let features = session.features_of_alternative(a.id);
                let (mut area_m2, mut length_m) = (0.0, 0.0);
                for f in &features {
                    let derived = super::plan_derived(&session.catalog, f);
                    area_m2 += derived.area_m2.unwrap_or(0.0);
                    length_m += derived.length_m.unwrap_or(0.0);
                }
                let coverage_added_m2 = base.as_ref().zip(spec).map(|(base, spec)| {
                    let facilities: Vec<geo::Geometry<f64>> = features
                        .iter()
                        .filter(|f| spec.elements.contains(&f.element))
                        .map(|f| f.feature.geometry.clone())
                        .collect();
                    if facilities.is_empty() {
                        0.0
                    } else {
                        base.added(&geo::Geometry::GeometryCollection(geo::GeometryCollection(
                            facilities,
                        )))
                        .added_m2
                    }
                });
                AlternativeFigures {
                    alternative: a.clone(),
                    features: features.len(),
                    area_m2,
                    length_m,
                    coverage_added_m2,
                }
            })
            .collect())
    }
}
