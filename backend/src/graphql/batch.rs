//! Deterministic request-scoped batching: the JavaScript DataLoader's "flush at the end of
//! the tick", for Rust futures.
//!
//! Resolvers ask a [`Batcher`] for a key and wait. The [`Batched`] future that drives the
//! request polls the GraphQL execution until it is quiescent (pending, and not merely
//! yielding), then flushes every batcher: each runs ONE statement for all keys collected in
//! that round. So a page costs one statement per relation level whatever its size and however
//! fast the machine is, with no timer and no extra task. Results are cached for the request.

use std::{
    collections::HashMap,
    future::Future,
    hash::Hash,
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
};

use futures_util::{FutureExt, Stream, StreamExt, future::BoxFuture, stream::FuturesUnordered};
use tokio::sync::oneshot;

/// Fetches the values of many keys at once.
pub type Fetch<K, V> = Arc<dyn Fn(Vec<K>) -> BoxFuture<'static, async_graphql::Result<HashMap<K, V>>> + Send + Sync>;

enum Entry<V> {
    Loaded(Option<V>),
    Waiting(Vec<oneshot::Sender<async_graphql::Result<Option<V>>>>),
}

struct State<K, V> {
    entries: HashMap<K, Entry<V>>,
    queued: Vec<K>,
}

/// Collects keys of one kind until the driver flushes them as one fetch; caches the results.
pub struct Batcher<K, V> {
    state: Arc<Mutex<State<K, V>>>,
    fetch: Fetch<K, V>,
}

impl<K, V> Batcher<K, V>
where
    K: Eq + Hash + Clone + Send + 'static,
    V: Clone + Send + 'static,
{
    pub fn new(fetch: Fetch<K, V>) -> Self {
        Self { state: Arc::new(Mutex::new(State { entries: HashMap::new(), queued: Vec::new() })), fetch }
    }

    /// The value of `key`, fetched in the next flush unless cached or already under way.
    pub async fn load(&self, key: K) -> async_graphql::Result<Option<V>> {
        let receiver = {
            let mut state = self.state.lock().expect("batcher lock");
            let (sender, receiver) = oneshot::channel();
            match state.entries.get_mut(&key) {
                Some(Entry::Loaded(value)) => return Ok(value.clone()),
                Some(Entry::Waiting(waiters)) => waiters.push(sender),
                None => {
                    state.entries.insert(key.clone(), Entry::Waiting(vec![sender]));
                    state.queued.push(key);
                }
            }
            receiver
        };
        receiver.await.unwrap_or_else(|_| Err(async_graphql::Error::new("batch cancelled")))
    }

    /// Forgets the values loaded so far (a subscription's next event reads afresh); keys
    /// still awaited stay.
    pub fn forget(&self) {
        self.state.lock().expect("batcher lock").entries.retain(|_, entry| matches!(entry, Entry::Waiting(_)));
    }

    /// Takes the queued keys and returns the fetch that answers their waiters, if any.
    pub fn take_batch(&self) -> Option<BoxFuture<'static, ()>> {
        let keys = std::mem::take(&mut self.state.lock().expect("batcher lock").queued);
        if keys.is_empty() {
            return None;
        }
        let state = self.state.clone();
        let fetch = (self.fetch)(keys.clone());
        Some(
            async move {
                let result = fetch.await;
                let mut state = state.lock().expect("batcher lock");
                for key in keys {
                    let value = match &result {
                        Ok(values) => Ok(values.get(&key).cloned()),
                        Err(error) => Err(error.clone()),
                    };
                    let previous = match &value {
                        Ok(found) => state.entries.insert(key, Entry::Loaded(found.clone())),
                        Err(_) => state.entries.remove(&key),
                    };
                    if let Some(Entry::Waiting(waiters)) = previous {
                        for waiter in waiters {
                            let _ = waiter.send(value.clone());
                        }
                    }
                }
            }
            .boxed(),
        )
    }
}

/// Anything holding batchers that a driver can flush.
pub trait Flush: Send + Sync {
    /// Starts one fetch per batcher with queued keys.
    fn flush(&self) -> Vec<BoxFuture<'static, ()>>;

    /// Forgets every loaded value (see [`Batcher::forget`]).
    fn forget(&self);
}

/// Flushes a list of batchers of different types.
pub fn flush_all(batches: impl IntoIterator<Item = Option<BoxFuture<'static, ()>>>) -> Vec<BoxFuture<'static, ()>> {
    batches.into_iter().flatten().collect()
}

/// Remembers whether the execution was woken, and passes the wake on.
struct WakeFlag {
    woken: AtomicBool,
    outer: Mutex<Option<Waker>>,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        if let Some(waker) = self.outer.lock().expect("waker lock").as_ref() {
            waker.wake_by_ref();
        }
    }
}

/// What drives an execution through batchers: see the module documentation.
struct Driver {
    batchers: Arc<dyn Flush>,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
    flag: Arc<WakeFlag>,
}

impl Driver {
    fn new(batchers: Arc<dyn Flush>) -> Self {
        Self {
            batchers,
            running: FuturesUnordered::new(),
            flag: Arc::new(WakeFlag { woken: AtomicBool::new(true), outer: Mutex::new(None) }),
        }
    }

    /// Polls `inner` until it is ready or quiescent with nothing left to flush.
    fn poll<T>(&mut self, cx: &mut Context<'_>, mut inner: impl FnMut(&mut Context<'_>) -> Poll<T>) -> Poll<T> {
        *self.flag.outer.lock().expect("waker lock") = Some(cx.waker().clone());
        let inner_waker = Waker::from(self.flag.clone());
        loop {
            // Finished fetches answer their waiters, which wakes the execution.
            while let Poll::Ready(Some(())) = self.running.poll_next_unpin(cx) {}
            if self.flag.woken.swap(false, Ordering::AcqRel) {
                let mut context = Context::from_waker(&inner_waker);
                if let Poll::Ready(output) = inner(&mut context) {
                    return Poll::Ready(output);
                }
                // Poll again while the execution keeps waking itself (cooperative yields).
                continue;
            }
            // Quiescent: every resolver waits on a batch or on I/O. Flush collected keys.
            let batches = self.batchers.flush();
            if batches.is_empty() {
                return Poll::Pending;
            }
            self.running.extend(batches);
        }
    }
}

/// Drives a future that loads through batchers: see the module documentation.
pub struct Batched<F> {
    execution: Pin<Box<F>>,
    driver: Driver,
}

impl<F: Future> Batched<F> {
    pub fn new(execution: F, batchers: Arc<dyn Flush>) -> Self {
        Self { execution: Box::pin(execution), driver: Driver::new(batchers) }
    }
}

impl<F: Future> Future for Batched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let execution = &mut this.execution;
        this.driver.poll(cx, |context| execution.as_mut().poll(context))
    }
}

/// Drives a stream of responses (a subscription) that loads through batchers; each item is
/// resolved with fresh values, as its own request would be.
pub struct BatchedStream<S> {
    stream: Pin<Box<S>>,
    driver: Driver,
}

impl<S: Stream> BatchedStream<S> {
    pub fn new(stream: S, batchers: Arc<dyn Flush>) -> Self {
        Self { stream: Box::pin(stream), driver: Driver::new(batchers) }
    }
}

impl<S: Stream> Stream for BatchedStream<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = &mut *self;
        let stream = &mut this.stream;
        let polled = this.driver.poll(cx, |context| stream.as_mut().poll_next(context));
        if polled.is_ready() {
            this.driver.batchers.forget();
            // The next item starts a new round.
            this.driver.flag.woken.store(true, Ordering::Release);
        }
        polled
    }
}
