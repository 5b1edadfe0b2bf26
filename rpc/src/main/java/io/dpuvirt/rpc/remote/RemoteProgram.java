package io.dpuvirt.rpc.remote;

/** Constants of the REMOTE program ({@code remote_protocol.x}). */
public final class RemoteProgram {
    public static final int PROGRAM = 0x20008086;
    public static final int VERSION = 1;

    /** REMOTE_STRING_MAX: the limit of every {@code remote_nonnull_string}. */
    public static final int STRING_MAX = 4 * 1024 * 1024;
    /** REMOTE_DOMAIN_LIST_MAX. */
    public static final int DOMAIN_LIST_MAX = 16384;
    /** REMOTE_AUTH_TYPE_LIST_MAX. */
    public static final int AUTH_TYPE_LIST_MAX = 20;
    /** REMOTE_SECURITY_LABEL_LIST_MAX. */
    public static final int SECURITY_LABEL_LIST_MAX = 64;
    /** REMOTE_SECURITY_MODEL_MAX = VIR_SECURITY_MODEL_BUFLEN (256 + NUL). */
    public static final int SECURITY_MODEL_MAX = 257;
    /** REMOTE_SECURITY_DOI_MAX = VIR_SECURITY_DOI_BUFLEN (256 + NUL). */
    public static final int SECURITY_DOI_MAX = 257;
    /** REMOTE_SECURITY_LABEL_MAX = VIR_SECURITY_LABEL_BUFLEN (4096 + NUL). */
    public static final int SECURITY_LABEL_MAX = 4097;
    /** REMOTE_VCPUINFO_MAX. */
    public static final int VCPUINFO_MAX = 16384;
    /** REMOTE_CPUMAPS_MAX. */
    public static final int CPUMAPS_MAX = 8388608;
    /** REMOTE_DOMAIN_MESSAGES_MAX. */
    public static final int DOMAIN_MESSAGES_MAX = 2048;
    /** The {@code char model[32]} of {@code remote_node_get_info_ret}. */
    public static final int NODE_INFO_MODEL_LENGTH = 32;

    private RemoteProgram() {
    }
}
