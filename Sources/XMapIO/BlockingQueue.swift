#if canImport(Glibc)
import Glibc
#endif

/// An unbounded first-in first-out queue between threads: producers `push`, one consumer takes
/// everything queued at once with `takeAll` (waiting while it is empty), and `close` marks the end.
/// A pthread mutex and condition variable, so the consumer sleeps while it waits.
public final class BlockingQueue<Element>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let nonEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var items: [Element] = []
    private var closed = false

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(nonEmpty, nil)
    }

    deinit {
        pthread_cond_destroy(nonEmpty)
        pthread_mutex_destroy(mutex)
        nonEmpty.deallocate()
        mutex.deallocate()
    }

    /// Appends `element` and wakes the consumer.
    public func push(_ element: Element) {
        pthread_mutex_lock(mutex)
        items.append(element)
        pthread_cond_signal(nonEmpty)
        pthread_mutex_unlock(mutex)
    }

    /// Marks the end: once the queue is drained, `takeAll` returns nil.
    public func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(nonEmpty)
        pthread_mutex_unlock(mutex)
    }

    /// Everything queued, in order, waiting while the queue is empty and open; nil once it is
    /// closed and drained.
    public func takeAll() -> [Element]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while items.isEmpty && !closed { pthread_cond_wait(nonEmpty, mutex) }
        if items.isEmpty { return nil }
        let out = items
        items = []
        return out
    }
}
