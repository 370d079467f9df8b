//! The largest request the widget's bulk mode sends: 40 resets, one of
//! them for a user the directory does not know.

use std::collections::HashSet;

use serde_json::json;

use reset_backend::db::DEMO_ADMIN_ID;

use crate::common::{TestApp, ADMIN};

/// 39 users who exist (every demo user but the admin, and 34 generated
/// ones), then one unknown id: 40 resets.
fn forty_ids() -> Vec<String> {
    let mut ids: Vec<String> = ["u-1042", "u-1043", "u-1044", "u-1045", "u-1046"]
        .iter()
        .map(|id| id.to_string())
        .collect();
    ids.extend((2001..=2034).map(|n| format!("u-{n}")));
    ids.insert(17, "u-9999".to_owned());
    ids
}

/// Distinct per user, and meets the policy (no id, name or address in it).
fn password_of(id: &str) -> String {
    format!("Lantern-Quartz-{}-Meadow!", id.trim_start_matches("u-"))
}

fn request(ids: &[String]) -> serde_json::Value {
    json!({
        "resets": ids.iter().map(|id| json!({ "userId": id, "password": password_of(id) })).collect::<Vec<_>>(),
        "passwordSource": "generated",
        "forceChangePasswordNextSignIn": true,
        "deliverTo": [ADMIN],
    })
}

#[tokio::test]
async fn forty_resets_with_one_unknown_user_reset_the_others_in_one_message() {
    let app = TestApp::with_new_database(|config| config.seed_users = 34);
    let ids = forty_ids();
    assert_eq!(ids.len(), 40);

    // 41 is one too many: 413, and nothing is reset or written.
    let mut too_many = ids.clone();
    too_many.push("u-2035".to_owned());
    let response = app.reset(&request(&too_many)).await;
    let problem = response.problem(413);
    assert_eq!(problem["title"], "Too many resets");
    assert_eq!(response.error_fields(), ["resets"]);
    assert!(app.outbox().await.is_empty());
    for id in ["u-1042", "u-2001", "u-2034"] {
        assert_eq!(app.resets_of(id).await.0, 0, "{id}");
    }

    let response = app
        .reset_with_key(&request(&ids), "5b0f7a52-6a55-4d8e-9a0c-2f4f8d0c4e01")
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let json = response.json();
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 40);
    for (result, id) in results.iter().zip(&ids) {
        assert_eq!(
            result["userId"],
            id.as_str(),
            "results keep the request's order"
        );
        if id == "u-9999" {
            assert_eq!(
                *result,
                json!({ "userId": "u-9999", "status": "failed", "detail": "No user with this id exists." })
            );
        } else {
            assert_eq!(*result, json!({ "userId": id, "status": "reset" }));
        }
    }
    assert_eq!(json["delivery"]["status"], "queued");
    for id in &ids {
        assert!(!response.text().contains(&password_of(id)));
    }

    // One message for the request, listing the 39 users, passwords masked.
    let outbox = app.outbox().await;
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    let message = &outbox[0];
    assert_eq!(message["to"], json!([ADMIN]));
    assert_eq!(message["subject"], "Password reset for 39 users");
    let body = message["body"].as_str().unwrap();
    let users = app.get_as(&app.admin, "/api/users").await.json();
    let mut listed = HashSet::new();
    for user in users.as_array().unwrap() {
        let id = user["id"].as_str().unwrap();
        let line = format!(
            "The password for {} ({id}) has been reset.",
            user["name"].as_str().unwrap()
        );
        if body.contains(&line) {
            listed.insert(id.to_owned());
        }
    }
    let expected: HashSet<String> = ids.iter().filter(|id| *id != "u-9999").cloned().collect();
    assert_eq!(listed, expected);
    assert!(!listed.contains(DEMO_ADMIN_ID));
    assert_eq!(
        body.matches("Temporary password: •••••••• (omitted from the demo outbox)")
            .count(),
        39
    );
    assert!(!body.contains("u-9999"));
    for id in &ids {
        assert!(!message.to_string().contains(&password_of(id)));
    }

    // Each user got their own password: a sample signs in with it.
    for id in ["u-1042", "u-2001", "u-2034"] {
        assert_eq!(app.sign_in(id, &password_of(id)).await.status, 200, "{id}");
    }
    assert_eq!(
        app.sign_in("u-2001", &password_of("u-2002")).await.status,
        401
    );
}
