//! What every flow is built from, as pure state (tested natively): the
//! request and its never-lost rules ([`submission`]), the new password and its
//! strength ([`password`]), and the delivery form ([`delivery`]). A flow's
//! reducer holds these and adds only its own steps; its screens are built from
//! the matching components in `pieces`.

pub mod delivery;
pub mod password;
pub mod submission;
