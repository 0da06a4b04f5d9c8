package dev.fleetgate.agent.metrics.internal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.fleetgate.agent.metrics.internal.ProcFiles;

/**
 * Whether the host is a virtual machine: {@code /sys/hypervisor/type} (Xen), the DMI vendor or
 * product name ({@code /sys/class/dmi/id/sys_vendor}, {@code product_name}: QEMU, KVM, VMware,
 * VirtualBox, Microsoft Hyper-V, Amazon EC2, Google, …), or the {@code hypervisor} CPU flag.
 */
public final class VmDetector {

    /** @param hypervisor a short name ({@code kvm}, {@code vmware}, …), {@code unknown} or {@code none} */
    public record Vm(boolean virtual, String hypervisor) {}

    private static final String[][] VENDORS = {
        {"qemu", "kvm"},
        {"kvm", "kvm"},
        {"vmware", "vmware"},
        {"virtualbox", "virtualbox"},
        {"innotek", "virtualbox"},
        {"microsoft corporation", "hyperv"},
        {"virtual machine", "hyperv"},
        {"xen", "xen"},
        {"amazon ec2", "aws"},
        {"google", "gce"},
        {"openstack", "openstack"},
        {"digitalocean", "digitalocean"},
        {"hetzner", "kvm"},
        {"bochs", "bochs"},
        {"parallels", "parallels"},
        {"bhyve", "bhyve"},
        {"cloud hypervisor", "cloud-hypervisor"},
        {"firecracker", "firecracker"},
    };

    private VmDetector() {}

    public static Vm detect(Path root) {
        String xen = read(root.resolve("sys/hypervisor/type"));
        if (!xen.isEmpty()) {
            return new Vm(true, xen);
        }
        String dmi = read(root.resolve("sys/class/dmi/id/sys_vendor")) + " "
                + read(root.resolve("sys/class/dmi/id/product_name"));
        for (String[] vendor : VENDORS) {
            if (dmi.contains(vendor[0])) {
                return new Vm(true, vendor[1]);
            }
        }
        if (ProcParsers.hypervisorFlag(read(root.resolve("proc/cpuinfo")))) {
            return new Vm(true, "unknown");
        }
        return new Vm(false, "none");
    }

    private static String read(Path file) {
        try {
            return Files.isReadable(file) ? ProcFiles.read(file).trim().toLowerCase(Locale.ROOT) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
