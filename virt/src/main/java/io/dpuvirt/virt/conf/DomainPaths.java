package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;

/** Paths of the domain-level elements, for messages. */
final class DomainPaths {
    static final ElementPath DOMAIN = ElementPath.ROOT.child("domain");
    static final ElementPath NAME = DOMAIN.child("name");
    static final ElementPath MEMORY = DOMAIN.child("memory");
    static final ElementPath CURRENT_MEMORY = DOMAIN.child("currentMemory");
    static final ElementPath VCPU = DOMAIN.child("vcpu");
    static final ElementPath CPUTUNE = DOMAIN.child("cputune");
    static final ElementPath OS = DOMAIN.child("os");
    static final ElementPath FEATURES = DOMAIN.child("features");
    static final ElementPath CPU = DOMAIN.child("cpu");

    private DomainPaths() {
    }
}
