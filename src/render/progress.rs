//! Live progress of an apply or a teardown: a spinner per step on a terminal, plain timestamped lines
//! otherwise (CI logs, pipes).

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use console::style;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::plan::step_label;
use crate::engine::plan::Plan;
use crate::engine::plan::events::{Event, Reporter, Step};

pub struct Progress<'a> {
    plan: &'a Plan,
    deployment: &'a str,
    started: Instant,
    live: Option<MultiProgress>,
    bars: RefCell<HashMap<Step, ProgressBar>>,
}

impl<'a> Progress<'a> {
    /// `live` draws spinners; otherwise every event is one line on stderr.
    pub fn new(plan: &'a Plan, deployment: &'a str, live: bool) -> Self {
        Progress {
            plan,
            deployment,
            started: Instant::now(),
            live: live.then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            bars: RefCell::new(HashMap::new()),
        }
    }

    fn label(&self, step: Step) -> String {
        step_label(step, self.plan, self.deployment)
    }

    fn line(&self, status: &str, text: &str) {
        eprintln!("[{:>6.1}s] {status} {text}", self.started.elapsed().as_secs_f64());
    }
}

impl Reporter for Progress<'_> {
    fn report(&self, event: Event) {
        if let Event::Finished(step @ Step::Change(_)) = &event {
            crate::interruption::done(self.label(*step));
        }
        let Some(multi) = &self.live else {
            match event {
                Event::Started(step) => self.line("start", &self.label(step)),
                Event::Waiting(step, state) => self.line("wait ", &format!("{} (state: {state})", self.label(step))),
                Event::Finished(step) => self.line("done ", &self.label(step)),
                Event::Failed(step, error) => self.line("FAIL ", &format!("{}: {error}", self.label(step))),
            }
            return;
        };
        let mut bars = self.bars.borrow_mut();
        match event {
            Event::Started(step) => {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(ProgressStyle::with_template("  {spinner} {msg} [{elapsed}]").expect("valid template"));
                bar.set_message(self.label(step));
                bar.enable_steady_tick(Duration::from_millis(120));
                bars.insert(step, bar);
            }
            Event::Waiting(step, state) => {
                if let Some(bar) = bars.get(&step) {
                    bar.set_message(format!("{} (state: {state})", self.label(step)));
                }
            }
            Event::Finished(step) => {
                if let Some(bar) = bars.remove(&step) {
                    bar.set_style(ProgressStyle::with_template("  {msg} [{elapsed}]").expect("valid template"));
                    bar.finish_with_message(format!("{} {}", style("✓").green(), self.label(step)));
                }
            }
            Event::Failed(step, error) => {
                if let Some(bar) = bars.remove(&step) {
                    bar.set_style(ProgressStyle::with_template("  {msg}").expect("valid template"));
                    bar.finish_with_message(format!("{} {}: {error}", style("✗").red(), self.label(step)));
                }
            }
        }
    }
}
