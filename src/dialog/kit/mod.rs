//! What every flow is built from, as pure state (tested natively): the
//! request and its never-lost rules ([`submission`]), the new password and its
//! strength ([`password`]), the delivery form ([`delivery`]), and the admin's
//! own password when a reset of an administrator asks for it ([`step_up`]). A flow's
//! reducer holds these and adds only its own steps; its screens are built from
//! the matching components in `pieces`.

pub mod delivery;
pub mod password;
pub mod step_up;
pub mod submission;
