//! The identity of a workspace record, shared by the history (what a step changed) and the
//! store (which row a content hash is of).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::change::RecordKind;

/// A record of the workspace, by its stable id: its kind and UUID. Serialised as
/// `{"kind": "plan", "id": "…"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordId {
    kind: RecordKind,
    id: Uuid,
}

impl RecordId {
    /// The record of kind `kind` with id `id`.
    pub fn of(kind: RecordKind, id: Uuid) -> RecordId {
        RecordId { kind, id }
    }

    /// The record's UUID.
    pub fn uuid(self) -> Uuid {
        self.id
    }

    /// The record's kind.
    pub fn kind(self) -> RecordKind {
        self.kind
    }
}

mod impls {
    //! Every record kind's [`Record`] impl: the kinds that serialise do so field by field; a
    //! plan feature's geometry is one field, an attachment's bytes another.

    use uuid::Uuid;

    use crate::model::alternative::Alternative;
    use crate::model::attachment::{Attachment, AttachmentInfo};
    use crate::model::change::{
        Fields, Record, RecordKind, Value, serde_fields, serde_from_fields,
    };
    use crate::model::input::ResidentInput;
    use crate::model::meeting::Meeting;
    use crate::model::people::{Organisation, Person, Task};
    use crate::model::provenance::Provenance;
    use crate::model::setting::Setting;
    use crate::model::sync::{BaseEntry, MergeConflict, Peer};
    use crate::model::{Feature, PlanFeature, Project};

    /// The kinds whose fields are what they serialise to.
    macro_rules! serde_record {
        ($t:ty, $kind:expr, |$r:ident| $label:expr) => {
            impl Record for $t {
                const KIND: RecordKind = $kind;
                fn id(&self) -> Uuid {
                    self.id
                }
                fn fields(&self) -> Fields {
                    serde_fields(self)
                }
                fn from_fields(id: Uuid, fields: Fields) -> std::result::Result<Self, String> {
                    serde_from_fields(id, fields)
                }
                fn label(&self) -> String {
                    let $r = self;
                    $label
                }
            }
        };
    }

    serde_record!(Project, RecordKind::Project, |p| format!(
        "{} {}",
        p.code, p.name
    ));
    serde_record!(Meeting, RecordKind::Meeting, |m| format!(
        "{} {}",
        m.date,
        m.kind.name_zh()
    ));
    serde_record!(Person, RecordKind::Person, |p| p.name.clone());
    serde_record!(Organisation, RecordKind::Organisation, |o| o.name.clone());
    serde_record!(Task, RecordKind::Task, |t| t.title.clone());
    serde_record!(Setting, RecordKind::Setting, |s| s.key.clone());
    serde_record!(ResidentInput, RecordKind::Input, |i| format!(
        "{} {}",
        i.kind.name_zh(),
        i.text
    ));
    serde_record!(Alternative, RecordKind::Alternative, |a| a.label.clone());
    serde_record!(Peer, RecordKind::Peer, |p| p.name.clone());
    serde_record!(BaseEntry, RecordKind::Base, |b| b.record.to_string());
    serde_record!(Provenance, RecordKind::Provenance, |p| p.id.to_string());
    serde_record!(MergeConflict, RecordKind::Conflict, |c| format!(
        "{} {}",
        c.label, c.field
    ));

    impl Record for Attachment {
        const KIND: RecordKind = RecordKind::Attachment;
        fn id(&self) -> Uuid {
            self.info.id
        }
        fn fields(&self) -> Fields {
            let mut fields = serde_fields(&self.info);
            fields.insert("data".into(), Value::Bytes(self.data.clone()));
            fields
        }
        fn from_fields(id: Uuid, mut fields: Fields) -> std::result::Result<Self, String> {
            let data = match fields.remove("data") {
                Some(Value::Bytes(b)) => b,
                _ => return Err("data: no bytes".into()),
            };
            let info: AttachmentInfo = serde_from_fields(id, fields)?;
            Ok(Attachment { info, data })
        }
        fn label(&self) -> String {
            self.info.file_name.clone()
        }
    }

    /// A geometry as its GeoJSON geometry object, normalised as the workspace stores it: a
    /// multi-geometry of one part is that part (the plan tables hold multi-geometries and
    /// give back single ones), so equal geometries compare equal whichever way they came.
    fn geometry_value(g: &geo::Geometry<f64>) -> Value {
        let g = &crate::model::collapse_single(g.clone());
        let json = serde_json::to_value(geojson::Geometry::new(geojson::GeometryValue::from(g)));
        Value::Json(json.unwrap_or(serde_json::Value::Null))
    }

    fn geometry_of(v: Option<Value>) -> std::result::Result<geo::Geometry<f64>, String> {
        let Some(Value::Json(json)) = v else {
            return Err("geometry: missing".into());
        };
        let g: geojson::Geometry =
            serde_json::from_value(json).map_err(|e| format!("geometry: {e}"))?;
        geo::Geometry::try_from(&g.value).map_err(|e| format!("geometry: {e}"))
    }

    fn text_of(v: Option<Value>) -> Option<String> {
        match v {
            Some(Value::Json(serde_json::Value::String(s))) => Some(s),
            _ => None,
        }
    }

    impl Record for PlanFeature {
        const KIND: RecordKind = RecordKind::Plan;
        fn id(&self) -> Uuid {
            self.feature.id
        }
        /// Street and community are derived from the geometry, never fields.
        fn fields(&self) -> Fields {
            let text = |s: &str| Value::Json(serde_json::Value::String(s.to_string()));
            let mut fields = Fields::new();
            fields.insert("name".into(), text(&self.feature.name));
            fields.insert("element".into(), text(&self.element));
            fields.insert(
                "project".into(),
                self.project.as_deref().map_or(Value::NULL, text),
            );
            fields.insert(
                "properties".into(),
                Value::Json(serde_json::Value::Object(self.feature.properties.clone())),
            );
            fields.insert("geometry".into(), geometry_value(&self.feature.geometry));
            fields.insert(
                "alternative".into(),
                self.alternative
                    .map_or(Value::NULL, |a| text(&a.to_string())),
            );
            fields
        }
        fn from_fields(id: Uuid, mut fields: Fields) -> std::result::Result<Self, String> {
            let properties = match fields.remove("properties") {
                Some(Value::Json(serde_json::Value::Object(map))) => map,
                Some(Value::Json(serde_json::Value::Null)) | None => Default::default(),
                Some(_) => return Err("properties: not an object".into()),
            };
            Ok(PlanFeature {
                feature: Feature {
                    id,
                    name: text_of(fields.remove("name")).unwrap_or_default(),
                    geometry: geometry_of(fields.remove("geometry"))?,
                    properties,
                },
                element: text_of(fields.remove("element")).unwrap_or_default(),
                project: text_of(fields.remove("project")),
                alternative: match text_of(fields.remove("alternative")) {
                    Some(a) => Some(Uuid::parse_str(&a).map_err(|e| format!("alternative: {e}"))?),
                    None => None,
                },
                street: None,
                community: None,
            })
        }
        fn label(&self) -> String {
            self.feature.name.clone()
        }
    }
}
