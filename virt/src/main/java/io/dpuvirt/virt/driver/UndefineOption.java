package io.dpuvirt.virt.driver;

/** What {@code virsh undefine} may be asked besides removing the definition. */
public enum UndefineOption {
    /** Remove the domain's UEFI variables file as well ({@code --nvram}). */
    REMOVE_NVRAM,
    /** Keep the UEFI variables file ({@code --keep-nvram}). */
    KEEP_NVRAM
}
