#ifndef SAFFRON_CLIBVIRT_SHIM_H
#define SAFFRON_CLIBVIRT_SHIM_H
#include <libvirt/libvirt.h>
#include <libvirt/libvirt-qemu.h>
#include <libvirt/virterror.h>
#endif
