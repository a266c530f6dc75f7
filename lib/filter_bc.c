// SPDX-License-Identifier: MIT
/*
 * ss-style filter expressions: inet_diag bytecode, laid out as ss's ssfilter_bytecompile() lays
 * it out, and run as the kernel runs it (for tests and the fuzzer).
 */
#include "filter_int.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>

static void put_op(uint8_t *at, uint8_t code, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { .code = code, .yes = yes, .no = no };

	memcpy(at, &op, sizeof(op));
}

/* Jumps of the first part that reject (land 4 past its end) now land past the second part. */
static void patch_rejects(uint8_t *a, ssize_t len, ssize_t reloc)
{
	while (len > 0) {
		struct inet_diag_bc_op op;

		memcpy(&op, a, sizeof(op));
		if (op.no == len + 4) {
			op.no = (uint16_t)(op.no + reloc);
			memcpy(a, &op, sizeof(op));
		}
		len -= op.yes;
		a += op.yes;
	}
}

ssize_t nd_filter_compile(const struct nd_fnode *n, uint8_t *buf, size_t size)
{
	ssize_t l1, l2;

	switch (n->type) {
	case ND_F_AUTO:
		if (size < 4)
			return -ENOSPC;
		put_op(buf, INET_DIAG_BC_AUTO, 4, 8);
		return 4;
	case ND_F_SCOND:
	case ND_F_DCOND: {
		struct inet_diag_hostcond hc = { 0 };
		size_t alen = n->family == AF_INET6 ? 16 : 4;
		size_t oplen = 4 + sizeof(hc) + alen;

		if (n->family == AF_UNIX)
			return -EOPNOTSUPP;
		if (size < oplen)
			return -ENOSPC;
		put_op(buf, n->type == ND_F_SCOND ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND,
		       (uint8_t)oplen, (uint16_t)(oplen + 4));
		hc.family = (uint8_t)n->family;
		hc.prefix_len = (uint8_t)n->prefixlen;
		hc.port = n->port;
		memcpy(buf + 4, &hc, sizeof(hc));
		memcpy(buf + 4 + sizeof(hc), n->addr, alen);
		return (ssize_t)oplen;
	}
	case ND_F_S_GE:
	case ND_F_S_LE:
	case ND_F_D_GE:
	case ND_F_D_LE: {
		static const uint8_t code[] = {
			[ND_F_S_GE] = INET_DIAG_BC_S_GE,
			[ND_F_S_LE] = INET_DIAG_BC_S_LE,
			[ND_F_D_GE] = INET_DIAG_BC_D_GE,
			[ND_F_D_LE] = INET_DIAG_BC_D_LE,
		};

		if (size < 8)
			return -ENOSPC;
		put_op(buf, code[n->type], 8, 12);
		put_op(buf + 4, 0, 0, (uint16_t)n->port);
		return 8;
	}
	case ND_F_AND:
		l1 = nd_filter_compile(n->a, buf, size);
		if (l1 < 0)
			return l1;
		l2 = nd_filter_compile(n->b, buf + l1, size - (size_t)l1);
		if (l2 < 0)
			return l2;
		if (l1 + l2 > 65535)
			return -ENOSPC;
		patch_rejects(buf, l1, l2);
		return l1 + l2;
	case ND_F_OR:
		l1 = nd_filter_compile(n->a, buf, size);
		if (l1 < 0)
			return l1;
		if ((size_t)l1 + 4 > size)
			return -ENOSPC;
		l2 = nd_filter_compile(n->b, buf + l1 + 4, size - (size_t)l1 - 4);
		if (l2 < 0)
			return l2;
		if (l1 + l2 + 4 > 65535)
			return -ENOSPC;
		put_op(buf + l1, INET_DIAG_BC_JMP, 4, (uint16_t)(l2 + 4));
		return l1 + l2 + 4;
	case ND_F_NOT:
		l1 = nd_filter_compile(n->a, buf, size);
		if (l1 < 0)
			return l1;
		if ((size_t)l1 + 4 > size)
			return -ENOSPC;
		put_op(buf + l1, INET_DIAG_BC_JMP, 4, 8);
		return l1 + 4;
	case ND_F_UID:
	case ND_F_PID:
	case ND_F_COMM: return -EOPNOTSUPP; /* inet_diag has no uid, pid or name condition */
	}
	return -EINVAL;
}

bool nd_filter_bc_run(const uint8_t *bc, size_t blen, const struct nd_sock *s,
		      bool userlocks_bindport)
{
	long len = (long)blen;

	while (len > 0) {
		struct inet_diag_bc_op op, op2;
		bool yes = true;

		memcpy(&op, bc, sizeof(op));
		switch (op.code) {
		case INET_DIAG_BC_NOP: break;
		case INET_DIAG_BC_JMP: yes = false; break;
		case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_EQ:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE: {
			bool sp = op.code == INET_DIAG_BC_S_EQ || op.code == INET_DIAG_BC_S_GE ||
				  op.code == INET_DIAG_BC_S_LE;
			unsigned int port = sp ? s->lport : s->pport;

			memcpy(&op2, bc + 4, sizeof(op2));
			if (op.code == INET_DIAG_BC_S_EQ || op.code == INET_DIAG_BC_D_EQ)
				yes = port == op2.no;
			else if (op.code == INET_DIAG_BC_S_GE || op.code == INET_DIAG_BC_D_GE)
				yes = port >= op2.no;
			else
				yes = port <= op2.no;
			break;
		}
		case INET_DIAG_BC_AUTO: yes = !userlocks_bindport; break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;

			memcpy(&hc, bc + 4, sizeof(hc));
			yes = nd_filter_hostcond(hc.family, hc.prefix_len, hc.port,
						 bc + 4 + sizeof(hc), s,
						 op.code == INET_DIAG_BC_S_COND);
			break;
		}
		default: return false;
		}
		if (yes) {
			len -= op.yes;
			bc += op.yes;
		} else {
			len -= op.no;
			bc += op.no;
		}
	}
	return len == 0;
}
