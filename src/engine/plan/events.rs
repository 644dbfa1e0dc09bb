//! What the engine tells the edge while it works. The engine knows nothing of
//! terminals: it reports steps, and the edge decides how they look.

/// One unit of work, by the place of its change in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// The change's call.
    Change(usize),
    /// The wait until AWS reports the change complete (a load balancer active, a
    /// service available, a load balancer gone).
    Complete(usize),
    /// The wait while AWS refuses the change's call for a reason that passes (what holds
    /// the resource is itself still being deleted), calling again with backoff.
    Retry(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Started(Step),
    /// A waiting step's latest observation, e.g. the load balancer's state.
    Waiting(Step, String),
    Finished(Step),
    Failed(Step, String),
}

pub trait Reporter {
    fn report(&self, event: Event);
}

/// Runs the steps of one plan: reports each as it starts and ends, and counts the
/// plan's changes made, so a failure can say how far it got.
pub struct Steps<'a> {
    reporter: &'a dyn Reporter,
    completed: std::cell::Cell<usize>,
}

impl<'a> Steps<'a> {
    pub fn new(reporter: &'a dyn Reporter) -> Self {
        Steps { reporter, completed: std::cell::Cell::new(0) }
    }

    pub fn completed(&self) -> usize {
        self.completed.get()
    }

    pub fn waiting(&self, step: Step, state: String) {
        self.reporter.report(Event::Waiting(step, state));
    }

    pub async fn run<T, E: std::fmt::Display>(
        &self,
        step: Step,
        work: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        self.reporter.report(Event::Started(step));
        match work.await {
            Ok(value) => {
                if let Step::Change(_) = step {
                    self.completed.set(self.completed.get() + 1);
                }
                self.reporter.report(Event::Finished(step));
                Ok(value)
            }
            Err(error) => {
                self.reporter.report(Event::Failed(step, error.to_string()));
                Err(error)
            }
        }
    }
}
