//! The words of residents' input (居民意见与投票): the strip of large buttons, the voting
//! rules editor and the meeting record's section, the tally on the map.

use super::Lang;
use crate::model::input::InputKind;

texts! {
    /// A fixed piece of the residents' input text.
    InputText;
    /// The meeting record's section and the strip's title.
    Section => "居民意见与投票", "Residents' input";
    /// The voting rules' heading.
    Rules => "投票规则", "Voting rules";
    /// Rules: voting is open.
    Open => "投票开放", "Voting open";
    /// Rules: votes per participant.
    VotesPerParticipant => "每人票数", "Votes per participant";
    /// Rules: a cap per item.
    CapPerItem => "每项上限", "Cap per item";
    /// Rules: no cap.
    NoCap => "不限", "No cap";
    /// Rules: votes may stack.
    MayStack => "可重复投同一项", "Votes may stack";
    /// Rules: participants by anonymous numbers.
    AnonymousNumbers => "参与者按匿名编号", "Participants by anonymous number";
    /// The participant number field.
    Participant => "参与者编号", "Participant";
    /// The strip's undo button.
    UndoLast => "撤销上一条", "Undo last";
    /// The strip's close button.
    Done => "结束记录", "Done";
    /// The comment text prompt.
    TextPrompt => "意见内容（简短）", "What was said (short)";
    /// The hint while a kind is armed.
    TapMap => "点击地图上的要素或位置", "Tap a feature or a place on the map";
    /// The meeting form's button arming the strip over the map.
    RecordInput => "记录意见", "Record input";
    /// No inputs yet.
    NoInputs => "尚无居民意见", "No input yet";
    /// The tally's heading.
    Tally => "统计", "Tally";
    /// Export the inputs as CSV.
    ExportCsv => "导出 CSV…", "Export CSV...";
    /// Export the inputs as GeoJSON.
    ExportGeoJson => "导出 GeoJSON…", "Export GeoJSON...";
    /// A target: a place.
    OnPlace => "位置", "place";
    /// A target: a plan feature.
    OnFeature => "要素", "feature";
    /// A target: a design alternative.
    OnAlternative => "方案", "alternative";
    /// What the status bar names when an input was recorded.
    InputSaved => "居民意见", "Resident's input";
    /// The rules need saving with the meeting.
    RulesSavedWithMeeting => "投票规则随会议一起保存", "The rules are saved with the meeting";
}

/// A kind's name in `lang` (支持 / Support …).
pub fn kind_name(lang: Lang, kind: InputKind) -> &'static str {
    match (lang, kind) {
        (Lang::Zh, k) => k.name_zh(),
        (Lang::En, InputKind::Support) => "Support",
        (Lang::En, InputKind::Concern) => "Concern",
        (Lang::En, InputKind::Idea) => "Idea",
        (Lang::En, InputKind::Vote) => "Vote",
    }
}

/// The short marks of the comment kinds on the map's tally, support, concern, idea.
pub fn comment_marks(lang: Lang) -> [String; 3] {
    match lang {
        Lang::Zh => ["支".into(), "忧".into(), "想".into()],
        Lang::En => ["+".into(), "!".into(), "?".into()],
    }
}

/// The votes a participant has left, as the strip and the map's corner say it.
pub fn votes_left(lang: Lang, participant: u32, left: u32) -> String {
    match lang {
        Lang::Zh => format!("{participant} 号 剩余 {left} 票"),
        Lang::En => format!("No. {participant}: {left} votes left"),
    }
}

/// One item's tally in the meeting record: "12 票 · 支持 3 · 担忧 1 · 想法 0".
pub fn item_tally(lang: Lang, counts: &crate::model::input::KindCounts) -> String {
    let kinds = [InputKind::Support, InputKind::Concern, InputKind::Idea];
    let mut parts = vec![match lang {
        Lang::Zh => format!("{} 票", counts.votes),
        Lang::En => format!("{} votes", counts.votes),
    }];
    parts.extend(
        kinds
            .into_iter()
            .map(|k| format!("{} {}", kind_name(lang, k), counts.get(k))),
    );
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_text_is_translated() {
        for t in InputText::ALL {
            assert!(!t.get(Lang::Zh).is_empty() && !t.get(Lang::En).is_empty());
            assert!(t.get(Lang::En).is_ascii(), "{t:?}");
        }
        for k in InputKind::ALL {
            assert!(kind_name(Lang::En, k).is_ascii());
        }
    }
}
