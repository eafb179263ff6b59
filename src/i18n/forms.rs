//! The words the record forms put between their own pieces of text (several problems of one
//! field on its one kept line).

use super::Lang;

texts! {
    /// A fixed piece of the forms' text.
    FormText;
    /// Between two problems of one field.
    Separator => "；", "; ";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_has_each_languages_punctuation() {
        assert_eq!(FormText::Separator.get(Lang::Zh), "；");
        assert!(FormText::Separator.get(Lang::En).is_ascii());
    }
}
