//! A workspace setting kept as a record: the planner's name recorded with every project
//! change. A setting's id is fixed by its key, so every copy of a workspace (a street's, the
//! district's) names the same setting with the same id and a change to it merges like any
//! other record's.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A workspace setting: a key and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    /// Fixed by the key ([`Setting::id_of`]).
    pub id: Uuid,
    /// The setting's key (`planner`).
    pub key: String,
    /// Its text.
    pub value: String,
}

impl Setting {
    /// The key of the planner's name.
    pub const PLANNER: &'static str = "planner";

    /// The settings kept as records, with their fixed ids. Other keys of `linli_meta` (the
    /// schema version, the program that made the file) are the store's own, never records.
    const KEYS: [(&'static str, Uuid); 1] = [(
        Setting::PLANNER,
        Uuid::from_u128(0x6c69_6e6c_6900_4000_8000_706c_616e_6e65),
    )];

    /// Every key kept as a record.
    pub fn keys() -> impl Iterator<Item = &'static str> {
        Self::KEYS.iter().map(|(k, _)| *k)
    }

    /// The id of the setting `key`, when it is one kept as a record.
    pub fn id_of(key: &str) -> Option<Uuid> {
        Self::KEYS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, id)| *id)
    }

    /// Setting `key` to `value`, when `key` is one kept as a record.
    pub fn new(key: &str, value: &str) -> Option<Setting> {
        Some(Setting {
            id: Self::id_of(key)?,
            key: key.to_string(),
            value: value.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_id_is_fixed_by_its_key() {
        let a = Setting::new(Setting::PLANNER, "王规划").unwrap();
        let b = Setting::new(Setting::PLANNER, "李规划").unwrap();
        assert_eq!(a.id, b.id);
        assert_eq!(Setting::id_of("planner"), Some(a.id));
        assert!(Setting::new("schema_version", "6").is_none());
    }
}
