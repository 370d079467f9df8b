//! The README's "one policy in your own Rust backend" example, run as a test
//! and compared with the README, so the two cannot drift.

fn check(password: &str) -> Vec<&'static str> {
    // README: begin
    use password_reset_widget::core::policy::{Blocklist, Policy, UserWords};
    use password_reset_widget::core::{strength::Strength, unicode::nfkc};

    let user = UserWords {
        user_id: "u-1042".into(),
        name: "Diane Prescott".into(),
        email: "diane@contoso.com".into(),
        context: vec!["Contoso".into()],
    };
    let estimate = reset_estimator::estimate(&nfkc(password), &user.estimator_inputs());
    let strength = Strength::from_estimate(estimate);
    let refused = Policy::default().check(password, Some(&strength), &user, &Blocklist::None);
    // Empty: accept. Else answer 422 with each reason's code(): "tooShort", "tooWeak", ...
    // README: end
    refused.iter().map(|v| v.code()).collect()
}

#[test]
fn the_example_refuses_what_the_widget_refuses() {
    assert!(check("Vq8#tLm2!pZx9wRk").is_empty());
    assert_eq!(check("password1"), ["tooShort", "tooWeak"]);
    assert_eq!(check("Prescott-Vq8#tLm2!"), ["containsUserInfo"]);
}

#[test]
fn the_readme_shows_the_example_as_it_is_run() {
    let source = include_str!("crate_boundary.rs");
    let begin = source.find("// README: begin\n").unwrap() + "// README: begin\n".len();
    let end = source.find("    // README: end").unwrap();
    let example: String = source[begin..end]
        .lines()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .map(|line| format!("{line}\n"))
        .collect();
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(&example),
        "README.md must hold this example verbatim:\n{example}"
    );
}
