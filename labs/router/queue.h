/* labs/router/queue.h — the packets the forwarder holds back, ordered by the time each is due.
 *
 * A binary min-heap on (due time, arrival order): packets due at the same time leave in the order
 * they came, so only a delay that differs (--reorder) changes their order. */
#ifndef LABS_ROUTER_QUEUE_H
#define LABS_ROUTER_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct qpkt {
	uint64_t due;   /* CLOCK_MONOTONIC nanoseconds */
	uint64_t order; /* arrival number, breaks ties */
	size_t len;
	uint8_t *data;  /* owned by the queue until popped */
};

struct pqueue {
	struct qpkt *heap;
	size_t n, cap;
	uint64_t order;
};

/* An empty queue that holds at most CAP packets.  0, or -1 when out of memory. */
int pq_init(struct pqueue *q, size_t cap);

/* Queue a copy of DATA (LEN bytes) due at DUE.  0, or -1 when the queue is full or out of memory
 * (the packet is then lost, as on a full router queue). */
int pq_push(struct pqueue *q, uint64_t due, const uint8_t *data, size_t len);

/* The due time of the earliest packet into *DUE: 0, or -1 when the queue is empty. */
int pq_next_due(const struct pqueue *q, uint64_t *due);

/* Take the earliest packet out; the caller frees its data.  The queue must not be empty. */
struct qpkt pq_pop(struct pqueue *q);

/* Free every packet and the queue itself. */
void pq_free(struct pqueue *q);

#endif
