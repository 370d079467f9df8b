//! Static files: the widget bundle, the sample page, and its strict CSP.

use crate::common::{repo_dir, TestApp};
use reset_backend::routes::CONTENT_SECURITY_POLICY;

#[tokio::test]
async fn serves_the_widget_bundle_with_the_right_types() {
    let app = TestApp::new();
    let js = app.get("/static/reset-widget/reset-widget.js").await;
    assert_eq!(js.status, 200);
    assert_eq!(js.header("content-type"), "text/javascript");
    let wasm = app.get("/static/reset-widget/reset-widget_bg.wasm").await;
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), "application/wasm");
    assert_eq!(app.get("/static/reset-widget/missing.js").await.status, 404);
}

#[tokio::test]
async fn serves_the_sample_page_under_a_strict_csp() {
    let app = TestApp::new();
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(
        page.header("content-security-policy"),
        CONTENT_SECURITY_POLICY
    );
    assert_eq!(page.header("x-content-type-options"), "nosniff");
    let html = page.text();
    assert!(html
        .contains(r#"<script type="module" src="/static/reset-widget/reset-widget.js"></script>"#));
    assert!(html.contains(r#"<dialog id="reset-dialog""#));
    assert!(html.contains(r#"href="/outbox""#));

    assert!(html.contains(r#"id="sign-out""#));
    assert!(
        !html.contains("Adele Vance"),
        "the name comes from the session"
    );

    for asset in ["/intranet.css", "/intranet.js", "/sign-in.js"] {
        let response = app.get(asset).await;
        assert_eq!(response.status, 200, "{asset}");
    }
    assert_eq!(
        app.get("/intranet.js").await.header("content-type"),
        "text/javascript"
    );
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
}

#[tokio::test]
async fn serves_the_sign_in_page_with_the_demo_credential() {
    let app = TestApp::new();
    let page = app.get("/sign-in.html").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").starts_with("text/html"));
    assert_eq!(
        page.header("content-security-policy"),
        CONTENT_SECURITY_POLICY
    );
    let html = page.text();
    assert!(html.contains(r#"<script type="module" src="/sign-in.js"></script>"#));
    assert!(html.contains(r#"value="u-1001""#));
    assert!(html.contains(r#"type="password""#));
    // A POST form: a password never lands in a URL, even without script.
    assert!(html.contains(r#"<form id="sign-in-form" class="sign-in-form" method="post">"#));
    assert!(html.contains(reset_backend::config::DEMO_ADMIN_PASSWORD));
    let script = app.get("/sign-in.js").await;
    assert_eq!(script.header("content-type"), "text/javascript");
    assert!(script.text().contains(r#"fetch("/api/session""#));
}

#[test]
fn the_sample_page_has_no_inline_script_or_style() {
    let www = repo_dir("www");
    for entry in std::fs::read_dir(&www).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if path.extension().is_some_and(|e| e == "html") {
            let lower = text.to_lowercase();
            assert!(!lower.contains("<style"), "{path:?} has a <style> block");
            assert!(!lower.contains(" style="), "{path:?} has a style attribute");
            assert!(
                !has_event_handler_attribute(&lower),
                "{path:?} has an inline event handler"
            );
            for script in lower.split("<script").skip(1) {
                let (open_tag, rest) = script.split_once('>').unwrap();
                assert!(open_tag.contains("src="), "{path:?} has an inline script");
                assert!(
                    rest.trim_start().starts_with("</script>"),
                    "{path:?} has an inline script"
                );
            }
        }
        if path.extension().is_some_and(|e| e == "js") {
            // Styles set from script are inline styles too, as far as CSP is concerned.
            assert!(!text.contains(".style."), "{path:?} sets an inline style");
            assert!(
                !text.contains("innerHTML"),
                "{path:?} builds HTML from strings"
            );
        }
    }
}

/// ` onclick=`, ` onload =`…: inline handlers are inline scripts under CSP.
fn has_event_handler_attribute(html: &str) -> bool {
    html.match_indices(" on").any(|(at, _)| {
        let rest = &html[at + 3..];
        let name_len = rest.chars().take_while(|c| c.is_ascii_lowercase()).count();
        name_len > 0 && rest[name_len..].trim_start().starts_with('=')
    })
}
