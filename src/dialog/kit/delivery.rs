//! The delivery form every reset flow shows: where the new passwords are
//! e-mailed, and whether users must change them at their next sign-in.

use crate::core::recipients::{parse_recipients, BadAddress};
use crate::core::wire::Problem;

/// The wire contract's field for the delivery addresses.
pub const RECIPIENTS_FIELD: &str = "deliverTo";

/// What is wrong with the delivery addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecipientsError {
    /// Found by the widget: this entry is not an e-mail address.
    BadAddress(String),
    /// Said by the backend (a field error on `deliverTo`).
    Backend(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryForm {
    pub recipients_text: String,
    pub recipients_error: Option<RecipientsError>,
    pub force_change: bool,
}

impl DeliveryForm {
    /// Prefilled from the element's `deliver-to`; must-change on by default.
    pub fn new(deliver_to: &[String]) -> Self {
        Self {
            recipients_text: deliver_to.join(", "),
            recipients_error: None,
            force_change: true,
        }
    }

    /// The addresses, when every entry is one.
    pub fn recipients(&self) -> Option<Vec<String>> {
        parse_recipients(&self.recipients_text).ok()
    }

    /// The addresses read so far, for the summary (none while one is bad).
    pub fn recipients_for_summary(&self) -> Vec<String> {
        self.recipients().unwrap_or_default()
    }

    pub fn edit_recipients(&mut self, text: String) {
        self.recipients_error = parse_recipients(&text)
            .err()
            .map(|BadAddress(a)| RecipientsError::BadAddress(a));
        self.recipients_text = text;
    }

    pub fn toggle_force_change(&mut self) {
        self.force_change = !self.force_change;
    }

    /// Puts the backend's field errors on the addresses next to their field;
    /// true when there was one.
    pub fn show_field_errors(&mut self, problem: &Problem) -> bool {
        let mut found = false;
        for e in problem
            .errors
            .iter()
            .filter(|e| e.field == RECIPIENTS_FIELD)
        {
            self.recipients_error = Some(RecipientsError::Backend(e.detail.clone()));
            found = true;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::wire::FieldError;

    #[test]
    fn bad_addresses_are_named_and_backend_errors_kept_until_the_next_edit() {
        let mut form = DeliveryForm::new(&["a@contoso.com".into()]);
        assert_eq!(form.recipients(), Some(vec!["a@contoso.com".to_string()]));
        form.edit_recipients("a@contoso.com, nope".into());
        assert_eq!(
            form.recipients_error,
            Some(RecipientsError::BadAddress("nope".into()))
        );
        assert_eq!(form.recipients(), None);
        form.edit_recipients("b@contoso.com".into());
        assert_eq!(form.recipients_error, None);
        let problem = Problem {
            kind: None,
            title: None,
            status: Some(422),
            detail: None,
            errors: vec![FieldError {
                field: "deliverTo".into(),
                detail: "At most 20 addresses.".into(),
            }],
        };
        assert!(form.show_field_errors(&problem));
        assert_eq!(
            form.recipients_error,
            Some(RecipientsError::Backend("At most 20 addresses.".into()))
        );
    }
}
