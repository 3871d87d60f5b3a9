/* The printf subset of format.h. */
#include "format.h"

#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_n(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

static void pad(struct out *o, char c, size_t n)
{
	while (n--)
		put(o, c);
}

struct spec {
	int left;
	int zero;
	int alt;
	size_t width;
	long prec;
	int lng;
};

/* Lays out prefix, zeros and digits in the field. */
static void put_field(struct out *o, const struct spec *s, const char *prefix, const char *digits, size_t n)
{
	size_t plen = strlen(prefix), total = plen + n, fill = s->width > total ? s->width - total : 0;

	if (!s->left && !s->zero)
		pad(o, ' ', fill);
	put_n(o, prefix, plen);
	if (!s->left && s->zero)
		pad(o, '0', fill);
	put_n(o, digits, n);
	if (s->left)
		pad(o, ' ', fill);
}

static void put_number(struct out *o, const struct spec *s, unsigned long long v, int neg, unsigned base)
{
	char digits[24];
	size_t n = sizeof(digits);
	const char *prefix = neg ? "-" : "";

	do {
		digits[--n] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16 && s->alt)
		prefix = "0x";
	if (base == 8 && s->alt && digits[n] != '0')
		prefix = "0";
	put_field(o, s, prefix, digits + n, sizeof(digits) - n);
}

static void put_string(struct out *o, const struct spec *s, const char *str)
{
	size_t n;

	if (!str)
		str = "(null)";
	n = strlen(str);
	if (s->prec >= 0 && (size_t)s->prec < n)
		n = (size_t)s->prec;
	put_field(o, &(struct spec){ .left = s->left, .width = s->width }, "", str, n);
}

static unsigned long long arg_unsigned(const struct spec *s, va_list *ap)
{
	if (s->lng == 2)
		return va_arg(*ap, unsigned long long);
	if (s->lng == 1)
		return va_arg(*ap, unsigned long);
	if (s->lng == 3)
		return va_arg(*ap, size_t);
	return va_arg(*ap, unsigned);
}

static long long arg_signed(const struct spec *s, va_list *ap)
{
	if (s->lng == 2)
		return va_arg(*ap, long long);
	if (s->lng == 1)
		return va_arg(*ap, long);
	if (s->lng == 3)
		return (long long)va_arg(*ap, size_t);
	return va_arg(*ap, int);
}

/* Reads flags, width, precision and length; returns the conversion letter. */
static char parse_spec(const char **fp, struct spec *s, va_list *ap)
{
	const char *f = *fp;

	*s = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			s->left = 1;
		else if (*f == '0')
			s->zero = 1;
		else if (*f == '#')
			s->alt = 1;
		else
			break;
	}
	if (*f == '*') {
		int w = va_arg(*ap, int);

		s->left |= w < 0;
		s->width = (size_t)(w < 0 ? -(long)w : w);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (size_t)(*f++ - '0');
	if (*f == '.') {
		s->prec = 0;
		if (*++f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	if (*f == 'z') {
		s->lng = 3;
		f++;
	}
	while (*f == 'l' && s->lng < 2) {
		s->lng++;
		f++;
	}
	*fp = f + (*f != '\0');
	return *f;
}

static void convert(struct out *o, char conv, const struct spec *s, va_list *ap)
{
	long long v;

	switch (conv) {
	case 's':
		put_string(o, s, va_arg(*ap, const char *));
		return;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		return;
	case 'd':
	case 'i':
		v = arg_signed(s, ap);
		put_number(o, s, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0, 10);
		return;
	case 'u':
		put_number(o, s, arg_unsigned(s, ap), 0, 10);
		return;
	case 'x':
		put_number(o, s, arg_unsigned(s, ap), 0, 16);
		return;
	case 'o':
		put_number(o, s, arg_unsigned(s, ap), 0, 8);
		return;
	case '%':
		put(o, '%');
		return;
	default:
		put(o, '?');
	}
}

int fmt_v(char *buf, size_t size, const char *f, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec s;
	va_list aq;

	va_copy(aq, ap);
	while (*f) {
		if (*f != '%') {
			put(&o, *f++);
			continue;
		}
		f++;
		convert(&o, parse_spec(&f, &s, &aq), &s, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_v(buf, size, f, ap);
	va_end(ap);
	return n;
}

/* Days since 1970-01-01 to a proleptic Gregorian date, in eras of 400
 * years, so that no table and no time zone code is needed. */
static void civil_date(int64_t days, int *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int fmt_time_utc(char *buf, size_t size, uint64_t ns)
{
	uint64_t secs = ns / 1000000000u;
	unsigned day_secs = (unsigned)(secs % 86400), m, d;
	int y;

	civil_date((int64_t)(secs / 86400), &y, &m, &d);
	return fmt(buf, size, "%04d-%02u-%02uT%02u:%02u:%02u.%09uZ", y, m, d, day_secs / 3600,
		   day_secs / 60 % 60, day_secs % 60, (unsigned)(ns % 1000000000u));
}
