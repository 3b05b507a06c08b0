//! Seed 000, Juspay UPI Consumer Stack: flow level only. The seed names registration (bank
//! selection, VPA creation, PIN set-up), account management, intent and collect payments, and
//! the UPI Mapper, but specifies no message. What it states, and seed 002 makes concrete, is the
//! onboarding life cycle a customer's device goes through; that is modelled here as a state
//! machine. Unspecified by the seed: every request and response of the PSP backend APIs, their
//! transport details, error codes and the collect flow's expiry rules.

use crate::source::{Source, seeds::CONSUMER_STACK, seeds::TPAP_SDK};

/// A customer's onboarding state, as `upiGetSessionToken` reports it (seed 002, section 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnboardingState {
    /// SMS and phone permissions not given yet.
    NoPermission,
    /// Permissions given, the user is not registered.
    Fresh,
    /// Registered on the device, no account linked.
    Bound,
    /// Registered with valid linked accounts (the only state with `vpaAccounts`).
    Linked,
}

impl OnboardingState {
    /// The wire value of `payload.status`.
    pub fn wire(self) -> &'static str {
        match self {
            OnboardingState::NoPermission => "NOPERMISSION",
            OnboardingState::Fresh => "FRESH",
            OnboardingState::Bound => "BOUND",
            OnboardingState::Linked => "LINKED",
        }
    }
}

/// One allowed transition and why it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// Before.
    pub from: OnboardingState,
    /// After.
    pub to: OnboardingState,
    /// The user or SDK step that causes it.
    pub by: &'static str,
    /// Where it is described.
    pub source: Source,
}

/// The onboarding transitions of the registration flow (seed 000) with the states of seed 002.
pub fn onboarding_transitions() -> Vec<Transition> {
    use OnboardingState::{Bound, Fresh, Linked, NoPermission};
    let reg = Source::seed(CONSUMER_STACK, "Customer Onboarding");
    let states = Source::seed(
        TPAP_SDK,
        "1. Get Session Token > Process Parameters > Status Description",
    );
    vec![
        Transition {
            from: NoPermission,
            to: Fresh,
            by: "the user grants SMS and phone permissions",
            source: states,
        },
        Transition {
            from: Fresh,
            to: Bound,
            by: "device binding registers the user on the device",
            source: reg,
        },
        Transition {
            from: Bound,
            to: Linked,
            by: "the user selects a bank and links an account with a VPA",
            source: reg,
        },
        Transition {
            from: Linked,
            to: Linked,
            by: "account management adds or changes linked accounts",
            source: Source::seed(CONSUMER_STACK, "Customer Onboarding > Account management"),
        },
    ]
}
