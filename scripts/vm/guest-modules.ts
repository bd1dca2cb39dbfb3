// The kernel modules the test VM loads, in load order. Debian's cloud kernel builds these as
// modules, the initramfs has no modprobe or modules.dep, so busybox insmod loads each plain .ko
// after the ones it depends on (the order of each module's `depends=` in its modinfo).

export interface GuestModule {
  name: string;
  /** Path under lib/modules/<release>/kernel/. */
  path: string;
}

export const GUEST_MODULES: readonly GuestModule[] = [
  // The virtio-serial port the agent writes to: ring, bus, PCI transport, then the console driver.
  { name: 'virtio_ring', path: 'drivers/virtio/virtio_ring.ko' },
  { name: 'virtio', path: 'drivers/virtio/virtio.ko' },
  { name: 'virtio_pci_modern_dev', path: 'drivers/virtio/virtio_pci_modern_dev.ko' },
  { name: 'virtio_pci_legacy_dev', path: 'drivers/virtio/virtio_pci_legacy_dev.ko' },
  { name: 'virtio_pci', path: 'drivers/virtio/virtio_pci.ko' },
  { name: 'virtio_console', path: 'drivers/char/virtio_console.ko' },
  // A virtio NIC, when the launcher gives the VM a tap device, so host and guest see one link.
  { name: 'failover', path: 'net/core/failover.ko' },
  { name: 'net_failover', path: 'drivers/net/net_failover.ko' },
  { name: 'virtio_net', path: 'drivers/net/virtio_net.ko' },
  // The ACPI power button as an input device, which acpid reads: QMP system_powerdown shuts down.
  { name: 'button', path: 'drivers/acpi/button.ko' },
  { name: 'evdev', path: 'drivers/input/evdev.ko' },
];
