/* labs/router/queue.c — a min-heap of held-back packets (see queue.h). */
#include "queue.h"

#include <stdlib.h>
#include <string.h>

int pq_init(struct pqueue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->heap = calloc(cap ? cap : 1, sizeof(*q->heap));
	if (!q->heap)
		return -1;
	q->cap = cap;
	return 0;
}

static int before(const struct qpkt *x, const struct qpkt *y)
{
	return x->due < y->due || (x->due == y->due && x->order < y->order);
}

static void swap(struct qpkt *x, struct qpkt *y)
{
	struct qpkt t = *x;

	*x = *y;
	*y = t;
}

int pq_push(struct pqueue *q, uint64_t due, const uint8_t *data, size_t len)
{
	size_t i;
	uint8_t *copy;

	if (q->n >= q->cap)
		return -1;
	copy = malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, data, len);
	i = q->n++;
	q->heap[i] = (struct qpkt){ .due = due, .order = q->order++, .len = len, .data = copy };
	while (i > 0 && before(&q->heap[i], &q->heap[(i - 1) / 2])) {
		swap(&q->heap[i], &q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return 0;
}

int pq_next_due(const struct pqueue *q, uint64_t *due)
{
	if (q->n == 0)
		return -1;
	*due = q->heap[0].due;
	return 0;
}

struct qpkt pq_pop(struct pqueue *q)
{
	struct qpkt top = q->heap[0];
	size_t i = 0, l, m;

	q->heap[0] = q->heap[--q->n];
	for (;;) {
		l = 2 * i + 1;
		m = i;
		if (l < q->n && before(&q->heap[l], &q->heap[m]))
			m = l;
		if (l + 1 < q->n && before(&q->heap[l + 1], &q->heap[m]))
			m = l + 1;
		if (m == i)
			break;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
	return top;
}

void pq_free(struct pqueue *q)
{
	while (q->n)
		free(q->heap[--q->n].data);
	free(q->heap);
	q->heap = NULL;
	q->cap = 0;
}
