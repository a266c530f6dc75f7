// SPDX-License-Identifier: MIT
/* Device group names from iproute2's group file, read once and only when a group is not 0. */
#include "groups.h"

#include <stdio.h>
#include <stdlib.h>

#include "array.h"
#include "file.h"
#include "link.h"

/* iproute2 reads /etc/iproute2; newer versions fall back to the distribution's copy. */
static const char *const group_files[] = { "/etc/iproute2/group", "/usr/share/iproute2/group",
					   "/usr/lib/iproute2/group" };

static char *text;
static size_t text_len;
static int loaded;

static void load(void)
{
	loaded = 1;
	/* the first file that opens; of a group file past 1 MiB, the first MiB is enough */
	for (size_t i = 0; !text && i < ND_ARRAY_SIZE(group_files); i++)
		text = nd_file_read(group_files[i], 1u << 20, &text_len);
}

const char *ifgroup_name(uint32_t id, char *buf, size_t len)
{
	if (id == 0)
		return "default";
	if (!loaded)
		load();
	if (text && !nd_link_group_lookup(text, text_len, id, buf, len))
		return buf;
	snprintf(buf, len, "%u", id);
	return buf;
}
