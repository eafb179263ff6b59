//! The words of meetings' pins: placing one with a click on the map, moving one by dragging
//! it, and what a pin's text on the map says.

use super::{Lang, labelled};
use crate::model::meeting::MeetingNote;

texts! {
    /// A fixed piece of the pins' text.
    PinText;
    /// A note row's button: the next click on the map places its pin.
    PickOnMap => "在地图上点选", "Pick on the map";
    /// The same button while the map waits for the click (a click on it again stops).
    Picking => "请点击地图…", "Click the map...";
    /// A pinned note's position, on hover: how to correct it.
    DragToMove => "在地图上拖动标注可调整位置", "Drag the pin on the map to move it";
    /// What the status bar names when a pin was moved.
    PinMoved => "标注位置", "Pin position";
}

/// The hint over the map while it waits for a click that places note `number`'s pin.
pub fn picking_hint(lang: Lang, number: usize) -> String {
    match lang {
        Lang::Zh => format!("点击地图放置第 {number} 条意见或投票的标注（Esc 取消）"),
        Lang::En => format!("Click the map to place the pin of note {number} (Esc cancels)"),
    }
}

/// A pin's text on the map: a vote's value before its reason, a comment as it is.
pub fn note_label(lang: Lang, note: &MeetingNote) -> String {
    match note.vote {
        Some(v) if note.text.trim().is_empty() => super::projects::vote_name(lang, v).to_string(),
        Some(v) => labelled(lang, super::projects::vote_name(lang, v), note.text.trim()),
        None => note.text.trim().to_string(),
    }
}

/// A pinned note's position in a meeting form's row: five decimals (about a metre).
pub fn pin_position(lon: f64, lat: f64) -> String {
    format!("{lon:.5}, {lat:.5}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::meeting::{NoteKind, Vote};

    #[test]
    fn every_pin_text_is_translated_and_a_vote_says_its_value_first() {
        for t in PinText::ALL {
            crate::i18n::assert_translated(t, t.get(Lang::Zh), t.get(Lang::En));
        }
        assert!(picking_hint(Lang::Zh, 3).contains("第 3 条"));
        assert!(picking_hint(Lang::En, 3).contains("note 3"));
        let mut note = MeetingNote {
            kind: NoteKind::Vote,
            text: " 夜间照明太亮 ".into(),
            vote: Some(Vote::Against),
            lon_lat: None,
        };
        assert_eq!(note_label(Lang::Zh, &note), "反对：夜间照明太亮");
        note.text.clear();
        assert_eq!(note_label(Lang::Zh, &note), "反对");
        note.kind = NoteKind::Comment;
        note.vote = None;
        note.text = "保留老树".into();
        assert_eq!(note_label(Lang::En, &note), "保留老树");
        assert_eq!(pin_position(121.543451, 31.2), "121.54345, 31.20000");
    }
}
