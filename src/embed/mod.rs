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

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

use crate::core::config::{Config, Element as ConfiguredElement, Subject, Surroundings};
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
    unmount: Option<Box<dyn FnOnce()>>,
    failed: bool,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// True when the element shows a configuration error instead of a dialog.
    #[wasm_bindgen(getter)]
    pub fn failed(&self) -> bool {
        self.failed
    }

    pub fn destroy(&mut self) {
        if let Some(unmount) = self.unmount.take() {
            unmount();
        }
    }
}

/// Renders `C` into `container`; the handle unmounts it.
fn render<C>(container: Element, props: C::Properties, failed: bool) -> WidgetHandle
where
    C: yew::BaseComponent,
{
    let app = yew::Renderer::<C>::with_root_and_props(container, props).render();
    WidgetHandle {
        unmount: Some(Box::new(move || app.destroy())),
        failed,
    }
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
        Err(error) => {
            web_sys::console::error_1(&JsValue::from_str(&error.to_string()));
            let props = crate::dialog::ConfigErrorProps {
                message: error.to_string().into(),
                lang: lang.into(),
            };
            return render::<ConfigErrorView>(container, props, true);
        }
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
                false,
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
                false,
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
                false,
            )
        }
        (_, Subject::Login) => {
            render::<RecoverForm>(container, RecoverFormProps { config, services }, false)
        }
    }
}
