package dev.qflux.schedule;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A binary min-heap of messages keyed by {@link QueuedMessage#due()}, each message knowing its
 * slot, so a message's time can change or it can leave in O(log n). One heap and one timer serve
 * every queued message, like qmail-send's {@code prioq}; there is never a task per message.
 * Confined to the scheduler's worker.
 */
final class TimerHeap {

    private static final int INITIAL_CAPACITY = 1024;
    private QueuedMessage[] heap = new QueuedMessage[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** The message due first, or null. */
    QueuedMessage peek() {
        return size == 0 ? null : heap[0];
    }

    /** Puts a message in at its {@code due()}, or moves it there if it is in already. */
    void upsert(QueuedMessage m) {
        if (m.heapIndex < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            heap[size] = m;
            m.heapIndex = size++;
            siftUp(m.heapIndex);
        } else {
            siftUp(m.heapIndex);
            siftDown(m.heapIndex);
        }
    }

    void remove(QueuedMessage m) {
        int i = m.heapIndex;
        if (i < 0) {
            return;
        }
        m.heapIndex = -1;
        QueuedMessage last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            siftUp(i);
            siftDown(last.heapIndex);
        }
    }

    /**
     * Makes every message due at {@code now} at the latest (qmail's ALRM): {@code adjust} lowers
     * each message's next times; the heap is then rebuilt in O(n).
     */
    void lowerAll(Consumer<QueuedMessage> adjust) {
        for (int i = 0; i < size; i++) {
            adjust.accept(heap[i]);
        }
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void siftUp(int i) {
        QueuedMessage m = heap[i];
        long key = m.due();
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            QueuedMessage p = heap[parent];
            if (p.due() <= key) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = m;
        m.heapIndex = i;
    }

    private void siftDown(int i) {
        QueuedMessage m = heap[i];
        long key = m.due();
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].due() < heap[child].due()) {
                child = right;
            }
            if (key <= heap[child].due()) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = m;
        m.heapIndex = i;
    }
}
