#ifndef SAFFRON_CZLIB_SHIM_H
#define SAFFRON_CZLIB_SHIM_H
#include <zlib.h>
#endif
