//! The server's in-memory state: EC orders, registered intents, PayU payments and the
//! merchant's S2S callback URL, each kind bounded in time and number. Every method takes its lock briefly and never across an
//! `await`; a lock poisoned by a panicking thread is still used (the data stays consistent
//! because no method leaves it half-written).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::config::Limits;
use crate::expiring::Expiring;

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

/// All state of one server, each kind bounded: orders are remembered for one more lifetime (at
/// least a minute) after they time out (so a late payment is told "timed out" before the order
/// is forgotten), intents for
/// their `intentRequestExpiryMinutes`, payments for [`Limits::payment_lifetime`], and at most
/// [`Limits::state_capacity`] of each (see [`Expiring`]).
#[derive(Debug)]
pub struct Store {
    orders: Mutex<Expiring<Order>>,
    order_retention: Duration,
    intents: Mutex<Expiring<()>>,
    payments: Mutex<Payments>,
    payment_lifetime: Duration,
    callback_url: Mutex<Option<String>>,
}

/// Payments by txnid, and their txnids by PayU ID.
#[derive(Debug)]
struct Payments {
    by_txnid: Expiring<Payment>,
    by_mihpayid: HashMap<String, String>,
}

impl Default for Store {
    fn default() -> Self {
        Store::new(&Limits::default())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    /// An empty store with the lifetimes and capacity of `limits`.
    pub fn new(limits: &Limits) -> Store {
        Store {
            orders: Mutex::new(Expiring::new(limits.state_capacity)),
            order_retention: limits
                .order_lifetime
                .saturating_add(limits.order_lifetime.max(Duration::from_secs(60))),
            intents: Mutex::new(Expiring::new(limits.state_capacity)),
            payments: Mutex::new(Payments {
                by_txnid: Expiring::new(limits.state_capacity),
                by_mihpayid: HashMap::new(),
            }),
            payment_lifetime: limits.payment_lifetime,
            callback_url: Mutex::new(None),
        }
    }

    /// How many orders, intents and payments are held.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            lock(&self.orders).len(),
            lock(&self.intents).len(),
            lock(&self.payments).by_txnid.len(),
        )
    }

    /// Creates an order; `false` when `order_id` exists already.
    pub fn create_order(&self, order_id: &str, amount: &str) -> bool {
        let now = Instant::now();
        let mut orders = lock(&self.orders);
        if orders.get(order_id, now).is_some() {
            return false;
        }
        let order = Order {
            amount: amount.to_owned(),
            created: now,
            paid: false,
        };
        orders.insert(order_id.to_owned(), order, self.order_retention, now);
        true
    }

    /// Marks an order's payment as started and returns the order, if it exists, is unpaid
    /// and is younger than `lifetime`.
    pub fn start_payment(&self, order_id: &str, lifetime: Duration) -> Result<Order, OrderProblem> {
        let mut orders = lock(&self.orders);
        let order = orders.get_mut(order_id, Instant::now()).ok_or(OrderProblem::Unknown)?;
        if order.paid {
            return Err(OrderProblem::AlreadyPaid);
        }
        if order.created.elapsed() >= lifetime {
            return Err(OrderProblem::TimedOut);
        }
        order.paid = true;
        Ok(order.clone())
    }

    /// Registers an intent valid for `lifetime`; `false` when the merchant has registered
    /// `merchant_request_id` and it is still valid.
    pub fn register_intent(&self, merchant_id: &str, merchant_request_id: &str, lifetime: Duration) -> bool {
        let now = Instant::now();
        // NUL cannot occur in the merchant ID (a header value), so the pair's key is unambiguous.
        let key = format!("{merchant_id}\0{merchant_request_id}");
        let mut intents = lock(&self.intents);
        if intents.get(&key, now).is_some() {
            return false;
        }
        intents.insert(key, (), lifetime, now);
        true
    }

    /// Whether a payment with this txnid exists.
    pub fn has_payment(&self, txnid: &str) -> bool {
        lock(&self.payments).by_txnid.get(txnid, Instant::now()).is_some()
    }

    /// Records a payment under its txnid, replacing any earlier one.
    pub fn record_payment(&self, txnid: &str, payment: Payment) {
        let now = Instant::now();
        let mut payments = lock(&self.payments);
        let Payments { by_txnid, by_mihpayid } = &mut *payments;
        let mihpayid = payment.mihpayid.clone();
        let lifetime = self.payment_lifetime;
        for (_, gone) in by_txnid.insert(txnid.to_owned(), payment, lifetime, now) {
            by_mihpayid.remove(&gone.mihpayid);
        }
        by_mihpayid.insert(mihpayid, txnid.to_owned());
    }

    /// The payment with this txnid.
    pub fn payment(&self, txnid: &str) -> Option<Payment> {
        lock(&self.payments).by_txnid.get(txnid, Instant::now()).cloned()
    }

    /// Whether some payment has this PayU ID.
    pub fn has_mihpayid(&self, mihpayid: &str) -> bool {
        let now = Instant::now();
        let mut payments = lock(&self.payments);
        let Some(txnid) = payments.by_mihpayid.get(mihpayid).cloned() else {
            return false;
        };
        payments
            .by_txnid
            .get(&txnid, now)
            .is_some_and(|p| p.mihpayid == mihpayid)
    }

    /// Completes a pending payment and returns it.
    pub fn complete(
        &self,
        txnid: &str,
        status: PaymentStatus,
        bank_ref_no: String,
    ) -> Result<Payment, CompletionProblem> {
        let mut payments = lock(&self.payments);
        let payment = payments
            .by_txnid
            .get_mut(txnid, Instant::now())
            .ok_or(CompletionProblem::Unknown)?;
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
        let Some(payment) = payments.by_txnid.get_mut(txnid, Instant::now()) else {
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
    fn state_stays_bounded_under_unique_ids() {
        let limits = Limits {
            state_capacity: 100,
            ..Limits::default()
        };
        let store = Store::new(&limits);
        for i in 0..10_000 {
            assert!(store.create_order(&format!("o{i}"), "1.00"));
            assert!(store.register_intent("TEST", &format!("r{i}"), Duration::from_secs(600)));
            store.record_payment(
                &format!("t{i}"),
                Payment {
                    mihpayid: format!("m{i}"),
                    request: BTreeMap::new(),
                    status: PaymentStatus::Pending,
                    bank_ref_no: String::new(),
                },
            );
        }
        assert_eq!(store.sizes(), (100, 100, 100));
        assert_eq!(lock(&store.payments).by_mihpayid.len(), 100);
        // The newest are kept, the oldest forgotten.
        assert!(store.has_mihpayid("m9999") && !store.has_mihpayid("m0"));
        assert!(store.has_payment("t9999") && !store.has_payment("t0"));
    }

    #[test]
    fn an_intent_is_new_again_after_its_lifetime() {
        let store = Store::default();
        assert!(store.register_intent("TEST", "r1", Duration::ZERO));
        assert!(store.register_intent("TEST", "r1", Duration::from_secs(600)));
        assert!(!store.register_intent("TEST", "r1", Duration::from_secs(600)));
        assert!(store.register_intent("OTHER", "r1", Duration::from_secs(600)));
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
