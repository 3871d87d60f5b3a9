#include "crc32.h"

uint32_t crc32(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
