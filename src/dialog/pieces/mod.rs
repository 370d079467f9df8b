//! The components and hooks every flow's screens are built from.

pub mod copy;
pub mod delivery_form;
pub mod delivery_note;
pub mod failure_message;
pub mod hooks;
pub mod new_password;
pub mod new_password_form;
pub mod policy_status;
pub mod secret_field;
pub mod step_frame;
pub mod step_indicator;
pub mod step_up_form;
pub mod strength_meter;
