//! The checks a project record must pass before it is written, each problem with the field it
//! is about, so a form shows the reason beside the field and a refused command names it.

use crate::error::Problem;
use crate::model::Project;
use crate::model::project::{ProjectField, YEARS, parse_date};
use crate::model::workflow::Workflows;

impl Project {
    /// Every problem of the record, each with the field it is about, in form order. An empty
    /// list means the record can be written. The code's uniqueness is checked by the session,
    /// which knows the other projects.
    pub fn problems(&self, workflows: &Workflows) -> Vec<(ProjectField, Problem)> {
        use ProjectField as F;
        let mut out = Vec::new();
        if self.code.trim().is_empty() {
            out.push((F::Code, Problem::ProjectCodeEmpty));
        }
        if self.name.trim().is_empty() {
            out.push((F::Name, Problem::ProjectNameEmpty));
        }
        if let Some(year) = self.year
            && !YEARS.contains(&year)
        {
            out.push((
                F::Year,
                Problem::YearOutOfRange {
                    year: i64::from(year),
                    first: i64::from(*YEARS.start()),
                    last: i64::from(*YEARS.end()),
                },
            ));
        }
        let workflow = workflows.get(&self.workflow);
        match workflow {
            None => out.push((
                F::Workflow,
                Problem::UnknownWorkflow {
                    key: self.workflow.clone(),
                },
            )),
            Some(w) if !self.stage.is_empty() && w.position(&self.stage).is_none() => {
                out.push((
                    F::Stage,
                    Problem::UnknownStage {
                        stage: self.stage.clone(),
                        workflow: w.key.clone(),
                    },
                ));
            }
            Some(_) => {}
        }
        for (field, value) in [(F::Budget, self.budget_wan), (F::Actual, self.actual_wan)] {
            if let Some(v) = value
                && !(v.is_finite() && v >= 0.0)
            {
                out.push((field, Problem::AmountNegative { value: v }));
            }
        }
        for (i, f) in self.funding.iter().enumerate() {
            if f.source.trim().is_empty() {
                out.push((F::Funding(i), Problem::FundingSourceEmpty));
            }
            if !(f.amount_wan.is_finite() && f.amount_wan >= 0.0) {
                out.push((
                    F::Funding(i),
                    Problem::AmountNegative {
                        value: f.amount_wan,
                    },
                ));
            }
        }
        let total_wan: f64 = self.funding.iter().map(|f| f.amount_wan).sum();
        if let Some(budget_wan) = self.budget_wan
            && !self.funding.is_empty()
            && total_wan > budget_wan + 1e-9
        {
            out.push((
                F::Budget,
                Problem::FundingOverBudget {
                    total_wan,
                    budget_wan,
                },
            ));
        }
        if let Some(p) = self.progress_pct
            && !(0.0..=100.0).contains(&p)
        {
            out.push((F::Progress, Problem::ProgressOutOfRange { value: p }));
        }
        for (i, d) in self.stage_dates.iter().enumerate() {
            if let Some(w) = workflow
                && w.position(&d.stage).is_none()
            {
                out.push((
                    F::StageDates(i),
                    Problem::UnknownStage {
                        stage: d.stage.clone(),
                        workflow: w.key.clone(),
                    },
                ));
            }
            for text in [&d.planned, &d.actual].into_iter().flatten() {
                if parse_date(text).is_none() {
                    out.push((
                        F::StageDates(i),
                        Problem::DateNotValid { text: text.clone() },
                    ));
                }
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::project::{Funding, StageDates};
    use uuid::Uuid;

    fn valid() -> Project {
        Project {
            id: Uuid::new_v4(),
            code: "PD-1".into(),
            name: "口袋花园".into(),
            budget_wan: Some(10.0),
            ..Project::default()
        }
    }

    #[test]
    fn a_valid_record_has_no_problems() {
        assert!(valid().problems(&Workflows::bundled()).is_empty());
    }

    #[test]
    fn each_problem_names_its_field() {
        let w = Workflows::bundled();
        let p = Project {
            code: " ".into(),
            name: String::new(),
            year: Some(1800),
            stage: "nowhere".into(),
            budget_wan: Some(5.0),
            funding: vec![
                Funding {
                    source: "区级财政".into(),
                    amount_wan: 4.0,
                },
                Funding {
                    source: String::new(),
                    amount_wan: 2.0,
                },
            ],
            progress_pct: Some(120.0),
            stage_dates: vec![StageDates {
                stage: "design".into(),
                planned: Some("2024-02-30".into()),
                actual: None,
            }],
            ..valid()
        };
        let fields: Vec<ProjectField> = p.problems(&w).into_iter().map(|(f, _)| f).collect();
        use ProjectField as F;
        assert_eq!(
            fields,
            vec![
                F::Code,
                F::Name,
                F::Year,
                F::Stage,
                F::Funding(1),
                F::Budget,
                F::Progress,
                F::StageDates(0)
            ]
        );
        let unknown = Project {
            workflow: "xuhui".into(),
            ..valid()
        };
        assert_eq!(unknown.problems(&w)[0].0, F::Workflow);
    }
}
