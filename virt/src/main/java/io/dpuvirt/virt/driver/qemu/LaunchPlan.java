package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.DomainConfig;

import java.util.Objects;

/**
 * Everything decided before a hypervisor is started: the domain, its id, the program that runs it, the
 * accelerator, where its files go on the host and how its serial ports and consoles are wired.
 */
public record LaunchPlan(DomainConfig config, int id, String emulator, Accelerator accelerator, GuestFiles files,
                         CharDevicePlan chars) {
    public LaunchPlan {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(emulator, "emulator");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(chars, "chars");
    }

    /** The files the hypervisor makes in its directory, then the directory: what is removed after it. */
    public java.util.List<java.nio.file.Path> runFiles() {
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>(chars.ownSockets(this.files));
        files.add(this.files.monitor());
        files.add(this.files.pidFile());
        files.add(this.files.directory());
        return files;
    }

    public String arch() {
        return config.os().arch().orElse("x86_64");
    }
}
