//! Bulk resets: many users at once, sent in requests of at most
//! [`MAX_PER_REQUEST`] resets, as the Microsoft 365 admin center advises.

use serde::Deserialize;

/// The most resets one request carries (the wire contract's `resets` array).
pub const MAX_PER_REQUEST: usize = 40;

/// One user of a bulk reset (the `users` attribute: a JSON array of these).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkUser {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
}

impl BulkUser {
    /// How the user is named on screen: the name, or the id when there is none.
    pub fn display_name(&self) -> &str {
        name_or_id(&self.name, &self.id)
    }
}

/// A user's name, or their id when the name is empty.
pub fn name_or_id<'a>(name: &'a str, id: &'a str) -> &'a str {
    if name.is_empty() {
        id
    } else {
        name
    }
}

/// The users to reset, without the signed-in admin (who cannot reset their
/// own password at the same time as everyone else's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkUsers {
    pub users: Vec<BulkUser>,
    /// The signed-in admin, when the list held them.
    pub excluded_self: Option<BulkUser>,
}

/// Why a `users` list cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkError {
    NotJson(String),
    Empty,
    MissingId(usize),
    Duplicate(String),
}

impl std::fmt::Display for BulkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotJson(e) => write!(
                f,
                "must be a JSON array of {{\"id\", \"name\", \"email\"}} objects ({e})"
            ),
            Self::Empty => write!(f, "holds no user to reset"),
            Self::MissingId(i) => write!(f, "user {i} has an empty id"),
            Self::Duplicate(id) => write!(f, "user \"{id}\" is listed twice"),
        }
    }
}

/// Reads the `users` attribute and leaves out `current_user_id`.
pub fn parse_users(json: &str, current_user_id: Option<&str>) -> Result<BulkUsers, BulkError> {
    let all: Vec<BulkUser> =
        super::json::from_str(json).map_err(|e| BulkError::NotJson(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    for (i, u) in all.iter().enumerate() {
        if u.id.trim().is_empty() {
            return Err(BulkError::MissingId(i));
        }
        if !seen.insert(u.id.as_str()) {
            return Err(BulkError::Duplicate(u.id.clone()));
        }
    }
    let (excluded, users): (Vec<BulkUser>, Vec<BulkUser>) = all
        .into_iter()
        .partition(|u| Some(u.id.as_str()) == current_user_id);
    if users.is_empty() {
        return Err(BulkError::Empty);
    }
    Ok(BulkUsers {
        users,
        excluded_self: excluded.into_iter().next(),
    })
}

/// Splits `items` into batches of at most [`MAX_PER_REQUEST`], in order.
pub fn batches<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    items.chunks(MAX_PER_REQUEST).map(<[T]>::to_vec).collect()
}

/// One CSV field, quoted when it must be (RFC 4180).
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// A directory value (id, name) as a CSV field: a leading `=`, `+`, `-` or
/// `@` is prefixed with `'` so a spreadsheet does not run it as a formula.
/// Passwords are never altered: the CSV must hold exactly what was set.
pub fn csv_text_field(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) {
        csv_field(&format!("'{value}"))
    } else {
        csv_field(value)
    }
}

/// A CSV of `(user id, name, password)` rows with a header line.
pub fn csv<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> String {
    let mut out = String::from("user id,name,password\r\n");
    for (id, name, password) in rows {
        out.push_str(&format!(
            "{},{},{}\r\n",
            csv_text_field(id),
            csv_text_field(name),
            csv_field(password)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(n: usize) -> String {
        let list: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"id":"u-{i}","name":"User {i}","email":"u{i}@contoso.com"}}"#))
            .collect();
        format!("[{}]", list.join(","))
    }

    #[test]
    fn ninety_five_users_make_three_requests_of_40_40_and_15() {
        let list = parse_users(&users(95), None).unwrap();
        let sizes: Vec<usize> = batches(&list.users).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![40, 40, 15]);
        assert_eq!(batches::<u8>(&[]).len(), 0);
        assert_eq!(batches(&[1; 40]).len(), 1);
        assert_eq!(batches(&[1; 41]).len(), 2);
    }

    #[test]
    fn the_signed_in_admin_is_left_out() {
        let list = parse_users(&users(5), Some("u-2")).unwrap();
        assert_eq!(list.users.len(), 4);
        assert_eq!(list.excluded_self.unwrap().id, "u-2");
        assert!(list.users.iter().all(|u| u.id != "u-2"));
        assert_eq!(
            parse_users(&users(5), Some("nobody"))
                .unwrap()
                .excluded_self,
            None
        );
    }

    #[test]
    fn bad_lists_are_refused() {
        assert!(matches!(
            parse_users("{}", None),
            Err(BulkError::NotJson(_))
        ));
        assert_eq!(parse_users("[]", None), Err(BulkError::Empty));
        assert_eq!(
            parse_users(r#"[{"id":"a"}]"#, Some("a")),
            Err(BulkError::Empty)
        );
        assert_eq!(
            parse_users(r#"[{"id":" "}]"#, None),
            Err(BulkError::MissingId(0))
        );
        assert_eq!(
            parse_users(r#"[{"id":"a"},{"id":"a"}]"#, None),
            Err(BulkError::Duplicate("a".into()))
        );
        assert!(!BulkError::Empty.to_string().is_empty());
    }

    #[test]
    fn csv_quotes_and_defuses_formulas_in_names_but_never_changes_a_password() {
        let text = csv([("u-1", "Prescott, Diane", "a\"b"), ("u-2", "=cmd", "-x")]);
        assert_eq!(
            text,
            "user id,name,password\r\nu-1,\"Prescott, Diane\",\"a\"\"b\"\r\nu-2,'=cmd,-x\r\n"
        );
    }
}
