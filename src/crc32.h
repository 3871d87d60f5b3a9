#ifndef RUNLET_CRC32_H
#define RUNLET_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, as zlib's). */
uint32_t crc32(uint32_t crc, const void *data, size_t len);

#endif
