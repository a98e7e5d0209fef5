//! The fuzzer as a `proptest-state-machine` test: the reference state machine
//! generates each step from the pool as it stands (amounts up to what an actor holds,
//! liquidations aimed at unhealthy positions), and the system under test applies it
//! and checks every invariant, panicking on the first one broken so that proptest
//! shrinks the sequence.

use std::cell::RefCell;
use std::marker::PhantomData;

use proptest::prelude::*;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest};

use crate::invariants;
use crate::model::{Model, Op, Refusal};
use crate::ops;

/// The reference: the model itself (a refused step leaves it as it was).
pub struct Pool;

impl ReferenceStateMachine for Pool {
    type State = Model;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Model> {
        // Any stability fee up to 50%: shrinks towards a pool without fees.
        (0u16..=5_000).prop_map(ops::fresh_pool).boxed()
    }

    fn transitions(state: &Model) -> BoxedStrategy<Op> {
        ops::op_strategy(state)
    }

    fn apply(mut state: Model, op: &Op) -> Model {
        let _ = state.apply(*op);
        state
    }
}

/// What the steps of a campaign did, per operation and per refusal reason.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub steps: u64,
    /// Per operation: (applied, refused).
    pub by_op: std::collections::BTreeMap<&'static str, (u64, u64)>,
    /// Refusals by reason.
    pub refusals: std::collections::BTreeMap<String, u64>,
}

thread_local! {
    /// The tally of the sequence running on this thread (proptest runs the test
    /// closure on the calling thread; the campaign takes it after each sequence).
    pub(crate) static TALLY: RefCell<Tally> = RefCell::new(Tally::default());
}

/// A change made to the model after each step: none in a campaign ([`Sound`]); a
/// test plants a bug with one to show that the campaign finds it and shrinks it.
pub trait Plant: 'static {
    fn after(model: &mut Model, op: &Op, applied: bool);
}

/// The model as it is.
pub struct Sound;

impl Plant for Sound {
    fn after(_: &mut Model, _: &Op, _: bool) {}
}

/// Applies `op` to `model` and checks the invariants; `Err` names the first broken.
pub fn step<P: Plant>(model: &mut Model, op: Op) -> Result<(), String> {
    let before = model.clone();
    let outcome = model.apply(op);
    P::after(model, &op, outcome.is_ok());
    record(&op, &outcome);
    invariants::check(&before, model, &op, outcome.is_ok())
}

fn record(op: &Op, outcome: &Result<(), Refusal>) {
    TALLY.with_borrow_mut(|tally| {
        tally.steps += 1;
        let entry = tally.by_op.entry(op.name()).or_default();
        match outcome {
            Ok(()) => entry.0 += 1,
            Err(refusal) => {
                entry.1 += 1;
                let reason = match refusal {
                    Refusal::Core(error) if error.is_math() => format!("MathOverflow in {}", op.name()),
                    Refusal::Core(error) => format!("{error:?}"),
                    Refusal::Guard(reason) => (*reason).to_string(),
                };
                *tally.refusals.entry(reason).or_default() += 1;
            }
        }
    });
}

/// The model (with `P` planted) under every invariant.
pub struct Checked<P: Plant = Sound>(PhantomData<P>);

impl<P: Plant> StateMachineTest for Checked<P> {
    type SystemUnderTest = Model;
    type Reference = Pool;

    fn init_test(initial: &Model) -> Model {
        initial.clone()
    }

    fn apply(mut model: Model, _reference: &Model, op: Op) -> Model {
        if let Err(violation) = step::<P>(&mut model, op) {
            panic!("{violation}");
        }
        model
    }
}
