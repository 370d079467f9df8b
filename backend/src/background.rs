//! Work that outlives its request (e-mail after a commit, the recovery
//! code's whole issue), spawned with `tokio::spawn` and counted, so tests
//! (and a curious operator) can wait until nothing is pending.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

#[derive(Debug, Default)]
pub struct Tasks {
    pending: AtomicUsize,
    done: Notify,
}

impl Tasks {
    /// Runs `task` in the background; the answer does not wait for it.
    pub fn spawn<F>(self: &Arc<Self>, task: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.pending.fetch_add(1, Ordering::SeqCst);
        let tasks = Arc::clone(self);
        tokio::spawn(async move {
            // Counted down even if the task panics: the guard drops.
            let _guard = Finished(tasks);
            task.await;
        });
    }

    /// Waits until every task spawned so far (and any they spawned) ended.
    pub async fn idle(&self) {
        loop {
            let notified = self.done.notified();
            if self.pending.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }
}

struct Finished(Arc<Tasks>);

impl Drop for Finished {
    fn drop(&mut self) {
        self.0.pending.fetch_sub(1, Ordering::SeqCst);
        self.0.done.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn idle_waits_for_every_task() {
        let tasks = Arc::new(Tasks::default());
        let flag = Arc::new(AtomicUsize::new(0));
        for _ in 0..3 {
            let flag = flag.clone();
            tasks.spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                flag.fetch_add(1, Ordering::SeqCst);
            });
        }
        tasks.idle().await;
        assert_eq!(flag.load(Ordering::SeqCst), 3);
    }
}
