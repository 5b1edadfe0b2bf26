package io.dpuvirt.virt.driver;

import java.util.Objects;

/** The security driver in force (libvirt's {@code virSecurityModel}); an empty model means none. */
public record SecurityModel(String model, String doi) {
    public static final SecurityModel NONE = new SecurityModel("", "");

    public SecurityModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(doi, "doi");
    }
}
