#ifndef SAFFRON_CSPICESERVER_SHIM_H
#define SAFFRON_CSPICESERVER_SHIM_H
#include <spice.h>
#endif
