//! Who the demo directory starts with: the demo users and the names the
//! generated ones (`--seed-users`) are made of. Plain data, no SQL, so the
//! command line can check `--seed-users` against it without the database.

/// The demo administrator: signs in to the sample page (with the password
/// given to `db::open`) and receives the reset e-mails.
pub const DEMO_ADMIN_ID: &str = "u-1001";

/// The demo users. Only the admin (`u-1001`) gets a known password.
pub const SEED_USERS: &[(&str, &str, &str, bool)] = &[
    ("u-1001", "Adele Vance", "adele@contoso.com", true),
    ("u-1042", "Diane Prescott", "diane@contoso.com", false),
    ("u-1043", "Joni Sherman", "joni@contoso.com", false),
    ("u-1044", "Lee Gu", "lee@contoso.com", false),
    ("u-1045", "Megan Bowen", "megan@contoso.com", false),
    ("u-1046", "Alex Wilber", "alex@contoso.com", false),
];

/// Where a user's recovery codes go: `first.last@alt.contoso.test` made
/// of the display name (Diane Prescott: `diane.prescott@alt.contoso.test`).
/// `.test` is reserved (RFC 2606): no real mailbox gets these.
pub fn alternate_email(name: &str) -> String {
    let local: Vec<String> = name
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .collect();
    format!("{}@alt.contoso.test", local.join("."))
}

/// First and last names the generated demo users (`--seed-users`) are made
/// of. None is a demo user's, so no generated name or address clashes with
/// theirs; every combination is a distinct name and address.
const FIRST_NAMES: &[&str] = &[
    "Isaiah",
    "Grady",
    "Henrietta",
    "Johanna",
    "Lidia",
    "Lynne",
    "Miriam",
    "Nestor",
    "Patti",
    "Pradeep",
    "Allan",
    "Debra",
    "Emily",
    "Enrico",
    "Irvin",
    "Christie",
    "Cameron",
    "Nadia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Samuel",
    "Tomas",
    "Ulrike",
    "Valerie",
    "Wesley",
    "Yara",
    "Zoe",
    "Aaron",
    "Beatrice",
    "Carlos",
    "Dmitri",
    "Elena",
    "Farah",
    "Gustav",
    "Hannah",
    "Ingrid",
    "Jamal",
    "Keiko",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Paolo",
    "Rahul",
    "Sofia",
    "Theo",
    "Amara",
    "Felix",
];

const LAST_NAMES: &[&str] = &[
    "Langer",
    "Archie",
    "Mueller",
    "Lorenz",
    "Holloway",
    "Robbins",
    "Graham",
    "Wilke",
    "Fernandez",
    "Gupta",
    "Deyoung",
    "Berger",
    "Braun",
    "Cattaneo",
    "Sayer",
    "Cline",
    "Okafor",
    "Nakamura",
    "Lindqvist",
    "Moreau",
    "Kowalski",
    "Haddad",
    "Brennan",
    "Castillo",
    "Novak",
    "Petrov",
    "Quintero",
    "Svensson",
    "Tanaka",
    "Abbott",
    "Whitfield",
    "Ramirez",
    "Osei",
    "Fischer",
    "Dalton",
    "Iyer",
    "Jansen",
    "Kerr",
    "Mendez",
    "Sato",
];

/// How many distinct generated users there can be (the most `--seed-users`
/// accepts).
pub const MAX_EXTRA_USERS: u32 = (FIRST_NAMES.len() * LAST_NAMES.len()) as u32;

/// Multiplier walking the name combinations in a scattered but fixed order
/// (coprime with [`MAX_EXTRA_USERS`], so no combination comes up twice).
const NAME_STRIDE: usize = 1237;

/// A generated user's id, name and address (ids `u-2001`, `u-2002`, …; the
/// address is `firstname.lastname@contoso.com`). Deterministic: the same
/// `index` (0-based, below [`MAX_EXTRA_USERS`]) always gives the same user.
pub struct ExtraUser {
    pub id: String,
    pub name: String,
    pub email: String,
}

pub fn extra_user(index: u32) -> ExtraUser {
    let combination = (index as usize * NAME_STRIDE) % MAX_EXTRA_USERS as usize;
    let first = FIRST_NAMES[combination % FIRST_NAMES.len()];
    let last = LAST_NAMES[combination / FIRST_NAMES.len()];
    ExtraUser {
        id: format!("u-{}", 2001 + index),
        name: format!("{first} {last}"),
        email: format!("{first}.{last}@contoso.com").to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn generated_users_are_distinct_and_well_formed() {
        let demo_names: HashSet<&str> = SEED_USERS.iter().map(|u| u.1).collect();
        let demo_emails: HashSet<&str> = SEED_USERS.iter().map(|u| u.2).collect();
        let mut names = HashSet::new();
        let mut emails = HashSet::new();
        for index in 0..MAX_EXTRA_USERS {
            let user = extra_user(index);
            assert_eq!(user.id, format!("u-{}", 2001 + index));
            let (first, last) = user.name.split_once(' ').unwrap();
            assert_eq!(
                user.email,
                format!(
                    "{}.{}@contoso.com",
                    first.to_lowercase(),
                    last.to_lowercase()
                )
            );
            assert!(
                user.email.parse::<lettre::Address>().is_ok(),
                "{}",
                user.email
            );
            assert!(alternate_email(&user.name)
                .parse::<lettre::Address>()
                .is_ok());
            assert!(!demo_names.contains(user.name.as_str()));
            assert!(!demo_emails.contains(user.email.as_str()));
            assert!(names.insert(user.name), "repeated name at {index}");
            assert!(emails.insert(user.email), "repeated address at {index}");
        }
        // Neighbours differ in both names: the list looks like a directory.
        let (a, b) = (extra_user(0), extra_user(1));
        assert_eq!(a.name, "Isaiah Langer");
        let split = |n: &str| n.split_once(' ').map(|(f, l)| (f.to_owned(), l.to_owned()));
        let ((fa, la), (fb, lb)) = (split(&a.name).unwrap(), split(&b.name).unwrap());
        assert!(fa != fb && la != lb, "{} / {}", a.name, b.name);
    }

    #[test]
    fn alternate_addresses() {
        assert_eq!(
            alternate_email("Diane Prescott"),
            "diane.prescott@alt.contoso.test"
        );
        assert_eq!(alternate_email("Lee Gu"), "lee.gu@alt.contoso.test");
    }
}
