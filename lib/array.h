/* SPDX-License-Identifier: MIT */
#ifndef ND_ARRAY_H
#define ND_ARRAY_H

/* ND_ARRAY_SIZE - the number of elements of the array @a (an array, not a pointer). */
#define ND_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
