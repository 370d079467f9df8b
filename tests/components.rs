//! Component tests: the dialog rendered by Yew into a shadow root in headless
//! Chromium (`make test-components`), with the real estimator (zxcvbn, here
//! in-process instead of in its worker) and the real HTTP transport.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use password_reset_widget::core::config::{Config, Subject};
use password_reset_widget::core::policy::Blocklist;
use password_reset_widget::core::strength::{Estimate, StrengthSource};
use password_reset_widget::dialog::services::{
    Blocklists, Estimator, LocalFuture, Services, WidgetEvent,
};
use password_reset_widget::dialog::{Dialog, DialogProps};
use password_reset_widget::embed::http::HttpTransport;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Element, HtmlButtonElement, HtmlElement, HtmlInputElement, InputEvent, InputEventInit,
    ShadowRoot, ShadowRootInit, ShadowRootMode,
};

wasm_bindgen_test_configure!(run_in_browser);

/// The estimator's own pure function, called in-process.
struct InProcessEstimator;

impl Estimator for InProcessEstimator {
    fn estimate(
        &self,
        password: &str,
        user_inputs: &[String],
    ) -> LocalFuture<Result<Estimate, ()>> {
        let estimate = reset_estimator::estimate(password, user_inputs);
        Box::pin(async move { Ok(estimate) })
    }
}

/// The organisation's list as a page would serve it, counting the loads.
#[derive(Default)]
struct ListedBlocklist {
    loads: RefCell<Vec<String>>,
}

impl Blocklists for ListedBlocklist {
    fn load(&self, url: &str) -> LocalFuture<Blocklist> {
        self.loads.borrow_mut().push(url.to_string());
        Box::pin(async { Blocklist::parse("# refused\nMarmalade-Tundra-48\n") })
    }
}

fn services(events: Rc<RefCell<Vec<WidgetEvent>>>, blocklists: Rc<ListedBlocklist>) -> Services {
    Services {
        estimator: Rc::new(InProcessEstimator),
        transport: Rc::new(HttpTransport::new(Default::default())),
        blocklists,
        on_event: yew::Callback::from(move |e| events.borrow_mut().push(e)),
    }
}

struct Mounted {
    root: ShadowRoot,
    events: Rc<RefCell<Vec<WidgetEvent>>>,
    blocklists: Rc<ListedBlocklist>,
}

/// Lets what was dispatched render: Yew renders, and the in-process
/// estimator answers, in microtasks, which all run before a zero timeout.
async fn settle() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

/// Waits until `condition` holds (at most 5 s), so a test waits for what it
/// expects rather than for a guessed time.
async fn until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..1000 {
        if condition() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("gave up waiting for {what}");
}

/// A host element on the page with an open shadow root, and the element
/// inside it that the dialog renders into (as `reset-widget.js` sets it up).
fn shadow_container() -> (ShadowRoot, Element) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let root = host
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .unwrap();
    let container = document.create_element("div").unwrap();
    root.append_child(&container).unwrap();
    (root, container)
}

async fn mount(extra: &[(&str, &str)]) -> Mounted {
    let (root, container) = shadow_container();
    let mut attrs = vec![
        ("endpoint", "/api/password-resets"),
        ("user-id", "u-1042"),
        ("user-name", "Diane Prescott"),
        ("user-email", "diane@contoso.com"),
        ("deliver-to", "adele@contoso.com"),
    ];
    attrs.extend_from_slice(extra);
    let config = Config::from_attributes(|name| {
        attrs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    })
    .unwrap();
    let events = Rc::new(RefCell::new(Vec::new()));
    let blocklists = Rc::new(ListedBlocklist::default());
    let Subject::One(user) = config.subject.clone() else {
        panic!("one user")
    };
    yew::Renderer::<Dialog>::with_root_and_props(
        container,
        DialogProps {
            config: Rc::new(config),
            user: Rc::new(user),
            services: services(events.clone(), blocklists.clone()),
        },
    )
    .render();
    let m = Mounted {
        root,
        events,
        blocklists,
    };
    until("the dialog", || m.find(".dialog").is_some()).await;
    m
}

impl Mounted {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn text(&self) -> String {
        self.find(".dialog")
            .map(|e| e.text_content().unwrap_or_default())
            .unwrap_or_default()
    }

    fn button(&self, name: &str) -> HtmlButtonElement {
        let all = self.root.query_selector_all("button").unwrap();
        (0..all.length())
            .filter_map(|i| all.item(i))
            .map(|n| n.unchecked_into::<HtmlButtonElement>())
            .find(|b| b.text_content().unwrap_or_default().trim() == name)
            .unwrap_or_else(|| panic!("no button named {name:?} in {:?}", self.text()))
    }

    fn input(&self, selector: &str) -> HtmlInputElement {
        self.find(selector)
            .unwrap_or_else(|| panic!("no {selector}"))
            .unchecked_into()
    }

    /// The meter shows an estimate (not "unknown" or "checking").
    fn meter_known(&self) -> bool {
        self.find("[role=meter]")
            .and_then(|m| m.get_attribute("data-score"))
            .is_some_and(|s| s != "none")
    }

    fn meter_score(&self) -> String {
        self.find("[role=meter]")
            .unwrap()
            .get_attribute("aria-valuenow")
            .unwrap()
    }

    async fn click(&self, name: &str) {
        self.button(name).click();
        settle().await;
    }

    /// Types text the way a person does: one `input` event per character.
    async fn type_into(&self, selector: &str, text: &str) {
        let input = self.input(selector);
        for c in text.chars() {
            input.set_value(&format!("{}{c}", input.value()));
            let init = InputEventInit::new();
            init.set_bubbles(true);
            let event = InputEvent::new_with_event_init_dict("input", &init).unwrap();
            input.dispatch_event(&event).unwrap();
            settle().await;
        }
        settle().await;
    }

    async fn choose_custom(&self) {
        let radios = self.root.query_selector_all("input[type=radio]").unwrap();
        radios
            .item(1)
            .unwrap()
            .unchecked_into::<HtmlElement>()
            .click();
        settle().await;
    }
}

#[wasm_bindgen_test]
async fn it_opens_on_a_generated_password_with_its_exact_strength() {
    let m = mount(&[]).await;
    assert!(m.text().contains("Step 1 of 3"), "{}", m.text());
    let radios = m.root.query_selector_all("input[type=radio]").unwrap();
    assert!(radios
        .item(0)
        .unwrap()
        .unchecked_into::<HtmlInputElement>()
        .checked());
    let field = m.input("#rp-password");
    assert_eq!(field.type_(), "password", "masked until shown");
    assert_eq!(field.value().chars().count(), 16);
    assert_eq!(m.meter_score(), "4");
    assert!(m.text().contains("bits of entropy"));
    let events = m.events.borrow();
    assert!(matches!(
        events.last(),
        Some(WidgetEvent::Strength {
            score: 4,
            source: StrengthSource::Generated,
            ..
        })
    ));
}

#[wasm_bindgen_test]
async fn show_and_generate_another_work() {
    let m = mount(&[]).await;
    let first = m.input("#rp-password").value();
    m.click("Show password").await;
    assert_eq!(m.input("#rp-password").type_(), "text");
    m.click("Hide password").await;
    assert_eq!(m.input("#rp-password").type_(), "password");
    m.click("Generate another password").await;
    let second = m.input("#rp-password").value();
    assert_ne!(first, second);
    assert_eq!(second.chars().count(), 16);
}

#[wasm_bindgen_test]
async fn the_meter_follows_typing() {
    let m = mount(&[]).await;
    m.choose_custom().await;
    assert_eq!(
        m.input("#rp-password")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("new-password")
    );
    m.type_into("#rp-password", "password").await;
    until("the first estimate", || m.meter_known()).await;
    assert_eq!(m.meter_score(), "0", "a top-10 password");
    m.type_into("#rp-password", "-Quokka9-staple!").await;
    until("a strong estimate", || m.meter_score() == "4").await;
    assert_eq!(m.meter_score(), "4");
    let estimated = m
        .events
        .borrow()
        .iter()
        .filter(|e| {
            matches!(
                e,
                WidgetEvent::Strength {
                    source: StrengthSource::Estimated,
                    ..
                }
            )
        })
        .count();
    assert!(
        estimated >= 2,
        "one strength event per new result, got {estimated}"
    );
}

#[wasm_bindgen_test]
async fn next_stays_disabled_below_the_policy_with_the_reason_shown() {
    let m = mount(&[]).await;
    m.choose_custom().await;
    assert!(m.button("Next").disabled(), "nothing typed");
    m.type_into("#rp-password", "Tr0ub4dor&3").await;
    m.click("Next").await;
    assert!(m.text().contains("Step 2 of 3"));
    assert!(m.button("Next").disabled());
    assert!(
        m.text().contains("Use at least 12 characters."),
        "{}",
        m.text()
    );
    m.click("Back").await;
    m.type_into("#rp-password", "-zebra-kettle").await;
    m.click("Next").await;
    assert!(
        m.text().contains("This password meets the requirements."),
        "{}",
        m.text()
    );
    assert!(!m.button("Next").disabled());
}

#[wasm_bindgen_test]
async fn the_users_own_name_is_refused() {
    let m = mount(&[]).await;
    m.choose_custom().await;
    m.type_into("#rp-password", "Prescott-rules-the-world-7")
        .await;
    m.click("Next").await;
    assert!(m.button("Next").disabled());
    assert!(
        m.text().contains("Don't use the user's name"),
        "{}",
        m.text()
    );
}

#[wasm_bindgen_test]
async fn steps_go_forward_and_back_without_losing_input() {
    let m = mount(&[]).await;
    m.choose_custom().await;
    m.type_into("#rp-password", "correct-Horse7battery!").await;
    m.click("Next").await;
    m.click("Next").await;
    assert!(m.text().contains("Step 3 of 3"));
    assert_eq!(
        m.input("#rp-to").value(),
        "adele@contoso.com",
        "prefilled from deliver-to"
    );
    m.type_into("#rp-to", ", it@contoso.com").await;
    let checkbox = m.input("input[type=checkbox]");
    assert!(
        checkbox.checked(),
        "must change at first sign-in by default"
    );
    checkbox.click();
    settle().await;
    m.click("Back").await;
    m.click("Back").await;
    assert_eq!(m.input("#rp-password").value(), "correct-Horse7battery!");
    m.click("Next").await;
    m.click("Next").await;
    assert_eq!(
        m.input("#rp-to").value(),
        "adele@contoso.com, it@contoso.com"
    );
    assert!(!m.input("input[type=checkbox]").checked());
    assert!(
        m.text()
            .contains("e-mailed to adele@contoso.com, it@contoso.com"),
        "{}",
        m.text()
    );
    assert!(!m.button("Reset password").disabled());
}

#[wasm_bindgen_test]
async fn a_bad_address_is_named_and_blocks_the_reset() {
    let m = mount(&[]).await;
    m.click("Next").await;
    m.click("Next").await;
    m.type_into("#rp-to", ", not-an-address").await;
    assert!(
        m.text()
            .contains("\"not-an-address\" is not a valid e-mail address."),
        "{}",
        m.text()
    );
    assert_eq!(
        m.input("#rp-to").get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(m.button("Reset password").disabled());
}

#[wasm_bindgen_test]
async fn a_bad_configuration_is_shown_in_the_element() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document
        .create_element("reset-password-test")
        .unwrap()
        .unchecked_into();
    host.set_attribute("user-id", "u-1").unwrap();
    host.set_attribute("min-score", "7").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let container = document.create_element("div").unwrap();
    host.append_child(&container).unwrap();
    let _handle = password_reset_widget::embed::mount(
        host.clone(),
        container.clone(),
        js_sys::Function::new_no_args(""),
        js_sys::Function::new_no_args(""),
    );
    until("the configuration error", || {
        container
            .text_content()
            .unwrap()
            .contains("not set up correctly")
    })
    .await;
    let text = container.text_content().unwrap();
    assert!(text.contains("not set up correctly"), "{text}");
    assert!(text.contains("attribute `endpoint`"), "{text}");
}

#[wasm_bindgen_test]
async fn bulk_mode_lists_the_users_and_leaves_the_admin_out() {
    use password_reset_widget::dialog::{BulkDialog, BulkDialogProps};
    let (root, container) = shadow_container();
    let users: Vec<String> = (0..45)
        .map(|i| format!(r#"{{"id":"u-{i}","name":"User {i}"}}"#))
        .collect();
    let users = format!("[{}]", users.join(","));
    let config = Config::from_attributes(|name| match name {
        "endpoint" => Some("/api/password-resets".into()),
        "users" => Some(users.clone()),
        "current-user-id" => Some("u-7".into()),
        "deliver-to" => Some("adele@contoso.com".into()),
        _ => None,
    })
    .unwrap();
    let Subject::Many(users) = config.subject.clone() else {
        panic!("bulk mode")
    };
    let m = Mounted {
        root,
        events: Rc::default(),
        blocklists: Rc::default(),
    };
    yew::Renderer::<BulkDialog>::with_root_and_props(
        container,
        BulkDialogProps {
            config: Rc::new(config),
            users: Rc::new(users),
            services: services(m.events.clone(), m.blocklists.clone()),
        },
    )
    .render();
    until("the bulk dialog", || m.find(".dialog").is_some()).await;
    assert!(m.text().contains("44 of 44 users selected"), "{}", m.text());
    assert!(m
        .text()
        .contains("You can't reset your own password at the same time as everyone else's."));
    assert!(!m.text().contains("User 7 "), "the admin is not listed");
    let boxes = m.root.query_selector_all("input[type=checkbox]").unwrap();
    assert_eq!(boxes.length(), 44);
    boxes
        .item(0)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert!(m.text().contains("43 of 44 users selected"));
    m.click("Clear selection").await;
    assert!(m.button("Next").disabled());
    m.click("Select all").await;
    m.click("Next").await;
    assert!(m.text().contains("Step 2 of 3"));
    assert!(
        m.text()
            .contains("e-mailed to adele@contoso.com, in one message per batch of up to 40 users"),
        "{}",
        m.text()
    );
    m.click("Back").await;
    assert!(m.text().contains("44 of 44 users selected"));
}

#[wasm_bindgen_test]
async fn the_blocklist_comes_through_the_dialogs_services() {
    let m = mount(&[("blocklist-url", "/banned.txt")]).await;
    until("the blocklist", || m.blocklists.loads.borrow().len() == 1).await;
    assert_eq!(*m.blocklists.loads.borrow(), vec!["/banned.txt"]);
    m.choose_custom().await;
    m.type_into("#rp-password", "Marmalade-Tundra-48").await;
    until("an estimate", || m.meter_known()).await;
    m.click("Next").await;
    assert!(
        m.text()
            .contains("This password is on your organisation's list of banned passwords."),
        "{}",
        m.text()
    );
    assert!(m.button("Next").disabled());
}

#[wasm_bindgen_test]
async fn the_change_form_labels_a_temporary_password_and_checks_the_confirmation() {
    use password_reset_widget::core::config::{Element as ConfiguredElement, Surroundings};
    use password_reset_widget::dialog::{ChangeForm, ChangeFormProps};
    let (root, container) = shadow_container();
    let around = Surroundings {
        element: ConfiguredElement::ChangePassword,
        ..Default::default()
    };
    let config = Config::read(
        |name| match name {
            "endpoint" => Some("/api/password-changes".into()),
            "user-id" => Some("u-1042".into()),
            "user-name" => Some("Diane Prescott".into()),
            "temporary" => Some(String::new()),
            _ => None,
        },
        &around,
    )
    .unwrap();
    let Subject::One(user) = config.subject.clone() else {
        panic!("one user")
    };
    let m = Mounted {
        root,
        events: Rc::default(),
        blocklists: Rc::default(),
    };
    yew::Renderer::<ChangeForm>::with_root_and_props(
        container,
        ChangeFormProps {
            config: Rc::new(config),
            user: Rc::new(user),
            services: services(m.events.clone(), m.blocklists.clone()),
        },
    )
    .render();
    until("the change form", || m.find("#rp-current").is_some()).await;
    let label = m
        .find("label[for=rp-current]")
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(label, "Temporary password");
    assert_eq!(
        m.input("#rp-current")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("current-password")
    );
    m.type_into("#rp-current", "Temp-1").await;
    m.type_into("#rp-password", "Quokka-Marmalade-Tundra-48")
        .await;
    until("an estimate", || m.meter_known()).await;
    m.type_into("#rp-confirm", "Quokka-Marmalade").await;
    assert!(
        m.text().contains("The two new passwords don't match."),
        "{}",
        m.text()
    );
    assert!(m.button("Change password").disabled());
    m.type_into("#rp-confirm", "-Tundra-48").await;
    assert!(!m.text().contains("don't match"));
    assert!(!m.button("Change password").disabled());
    m.click("Suggest a password").await;
    let suggested = m.input("#rp-password").value();
    assert_ne!(suggested, "Quokka-Marmalade-Tundra-48");
    assert_eq!(
        m.input("#rp-password").type_(),
        "text",
        "a suggestion is shown"
    );
    assert_eq!(m.input("#rp-confirm").value(), suggested);
    assert!(m.text().contains("bits of entropy"), "{}", m.text());
}

#[wasm_bindgen_test]
async fn the_recovery_form_asks_for_a_login_first() {
    use password_reset_widget::core::config::{Element as ConfiguredElement, Surroundings};
    use password_reset_widget::dialog::{RecoverForm, RecoverFormProps};
    let (root, container) = shadow_container();
    let around = Surroundings {
        element: ConfiguredElement::RecoverPassword,
        ..Default::default()
    };
    let config = Config::read(
        |name| (name == "endpoint").then(|| "/api/password-recovery".to_string()),
        &around,
    )
    .unwrap();
    let m = Mounted {
        root,
        events: Rc::default(),
        blocklists: Rc::default(),
    };
    yew::Renderer::<RecoverForm>::with_root_and_props(
        container,
        RecoverFormProps {
            config: Rc::new(config),
            services: services(m.events.clone(), m.blocklists.clone()),
        },
    )
    .render();
    until("the recovery form", || m.find("#rp-login").is_some()).await;
    assert!(m.text().contains("Step 1 of 3"), "{}", m.text());
    assert_eq!(
        m.find("label[for=rp-login]")
            .unwrap()
            .text_content()
            .unwrap(),
        "User name or email"
    );
    assert!(m.button("Send code").disabled(), "nothing typed");
    m.type_into("#rp-login", "diane@contoso.com").await;
    assert!(!m.button("Send code").disabled());
    assert_eq!(
        m.input("#rp-login")
            .get_attribute("autocomplete")
            .as_deref(),
        Some("username")
    );
}
