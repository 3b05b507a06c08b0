//! The server's in-memory state: EC orders, registered intents, PayU payments and the
//! merchant's S2S callback URL. Every method takes its lock briefly and never across an
//! `await`; a lock poisoned by a panicking thread is still used (the data stays consistent
//! because no method leaves it half-written).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// An EC order created with `POST /orders`.
#[derive(Debug, Clone)]
pub struct Order {
    /// The amount as sent.
    pub amount: String,
    /// When it was created.
    pub created: Instant,
    /// Whether `/txns` has started its payment.
    pub paid: bool,
}

/// Why `/txns` cannot pay an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderProblem {
    /// No order has this ID.
    Unknown,
    /// Its payment has already been started.
    AlreadyPaid,
    /// Its lifetime is over.
    TimedOut,
}

/// The state of a PayU payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Waiting for the payer's UPI app.
    Pending,
    /// Paid.
    Success,
    /// Declined or abandoned.
    Failure,
}

impl PaymentStatus {
    /// The word PayU uses for the status (`status` of callbacks and `verify_payment`).
    pub fn word(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Success => "success",
            PaymentStatus::Failure => "failure",
        }
    }

    /// PayU's `unmappedstatus` for the status.
    pub fn unmapped(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Success => "captured",
            PaymentStatus::Failure => "failed",
        }
    }
}

/// A PayU payment started with `_payment`.
#[derive(Debug, Clone)]
pub struct Payment {
    /// PayU's ID (`mihpayid`, `result.paymentId`).
    pub mihpayid: String,
    /// The request's form fields as posted (key, txnid, amount, udf1 … ).
    pub request: BTreeMap<String, String>,
    /// Where the payment stands.
    pub status: PaymentStatus,
    /// The bank reference once completed.
    pub bank_ref_no: String,
}

impl Payment {
    /// A posted request field, empty when absent.
    pub fn field(&self, name: &str) -> &str {
        self.request.get(name).map_or("", String::as_str)
    }
}

/// Why a payment cannot be completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionProblem {
    /// No payment has this txnid.
    Unknown,
    /// It is no longer pending.
    NotPending(PaymentStatus),
}

/// All state of one server.
#[derive(Debug, Default)]
pub struct Store {
    orders: Mutex<HashMap<String, Order>>,
    intents: Mutex<HashSet<(String, String)>>,
    payments: Mutex<HashMap<String, Payment>>,
    callback_url: Mutex<Option<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// Creates an order; `false` when `order_id` exists already.
    pub fn create_order(&self, order_id: &str, amount: &str) -> bool {
        let mut orders = lock(&self.orders);
        if orders.contains_key(order_id) {
            return false;
        }
        orders.insert(
            order_id.to_owned(),
            Order {
                amount: amount.to_owned(),
                created: Instant::now(),
                paid: false,
            },
        );
        true
    }

    /// Marks an order's payment as started and returns the order, if it exists, is unpaid
    /// and is younger than `lifetime`.
    pub fn start_payment(&self, order_id: &str, lifetime: Duration) -> Result<Order, OrderProblem> {
        let mut orders = lock(&self.orders);
        let order = orders.get_mut(order_id).ok_or(OrderProblem::Unknown)?;
        if order.paid {
            return Err(OrderProblem::AlreadyPaid);
        }
        if order.created.elapsed() >= lifetime {
            return Err(OrderProblem::TimedOut);
        }
        order.paid = true;
        Ok(order.clone())
    }

    /// Registers an intent; `false` when the merchant has registered `merchant_request_id`.
    pub fn register_intent(&self, merchant_id: &str, merchant_request_id: &str) -> bool {
        lock(&self.intents).insert((merchant_id.to_owned(), merchant_request_id.to_owned()))
    }

    /// Whether a payment with this txnid exists.
    pub fn has_payment(&self, txnid: &str) -> bool {
        lock(&self.payments).contains_key(txnid)
    }

    /// Records a payment under its txnid, replacing any earlier one.
    pub fn record_payment(&self, txnid: &str, payment: Payment) {
        lock(&self.payments).insert(txnid.to_owned(), payment);
    }

    /// The payment with this txnid.
    pub fn payment(&self, txnid: &str) -> Option<Payment> {
        lock(&self.payments).get(txnid).cloned()
    }

    /// Whether some payment has this PayU ID.
    pub fn has_mihpayid(&self, mihpayid: &str) -> bool {
        lock(&self.payments).values().any(|p| p.mihpayid == mihpayid)
    }

    /// Completes a pending payment and returns it.
    pub fn complete(
        &self,
        txnid: &str,
        status: PaymentStatus,
        bank_ref_no: String,
    ) -> Result<Payment, CompletionProblem> {
        let mut payments = lock(&self.payments);
        let payment = payments.get_mut(txnid).ok_or(CompletionProblem::Unknown)?;
        if payment.status != PaymentStatus::Pending {
            return Err(CompletionProblem::NotPending(payment.status));
        }
        payment.status = status;
        payment.bank_ref_no = bank_ref_no;
        Ok(payment.clone())
    }

    /// Replaces `udf1`..`udf5` of a payment; `false` when there is none.
    pub fn update_udfs(&self, txnid: &str, udfs: &[String; 5]) -> bool {
        let mut payments = lock(&self.payments);
        let Some(payment) = payments.get_mut(txnid) else {
            return false;
        };
        for (i, value) in udfs.iter().enumerate() {
            payment.request.insert(format!("udf{}", i + 1), value.clone());
        }
        true
    }

    /// Sets the merchant's S2S callback URL.
    pub fn set_callback_url(&self, url: String) {
        *lock(&self.callback_url) = Some(url);
    }

    /// The merchant's S2S callback URL, if set.
    pub fn callback_url(&self) -> Option<String> {
        lock(&self.callback_url).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_paid_once_and_only_while_alive() {
        let store = Store::default();
        assert!(store.create_order("o1", "1.00"));
        assert!(!store.create_order("o1", "2.00"));
        assert_eq!(
            store.start_payment("nope", Duration::from_secs(60)).unwrap_err(),
            OrderProblem::Unknown
        );
        assert_eq!(
            store.start_payment("o1", Duration::ZERO).unwrap_err(),
            OrderProblem::TimedOut
        );
        assert!(store.start_payment("o1", Duration::from_secs(60)).is_ok());
        assert_eq!(
            store.start_payment("o1", Duration::from_secs(60)).unwrap_err(),
            OrderProblem::AlreadyPaid
        );
    }

    #[test]
    fn a_payment_completes_once() {
        let store = Store::default();
        store.record_payment(
            "t1",
            Payment {
                mihpayid: "1".into(),
                request: BTreeMap::new(),
                status: PaymentStatus::Pending,
                bank_ref_no: String::new(),
            },
        );
        assert!(store.complete("t1", PaymentStatus::Success, "9".into()).is_ok());
        assert_eq!(
            store.complete("t1", PaymentStatus::Failure, "9".into()).unwrap_err(),
            CompletionProblem::NotPending(PaymentStatus::Success)
        );
        assert_eq!(
            store.complete("t2", PaymentStatus::Failure, "9".into()).unwrap_err(),
            CompletionProblem::Unknown
        );
    }
}
