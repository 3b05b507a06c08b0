//! The model alone, no HTTP: its predictions, its state, and the paths of the flows.
use super::*;
use crate::model::api::Flow;
use Target::{Fresh, Step as At, Unknown};
use Transition::*;

/// The flows the seed APIs name, each once.
fn all() -> Vec<Flow> {
    let mut flows: Vec<Flow> = Vec::new();
    for flow in crate::messages::apis().iter().flat_map(|a| a.flows.iter().copied()) {
        if !flows.contains(&flow) {
            flows.push(flow);
        }
    }
    assert_eq!(flows.len(), 11, "the APIs name the 11 flows");
    flows
}

fn walk_of(steps: &[Step]) -> Result<Vec<Prediction>, WalkError> {
    walk(&Path {
        documents: 0,
        steps: steps.to_vec().leak(),
    })
}

#[test]
fn every_flow_is_a_walk_of_the_model() {
    for flow in all() {
        let p = path(flow);
        let predictions = walk(&p).unwrap_or_else(|e| panic!("{}: {e}", flow.name()));
        assert_eq!(predictions.len(), p.steps.len());
        // A flow whose rules name a refusal predicts it; the others predict no refusal
        // their rules do not name.
        for prediction in predictions {
            if let Prediction::Refused(rule) = prediction {
                assert!(
                    crate::rule_ids::of_flow(flow).contains(&rule),
                    "{}: predicts a refusal under {rule}, not a rule of the flow",
                    flow.name()
                );
            }
        }
    }
}

#[test]
fn the_predictions_of_the_flows() {
    use Prediction::{Accepted, Refused, Reports};
    let cases: [(Flow, &[Prediction]); 6] = [
        (Flow::UnknownOrderRejected, &[Refused(behaviour::EC_TXNS_ORDER_EXISTS)]),
        (
            Flow::DuplicateTxnidRejected,
            &[Accepted, Refused(behaviour::PAYU_PAYMENT_TXNID_UNIQUE)],
        ),
        (
            Flow::DuplicateRejected,
            &[Accepted, Refused(behaviour::REGISTER_INTENT_MERCHANT_REQUEST_ID_UNIQUE)],
        ),
        (
            Flow::UdfUpdateUnknownTxnid,
            &[Refused(behaviour::PAYU_UDF_UPDATE_TXNID_EXISTS)],
        ),
        (
            Flow::CallbackVerifyUdf,
            &[
                Accepted,
                Reports(PaymentStatus::Pending),
                Accepted,
                Accepted,
                Reports(PaymentStatus::Success),
                Accepted,
            ],
        ),
        (Flow::OrderTxnsDeeplink, &[Accepted, Accepted]),
    ];
    for (flow, expected) in cases {
        assert_eq!(walk(&path(flow)).unwrap(), expected, "{}", flow.name());
    }
}

#[test]
fn paying_an_unknown_order_is_refused() {
    let m = Model::new();
    assert_eq!(
        m.predict(0, &step(PayOrder, Unknown)).unwrap(),
        Prediction::Refused(behaviour::EC_TXNS_ORDER_EXISTS)
    );
    // An order created first is paid.
    assert_eq!(
        walk_of(&[step(CreateOrder, Fresh), step(PayOrder, At(0))]).unwrap(),
        [Prediction::Accepted, Prediction::Accepted]
    );
}

#[test]
fn a_second_payment_with_the_same_txnid_is_refused() {
    let mut m = Model::new();
    let first = step(Pay, Fresh);
    assert_eq!(m.predict(0, &first).unwrap(), Prediction::Accepted);
    m.apply(0, &first, true);
    assert_eq!(
        m.predict(1, &step(Pay, At(0))).unwrap(),
        Prediction::Refused(behaviour::PAYU_PAYMENT_TXNID_UNIQUE)
    );
    // A refused first payment created nothing: repeating it names no payment.
    let mut refused = Model::new();
    refused.apply(0, &first, false);
    assert_eq!(
        refused.predict(1, &step(Pay, At(0))),
        Err(WalkError::NoEntity { step: 1, named: 0 })
    );
}

#[test]
fn udf_update_of_a_txnid_never_paid_is_refused() {
    assert_eq!(
        Model::new().predict(0, &step(UdfUpdate, Unknown)).unwrap(),
        Prediction::Refused(behaviour::PAYU_UDF_UPDATE_TXNID_EXISTS)
    );
    let walked = walk_of(&[step(Pay, Fresh), step(UdfUpdate, At(0)), step(Verify, At(0))]).unwrap();
    assert_eq!(walked[1], Prediction::Accepted);
}

#[test]
fn the_state_follows_the_answers() {
    let mut m = Model::new();
    let pay = step(Pay, Fresh);
    m.apply(0, &pay, true);
    let update = step(UdfUpdate, At(0));
    m.apply(1, &update, true);
    m.apply(2, &step(Complete, At(0)), true);
    match m.entity(0) {
        Some(State::Payment(p)) => {
            assert_eq!(p.status, PaymentStatus::Success);
            assert!(p.callback);
            assert_eq!(p.udfs_set_by, Some(1));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        m.predict(3, &step(Verify, At(0))).unwrap(),
        Prediction::Reports(PaymentStatus::Success)
    );
}

#[test]
fn invalid_walks_are_refused_with_the_reason() {
    // Completing a payment never made, settling one not completed, verifying an order.
    assert!(matches!(
        walk_of(&[step(Complete, Unknown)]),
        Err(WalkError::Precondition { step: 0, .. })
    ));
    assert!(matches!(
        walk_of(&[step(Pay, Fresh), step(Settle, At(0))]),
        Err(WalkError::Precondition { step: 1, .. })
    ));
    assert!(matches!(
        walk_of(&[step(CreateOrder, Fresh), step(Verify, At(0))]),
        Err(WalkError::WrongEntity { step: 1, .. })
    ));
    assert!(matches!(
        walk_of(&[step(Pay, At(0))]),
        Err(WalkError::NoEntity { step: 0, named: 0 })
    ));
    assert!(matches!(
        walk_of(&[step(PayOrder, Fresh)]),
        Err(WalkError::Precondition { .. })
    ));
}

#[test]
fn only_the_callback_flow_needs_the_sandbox() {
    for flow in all() {
        assert_eq!(
            path(flow).needs_sandbox(),
            flow == Flow::CallbackVerifyUdf,
            "{}",
            flow.name()
        );
    }
}
