// SPDX-License-Identifier: MIT
/* libbpf's messages for connstat's BPF loaders (see bpf_log.h). */
#include "bpf_log.h"

#ifdef ND_HAVE_BPF
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <bpf/libbpf.h>

__attribute__((format(printf, 2, 0))) static int libbpf_log(enum libbpf_print_level level,
							    const char *fmt, va_list ap)
{
	(void)level;
	if (!getenv("CONNSTAT_BPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void cs_bpf_log_setup(void)
{
	libbpf_set_print(libbpf_log);
}
#else
void cs_bpf_log_setup(void)
{
}
#endif
