//! Export for the bureau and the integrity check: reads the workspace only, never writes it;
//! the exported file goes through [`Session::write_export`].
//!
//! One [`ExportFilter`] serves every format (GeoJSON, CSV, xlsx, GeoPackage) and the window's
//! export dialog. A plan feature is kept when it lies in the street and community asked, is of
//! the element type asked, and its project is of the programme, year and stage asked (a
//! feature without a project passes no project filter). A project is kept when its own fields
//! match and — when a street, community or element type is asked — at least one of its
//! features matches all three of them.

use std::collections::BTreeSet;
use std::path::Path;

use super::Session;
use super::report::{self, ProjectFilter};
use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;
use crate::io::geojson_out;
use crate::io::output::{OutputRules, write_output};
use crate::io::table::Table;
use crate::model::project::list_items;
use crate::model::{LayerRole, PlanFeature, Project};
use crate::store;

/// Which records an export covers; `None` fields do not filter. Street, community, programme
/// and stage are given as the workspace names them (a stage or element type by its key or its
/// Chinese name).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExportFilter {
    /// Only features in this street (街道/镇), and projects with such a feature.
    pub street: Option<String>,
    /// Only features in this community (居委/村), and projects with such a feature.
    pub community: Option<String>,
    /// Only projects of this programme (缤纷社区…), and their features.
    pub programme: Option<String>,
    /// Only projects of this batch year, and their features.
    pub year: Option<i32>,
    /// Only projects at this stage (key or Chinese name), and their features.
    pub stage: Option<String>,
    /// Only features of this element type (key or Chinese name), and projects with one.
    pub element: Option<String>,
    /// The features of candidate and archived design alternatives too (else only the plan);
    /// each then carries its `alternative`.
    pub alternatives: bool,
}

impl ExportFilter {
    /// True when no field filters (the alternatives switch aside).
    pub fn is_empty(&self) -> bool {
        *self
            == Self {
                alternatives: self.alternatives,
                ..Self::default()
            }
    }

    /// True when a field about the features themselves filters (street, community, element).
    fn filters_features(&self) -> bool {
        self.street.is_some() || self.community.is_some() || self.element.is_some()
    }
}

/// How many records an export with a filter writes: the window's live preview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportCount {
    /// Plan features.
    pub features: usize,
    /// Projects.
    pub projects: usize,
}

/// What the export dialog's filters offer, from the workspace: every value sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportChoices {
    /// The streets layer's street names.
    pub streets: Vec<String>,
    /// The communities layer's community names.
    pub communities: Vec<String>,
    /// The programmes of the projects and the known ones.
    pub programmes: Vec<String>,
    /// The projects' batch years.
    pub years: Vec<i32>,
    /// Every workflow stage: (key, Chinese name, English name), in workflow order.
    pub stages: Vec<(String, String, String)>,
    /// The catalog's element types: (key, Chinese name, English name).
    pub elements: Vec<(String, String, String)>,
}

/// A filter resolved against the workspace: element type and stage as keys.
struct Resolved<'f> {
    filter: &'f ExportFilter,
    element: Option<String>,
}

impl Session {
    /// The names of the features of the layer with `role`, sorted and without repeats.
    fn layer_names(&self, role: LayerRole) -> Vec<String> {
        let names: BTreeSet<String> = self
            .layer_with_role(role)
            .map(|i| {
                self.layers[i]
                    .features
                    .iter()
                    .map(|f| f.name.clone())
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        names.into_iter().collect()
    }

    /// What the export dialog's filters offer.
    pub fn export_choices(&self) -> ExportChoices {
        let mut programmes: BTreeSet<String> = crate::model::PROGRAMMES
            .iter()
            .map(|p| p.to_string())
            .collect();
        let mut years = BTreeSet::new();
        for p in self.projects().values() {
            programmes.extend(list_items(&p.programme).into_iter().map(str::to_string));
            years.extend(p.year);
        }
        let mut stages: Vec<(String, String, String)> = Vec::new();
        for w in self.workflows().all() {
            for s in &w.stages {
                if !stages.iter().any(|(k, _, _)| *k == s.key) {
                    stages.push((s.key.clone(), s.name_zh.clone(), s.name_en.clone()));
                }
            }
        }
        ExportChoices {
            streets: self.layer_names(LayerRole::Streets),
            communities: self.layer_names(LayerRole::Communities),
            programmes: programmes.into_iter().collect(),
            years: years.into_iter().collect(),
            stages,
            elements: self
                .catalog()
                .elements
                .iter()
                .map(|e| (e.key.clone(), e.name_zh.clone(), e.name_en.clone()))
                .collect(),
        }
    }

    /// Checks every value the filter names against the workspace.
    fn resolve<'f>(&self, filter: &'f ExportFilter) -> Result<Resolved<'f>> {
        let unknown = |field: &str, value: &str| {
            Err(Error::request(Problem::UnknownExportFilter {
                field: field.to_string(),
                value: value.to_string(),
            }))
        };
        if let Some(street) = &filter.street
            && !self.layer_names(LayerRole::Streets).contains(street)
        {
            return Err(Error::request(Problem::UnknownStreet {
                street: street.clone(),
            }));
        }
        if let Some(community) = &filter.community {
            let known = self.layer_names(LayerRole::Communities).contains(community)
                || self
                    .plan()
                    .iter()
                    .any(|f| f.community.as_ref() == Some(community));
            if !known {
                return unknown("community", community);
            }
        }
        if let Some(programme) = &filter.programme
            && !self.export_choices().programmes.contains(programme)
        {
            return unknown("programme", programme);
        }
        if let Some(stage) = &filter.stage {
            let known = self
                .workflows()
                .all()
                .iter()
                .any(|w| w.stage(stage).is_some());
            if !known {
                return unknown("stage", stage);
            }
        }
        let element = match &filter.element {
            Some(e) => match self.catalog().find(e) {
                Some(t) => Some(t.key.clone()),
                None => {
                    return Err(Error::request(Problem::UnknownElementType {
                        element: e.clone(),
                    }));
                }
            },
            None => None,
        };
        Ok(Resolved { filter, element })
    }

    /// The project's stage as its workflow's key (older records hold the Chinese name).
    pub(crate) fn stage_key_of(&self, project: &Project) -> String {
        self.workflows()
            .of(project)
            .and_then(|w| w.stage(&project.stage))
            .map_or_else(|| project.stage.clone(), |s| s.key.clone())
    }

    /// Whether the project's own fields pass the filter's programme, year and stage.
    fn project_fields_match(&self, project: &Project, filter: &ExportFilter) -> bool {
        let stage_ok = filter.stage.as_ref().is_none_or(|s| {
            let key = self.stage_key_of(project);
            *s == key
                || self
                    .workflows()
                    .of(project)
                    .and_then(|w| w.stage(s))
                    .is_some_and(|st| st.key == key)
        });
        stage_ok
            && filter.year.is_none_or(|y| project.year == Some(y))
            && filter
                .programme
                .as_ref()
                .is_none_or(|g| list_items(&project.programme).contains(&g.as_str()))
    }

    /// Whether the feature's own place and type pass the filter.
    fn feature_fields_match(&self, f: &PlanFeature, r: &Resolved<'_>) -> bool {
        r.filter
            .street
            .as_ref()
            .is_none_or(|s| f.street.as_ref() == Some(s))
            && r.filter
                .community
                .as_ref()
                .is_none_or(|c| f.community.as_ref() == Some(c))
            && r.element.as_ref().is_none_or(|k| &f.element == k)
    }

    fn features_matching(&self, r: &Resolved<'_>) -> Vec<&PlanFeature> {
        let project_filtered =
            r.filter.programme.is_some() || r.filter.year.is_some() || r.filter.stage.is_some();
        self.counted_plan(r.filter.alternatives)
            .filter(|f| self.feature_fields_match(f, r))
            .filter(|f| {
                !project_filtered
                    || f.project
                        .as_ref()
                        .and_then(|code| self.projects().get(code))
                        .is_some_and(|p| self.project_fields_match(p, r.filter))
            })
            .collect()
    }

    fn projects_matching(&self, r: &Resolved<'_>) -> Vec<&Project> {
        let with_feature: Option<BTreeSet<&str>> = r.filter.filters_features().then(|| {
            self.counted_plan(r.filter.alternatives)
                .filter(|f| self.feature_fields_match(f, r))
                .filter_map(|f| f.project.as_deref())
                .collect()
        });
        self.projects()
            .values()
            .filter(|p| {
                with_feature
                    .as_ref()
                    .is_none_or(|codes| codes.contains(p.code.as_str()))
            })
            .filter(|p| self.project_fields_match(p, r.filter))
            .collect()
    }

    /// The plan features the filter keeps, in export order (street, type, name, id).
    ///
    /// # Errors
    /// [`Problem::UnknownStreet`], [`Problem::UnknownElementType`] or
    /// [`Problem::UnknownExportFilter`] for a value the workspace does not have.
    pub fn export_features(&self, filter: &ExportFilter) -> Result<Vec<&PlanFeature>> {
        let r = self.resolve(filter)?;
        Ok(geojson_out::sorted_for_export(self.features_matching(&r)))
    }

    /// The projects the filter keeps, by code.
    ///
    /// # Errors
    /// As [`Session::export_features`].
    pub fn export_projects(&self, filter: &ExportFilter) -> Result<Vec<&Project>> {
        let r = self.resolve(filter)?;
        Ok(self.projects_matching(&r))
    }

    /// How many features and projects an export with `filter` writes.
    ///
    /// # Errors
    /// As [`Session::export_features`].
    pub fn export_count(&self, filter: &ExportFilter) -> Result<ExportCount> {
        let r = self.resolve(filter)?;
        Ok(ExportCount {
            features: self.features_matching(&r).len(),
            projects: self.projects_matching(&r).len(),
        })
    }

    /// The plan features matching the filter as an RFC 7946 FeatureCollection, and how many.
    ///
    /// # Errors
    /// As [`Session::export_features`].
    pub fn export_geojson(&self, filter: &ExportFilter) -> Result<(String, usize)> {
        let features = self.export_features(filter)?;
        Ok(geojson_out::feature_collection(
            features,
            self.catalog(),
            self.projects(),
        ))
    }

    /// The projects the filter keeps as the projects table (CSV or xlsx), and how many: the
    /// rows of [`super::report::project_table_file`], counting the features of design
    /// alternatives too when the filter says so.
    ///
    /// # Errors
    /// As [`Session::export_features`].
    pub fn export_project_table(
        &self,
        filter: &ExportFilter,
        lang: Lang,
    ) -> Result<(Table<'static>, usize)> {
        let codes: BTreeSet<String> = self
            .export_projects(filter)?
            .iter()
            .map(|p| p.code.clone())
            .collect();
        let rows: Vec<_> = self
            .analysis()
            .project_table(&ProjectFilter {
                alternatives: filter.alternatives,
                ..ProjectFilter::default()
            })
            .into_iter()
            .filter(|r| codes.contains(&r.project.code))
            .collect();
        Ok((report::project_table_file(self, &rows, lang), rows.len()))
    }

    /// Writes an export's `bytes` to the file the user named, atomically, never over this
    /// workspace (however `path` spells it) or any other SQLite database, and over another
    /// existing file only when `replace` (`--force`, or confirmed in the window): see
    /// [`crate::io::output`]. Every file Linli writes where the user said goes through here.
    ///
    /// # Errors
    /// [`Problem::OutputIsWorkspace`], [`Problem::OutputIsDatabase`],
    /// [`Problem::OutputExists`] naming `path`, or the file system's error.
    pub fn write_export(&self, path: &Path, bytes: &[u8], replace: bool) -> Result<()> {
        write_output(
            path,
            bytes,
            OutputRules {
                workspace: Some(self.path()),
                replace,
            },
        )
    }

    /// Integrity problems of the workspace; empty when sound.
    pub fn check(&self) -> Result<Vec<crate::error::Problem>> {
        store::check(&self.store)
    }
}
