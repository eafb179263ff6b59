//! The words the record forms put between their own pieces of text (several problems of one
//! field on its one kept line).

use super::Lang;

texts! {
    /// A fixed piece of the forms' text.
    FormText;
    /// Between two problems of one field.
    Separator => "；", "; ";
}
