#ifndef SAFFRON_CNFTABLES_SHIM_H
#define SAFFRON_CNFTABLES_SHIM_H
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <nftables/libnftables.h>

/* CLONE_NEWNET from <sched.h>, which Swift's Glibc module exposes without setns(2). */
#define SAFFRON_CLONE_NEWNET 0x40000000

/* Moves the calling thread into the network namespace open as `fd`; 0, or -1 with errno set. */
static inline int saffron_enter_network_namespace(int fd) {
    return (int)syscall(SYS_setns, fd, SAFFRON_CLONE_NEWNET);
}
#endif
