//! The embed layer: what connects the dialog to a host page.
//!
//! `reset-widget.js` (next to this file) defines the `<reset-password>` custom
//! element; for each element it attaches an open shadow root, adopts the
//! stylesheet and calls [`mount`], which reads the attributes, renders the
//! dialog with Yew into the shadow root, and wires the real services: HTTP
//! ([`http`]) or the page's transport ([`js_transport`]), the estimator
//! ([`estimator`]) and DOM events ([`events`]).

pub mod api;
pub mod blocklist;
pub mod estimator;
pub mod events;
pub mod http;
pub mod js_transport;
pub mod policy;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

use crate::core::config::{
    Config, ConfigError, Element as ConfiguredElement, Subject, Surroundings,
};
use crate::dialog::services::Services;
use crate::dialog::{
    BulkDialog, BulkDialogProps, ChangeForm, ChangeFormProps, ConfigErrorView, Dialog, DialogProps,
    RecoverForm, RecoverFormProps, STYLESHEET,
};

/// The dialog's CSS, for a constructable stylesheet.
#[wasm_bindgen]
pub fn stylesheet() -> String {
    STYLESHEET.to_string()
}

/// A mounted dialog; `destroy()` unmounts it (when the element leaves the page).
#[wasm_bindgen]
pub struct WidgetHandle {
    mounted: Rc<RefCell<Mounted>>,
    failed: bool,
}

/// What a handle unmounts: nothing yet (the served policy is on its way),
/// the rendered app, or nothing any more.
enum Mounted {
    Waiting,
    App(Box<dyn FnOnce()>),
    Destroyed,
}

impl WidgetHandle {
    fn new(mounted: Mounted, failed: bool) -> WidgetHandle {
        WidgetHandle {
            mounted: Rc::new(RefCell::new(mounted)),
            failed,
        }
    }
}

#[wasm_bindgen]
impl WidgetHandle {
    /// True when the element shows a configuration error instead of a dialog.
    #[wasm_bindgen(getter)]
    pub fn failed(&self) -> bool {
        self.failed
    }

    pub fn destroy(&mut self) {
        let before = std::mem::replace(&mut *self.mounted.borrow_mut(), Mounted::Destroyed);
        if let Mounted::App(unmount) = before {
            unmount();
        }
    }
}

/// Renders `C` into `container`; calling the result unmounts it.
fn render<C>(container: Element, props: C::Properties) -> Mounted
where
    C: yew::BaseComponent,
{
    let app = yew::Renderer::<C>::with_root_and_props(container, props).render();
    Mounted::App(Box::new(move || app.destroy()))
}

/// Shows a configuration error in the element (and logs it once).
fn show_error(container: Element, error: &ConfigError, lang: String) -> Mounted {
    web_sys::console::error_1(&JsValue::from_str(&error.to_string()));
    let props = crate::dialog::ConfigErrorProps {
        message: error.to_string().into(),
        lang: lang.into(),
    };
    render::<ConfigErrorView>(container, props)
}

/// The page's clock, for a `Retry-After` given as a date.
fn now_unix_seconds() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// The language around the element: its own `lang`, else the closest
/// ancestor's (the document's `<html lang>` included).
fn language_of(host: &Element) -> Option<String> {
    host.closest("[lang]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("lang"))
        .filter(|l| !l.trim().is_empty())
}

/// Refuses an `http:` endpoint unless the page is on localhost (the URL is
/// resolved against the page, as fetch would).
fn check_endpoint(endpoint: &str) -> Result<(), crate::core::config::ConfigError> {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return Ok(());
    };
    let base = location.href().unwrap_or_default();
    let resolved = web_sys::Url::new_with_base(endpoint, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| endpoint.to_string());
    crate::core::config::check_endpoint_security(
        &resolved,
        &location.hostname().unwrap_or_default(),
    )
}

/// Renders the dialog for `host` into `container` (an element inside the
/// host's shadow root). `estimate` is the page's estimator function
/// (`(password, userInputs) => Promise<string>`, the worker's JSON reply);
/// `prepare_estimator` (`() => void`) starts loading it ahead of the first key.
/// Never throws: a bad configuration is shown inside the element and logged once.
///
/// With `policy-url`, the dialog appears once the served policy is read
/// (within `timeout-ms`), so that it never shows rules the server does not
/// enforce. If it cannot be read, the element's own policy attributes apply
/// and a console warning says so: the backend still refuses what its policy
/// refuses, and the dialog shows that refusal at the password.
#[wasm_bindgen]
pub fn mount(
    host: HtmlElement,
    container: Element,
    estimate: js_sys::Function,
    prepare_estimator: js_sys::Function,
) -> WidgetHandle {
    let element = ConfiguredElement::from_tag(&host.tag_name()).unwrap_or_default();
    let around = Surroundings {
        inherited_lang: language_of(&host),
        has_transport: js_transport::page_transport(&host).is_some(),
        element,
    };
    let lang = around.inherited_lang.clone().unwrap_or_else(|| "en".into());
    let checked = Config::read(|name| host.get_attribute(name), &around).and_then(|config| {
        if !around.has_transport {
            check_endpoint(&config.endpoint)?;
            check_endpoint(&config.step_up_endpoint).map_err(|e| {
                crate::core::config::ConfigError {
                    attribute: "step-up-endpoint",
                    ..e
                }
            })?;
        }
        Ok(config)
    });
    let config = match checked {
        Ok(config) => config,
        Err(error) => return WidgetHandle::new(show_error(container, &error, lang), true),
    };
    let services = Services {
        estimator: Rc::new(estimator::PageEstimator::new(estimate, prepare_estimator)),
        transport: Rc::new(js_transport::ElementTransport::new(
            host.clone(),
            config.transport.clone(),
        )),
        blocklists: Rc::new(blocklist::PageBlocklists {
            options: config.transport.clone(),
        }),
        on_event: events::dispatcher(host.clone()),
    };
    let Some(policy_url) = config.policy_url.clone() else {
        return WidgetHandle::new(render_flow(container, element, config, services), false);
    };
    let handle = WidgetHandle::new(Mounted::Waiting, false);
    let mounted = handle.mounted.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let served = policy::fetch(&policy_url, &config.transport).await;
        if matches!(*mounted.borrow(), Mounted::Destroyed) {
            return;
        }
        let shown = match served {
            Ok((served, blocklist)) => match config.clone().with_served_policy(served, blocklist) {
                Ok(config) => render_flow(container, element, config, services),
                Err(error) => show_error(container, &error, lang),
            },
            Err(why) => {
                let warning = format!(
                    "policy-url {policy_url}: {why}. The element's policy attributes apply; \
                     the backend still enforces its own policy."
                );
                web_sys::console::warn_1(&JsValue::from_str(&warning));
                render_flow(container, element, config, services)
            }
        };
        *mounted.borrow_mut() = shown;
    });
    handle
}

/// Renders the flow the element and its subject choose.
fn render_flow(
    container: Element,
    element: ConfiguredElement,
    config: Config,
    services: Services,
) -> Mounted {
    let subject = config.subject.clone();
    let config = Rc::new(config);
    // The element and the configuration's subject choose the flow.
    match (element, subject) {
        (ConfiguredElement::ChangePassword, Subject::One(user)) => {
            let user = Rc::new(user);
            render::<ChangeForm>(
                container,
                ChangeFormProps {
                    config,
                    user,
                    services,
                },
            )
        }
        (_, Subject::Many(users)) => {
            let users = Rc::new(users);
            render::<BulkDialog>(
                container,
                BulkDialogProps {
                    config,
                    users,
                    services,
                },
            )
        }
        (_, Subject::One(user)) => {
            let user = Rc::new(user);
            render::<Dialog>(
                container,
                DialogProps {
                    config,
                    user,
                    services,
                },
            )
        }
        (_, Subject::Login) => {
            render::<RecoverForm>(container, RecoverFormProps { config, services })
        }
    }
}
