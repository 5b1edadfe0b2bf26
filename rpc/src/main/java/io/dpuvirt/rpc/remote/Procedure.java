package io.dpuvirt.rpc.remote;

import java.util.Optional;

/**
 * REMOTE program procedure numbers ({@code enum remote_procedure} in {@code remote_protocol.x}),
 * the ones virsh uses for connection set-up and the domain, storage and device commands this
 * project serves. Numbers never change in libvirt; new ones are only appended.
 */
public enum Procedure {
    CONNECT_OPEN(1),
    CONNECT_CLOSE(2),
    CONNECT_GET_TYPE(3),
    CONNECT_GET_VERSION(4),
    NODE_GET_INFO(6),
    CONNECT_GET_CAPABILITIES(7),
    DOMAIN_CREATE(9),
    DOMAIN_CREATE_XML(10),
    DOMAIN_DEFINE_XML(11),
    DOMAIN_DESTROY(12),
    DOMAIN_GET_XML_DESC(14),
    DOMAIN_GET_AUTOSTART(15),
    DOMAIN_GET_INFO(16),
    DOMAIN_GET_MAX_VCPUS(18),
    DOMAIN_GET_OS_TYPE(19),
    DOMAIN_GET_VCPUS(20),
    CONNECT_LIST_DEFINED_DOMAINS(21),
    DOMAIN_LOOKUP_BY_ID(22),
    DOMAIN_LOOKUP_BY_NAME(23),
    DOMAIN_LOOKUP_BY_UUID(24),
    CONNECT_NUM_OF_DEFINED_DOMAINS(25),
    DOMAIN_REBOOT(27),
    DOMAIN_RESUME(28),
    DOMAIN_SET_AUTOSTART(29),
    DOMAIN_SHUTDOWN(33),
    DOMAIN_SUSPEND(34),
    DOMAIN_UNDEFINE(35),
    CONNECT_LIST_DOMAINS(37),
    CONNECT_NUM_OF_DOMAINS(51),
    DOMAIN_GET_SCHEDULER_TYPE(56),
    CONNECT_GET_HOSTNAME(59),
    CONNECT_SUPPORTS_FEATURE(60),
    AUTH_LIST(66, false),
    AUTH_SASL_INIT(67, false),
    AUTH_SASL_START(68, false),
    AUTH_SASL_STEP(69, false),
    AUTH_POLKIT(70, false),
    STORAGE_POOL_DEFINE_XML(77),
    STORAGE_POOL_LOOKUP_BY_NAME(84),
    STORAGE_POOL_LOOKUP_BY_UUID(85),
    STORAGE_VOL_CREATE_XML(93),
    CONNECT_GET_URI(110),
    DOMAIN_GET_SECURITY_LABEL(121),
    NODE_GET_SECURITY_MODEL(122),
    DOMAIN_IS_ACTIVE(150),
    DOMAIN_IS_PERSISTENT(151),
    CONNECT_GET_LIB_VERSION(157),
    DOMAIN_ATTACH_DEVICE_FLAGS(160),
    DOMAIN_GET_JOB_INFO(163),
    DOMAIN_HAS_MANAGED_SAVE_IMAGE(183),
    DOMAIN_SNAPSHOT_NUM(187),
    DOMAIN_CREATE_WITH_FLAGS(196),
    /** Opens a read stream: console bytes follow as STREAM packets with this call's serial. */
    DOMAIN_OPEN_CONSOLE(201),
    DOMAIN_GET_STATE(212),
    DOMAIN_GET_CONTROL_INFO(229),
    DOMAIN_UNDEFINE_FLAGS(231),
    DOMAIN_DESTROY_FLAGS(234),
    DOMAIN_BLOCK_RESIZE(251),
    DOMAIN_SHUTDOWN_FLAGS(258),
    CONNECT_LIST_ALL_DOMAINS(273),
    DOMAIN_GET_SECURITY_LABEL_LIST(278),
    DOMAIN_DEFINE_XML_FLAGS(350),
    CONNECT_REGISTER_CLOSE_CALLBACK(360),
    CONNECT_UNREGISTER_CLOSE_CALLBACK(361),
    DOMAIN_GET_MESSAGES(426);

    private final int number;
    private final boolean requiresAuth;

    Procedure(int number) {
        this(number, true);
    }

    Procedure(int number, boolean requiresAuth) {
        this.number = number;
        this.requiresAuth = requiresAuth;
    }

    public int number() {
        return number;
    }

    /** False only for the AUTH_* procedures, the only ones a client may call before it is authenticated. */
    public boolean requiresAuth() {
        return requiresAuth;
    }

    public static Optional<Procedure> of(int number) {
        for (Procedure procedure : values()) {
            if (procedure.number == number) {
                return Optional.of(procedure);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether procedure {@code number} may run before authentication. Numbers this enum does not name
     * are not AUTH_* procedures (67..70 and 66 are all named), so they require it.
     */
    public static boolean requiresAuth(int number) {
        return of(number).map(Procedure::requiresAuth).orElse(true);
    }
}
