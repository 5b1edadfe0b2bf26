package io.dpuvirt.rpc.remote;

import static io.dpuvirt.rpc.remote.Procedure.*;

/**
 * The procedures that have record types, each with its args and ret ({@link Empty} for void).
 * Structures that are identical on the wire share one record, named after its shape.
 */
public final class RemoteCalls {
    // connection set-up and teardown
    public static final RemoteCall<Empty, AuthListRet> AUTH_LIST =
            RemoteCall.of(Procedure.AUTH_LIST, Empty::decode, AuthListRet::decode);
    /** {@code remote_auth_polkit_ret {int complete}}. */
    public static final RemoteCall<Empty, IntValue> AUTH_POLKIT =
            RemoteCall.of(Procedure.AUTH_POLKIT, Empty::decode, IntValue::decode);
    public static final RemoteCall<IntValue, IntValue> SUPPORTS_FEATURE =
            RemoteCall.of(CONNECT_SUPPORTS_FEATURE, IntValue::decode, IntValue::decode);
    public static final RemoteCall<ConnectOpenArgs, Empty> OPEN =
            RemoteCall.of(CONNECT_OPEN, ConnectOpenArgs::decode, Empty::decode);
    public static final RemoteCall<Empty, Empty> CLOSE =
            RemoteCall.of(CONNECT_CLOSE, Empty::decode, Empty::decode);
    public static final RemoteCall<Empty, Empty> REGISTER_CLOSE_CALLBACK =
            RemoteCall.of(CONNECT_REGISTER_CLOSE_CALLBACK, Empty::decode, Empty::decode);
    public static final RemoteCall<Empty, Empty> UNREGISTER_CLOSE_CALLBACK =
            RemoteCall.of(CONNECT_UNREGISTER_CLOSE_CALLBACK, Empty::decode, Empty::decode);

    // about the connection and the node
    public static final RemoteCall<Empty, StringValue> GET_URI =
            RemoteCall.of(CONNECT_GET_URI, Empty::decode, StringValue::decode);
    public static final RemoteCall<Empty, StringValue> GET_TYPE =
            RemoteCall.of(CONNECT_GET_TYPE, Empty::decode, StringValue::decode);
    public static final RemoteCall<Empty, UnsignedHyperValue> GET_VERSION =
            RemoteCall.of(CONNECT_GET_VERSION, Empty::decode, UnsignedHyperValue::decode);
    public static final RemoteCall<Empty, UnsignedHyperValue> GET_LIB_VERSION =
            RemoteCall.of(CONNECT_GET_LIB_VERSION, Empty::decode, UnsignedHyperValue::decode);
    public static final RemoteCall<Empty, StringValue> GET_HOSTNAME =
            RemoteCall.of(CONNECT_GET_HOSTNAME, Empty::decode, StringValue::decode);
    public static final RemoteCall<Empty, StringValue> GET_CAPABILITIES =
            RemoteCall.of(CONNECT_GET_CAPABILITIES, Empty::decode, StringValue::decode);
    public static final RemoteCall<Empty, NodeGetInfoRet> NODE_INFO =
            RemoteCall.of(NODE_GET_INFO, Empty::decode, NodeGetInfoRet::decode);
    public static final RemoteCall<Empty, NodeGetSecurityModelRet> NODE_SECURITY_MODEL =
            RemoteCall.of(NODE_GET_SECURITY_MODEL, Empty::decode, NodeGetSecurityModelRet::decode);

    // listing
    public static final RemoteCall<ConnectListAllDomainsArgs, ConnectListAllDomainsRet> LIST_ALL_DOMAINS =
            RemoteCall.of(CONNECT_LIST_ALL_DOMAINS, ConnectListAllDomainsArgs::decode, ConnectListAllDomainsRet::decode);
    public static final RemoteCall<IntValue, ConnectListDomainsRet> LIST_DOMAINS =
            RemoteCall.of(CONNECT_LIST_DOMAINS, IntValue::decode, ConnectListDomainsRet::decode);
    public static final RemoteCall<Empty, IntValue> NUM_OF_DOMAINS =
            RemoteCall.of(CONNECT_NUM_OF_DOMAINS, Empty::decode, IntValue::decode);
    public static final RemoteCall<IntValue, ConnectListDefinedDomainsRet> LIST_DEFINED_DOMAINS =
            RemoteCall.of(CONNECT_LIST_DEFINED_DOMAINS, IntValue::decode, ConnectListDefinedDomainsRet::decode);
    public static final RemoteCall<Empty, IntValue> NUM_OF_DEFINED_DOMAINS =
            RemoteCall.of(CONNECT_NUM_OF_DEFINED_DOMAINS, Empty::decode, IntValue::decode);

    // lookup
    public static final RemoteCall<IntValue, DomainValue> LOOKUP_BY_ID =
            RemoteCall.of(DOMAIN_LOOKUP_BY_ID, IntValue::decode, DomainValue::decode);
    public static final RemoteCall<DomainLookupByUuidArgs, DomainValue> LOOKUP_BY_UUID =
            RemoteCall.of(DOMAIN_LOOKUP_BY_UUID, DomainLookupByUuidArgs::decode, DomainValue::decode);
    public static final RemoteCall<StringValue, DomainValue> LOOKUP_BY_NAME =
            RemoteCall.of(DOMAIN_LOOKUP_BY_NAME, StringValue::decode, DomainValue::decode);

    // lifecycle
    public static final RemoteCall<StringValue, DomainValue> DEFINE_XML =
            RemoteCall.of(DOMAIN_DEFINE_XML, StringValue::decode, DomainValue::decode);
    public static final RemoteCall<XmlFlags, DomainValue> DEFINE_XML_FLAGS =
            RemoteCall.of(DOMAIN_DEFINE_XML_FLAGS, XmlFlags::decode, DomainValue::decode);
    public static final RemoteCall<XmlFlags, DomainValue> CREATE_XML =
            RemoteCall.of(DOMAIN_CREATE_XML, XmlFlags::decode, DomainValue::decode);
    public static final RemoteCall<DomainValue, Empty> CREATE =
            RemoteCall.of(DOMAIN_CREATE, DomainValue::decode, Empty::decode);
    public static final RemoteCall<DomainFlags, DomainValue> CREATE_WITH_FLAGS =
            RemoteCall.of(DOMAIN_CREATE_WITH_FLAGS, DomainFlags::decode, DomainValue::decode);
    public static final RemoteCall<DomainValue, Empty> SUSPEND =
            RemoteCall.of(DOMAIN_SUSPEND, DomainValue::decode, Empty::decode);
    public static final RemoteCall<DomainValue, Empty> RESUME =
            RemoteCall.of(DOMAIN_RESUME, DomainValue::decode, Empty::decode);
    public static final RemoteCall<DomainValue, Empty> SHUTDOWN =
            RemoteCall.of(DOMAIN_SHUTDOWN, DomainValue::decode, Empty::decode);
    public static final RemoteCall<DomainFlags, Empty> SHUTDOWN_FLAGS =
            RemoteCall.of(DOMAIN_SHUTDOWN_FLAGS, DomainFlags::decode, Empty::decode);
    public static final RemoteCall<DomainFlags, Empty> REBOOT =
            RemoteCall.of(DOMAIN_REBOOT, DomainFlags::decode, Empty::decode);
    public static final RemoteCall<DomainValue, Empty> DESTROY =
            RemoteCall.of(DOMAIN_DESTROY, DomainValue::decode, Empty::decode);
    public static final RemoteCall<DomainFlags, Empty> DESTROY_FLAGS =
            RemoteCall.of(DOMAIN_DESTROY_FLAGS, DomainFlags::decode, Empty::decode);
    public static final RemoteCall<DomainValue, Empty> UNDEFINE =
            RemoteCall.of(DOMAIN_UNDEFINE, DomainValue::decode, Empty::decode);
    public static final RemoteCall<DomainFlags, Empty> UNDEFINE_FLAGS =
            RemoteCall.of(DOMAIN_UNDEFINE_FLAGS, DomainFlags::decode, Empty::decode);

    // state and information (dominfo, domstate, dumpxml, autostart)
    public static final RemoteCall<DomainFlags, StringValue> GET_XML_DESC =
            RemoteCall.of(DOMAIN_GET_XML_DESC, DomainFlags::decode, StringValue::decode);
    public static final RemoteCall<DomainValue, DomainGetInfoRet> GET_INFO =
            RemoteCall.of(DOMAIN_GET_INFO, DomainValue::decode, DomainGetInfoRet::decode);
    public static final RemoteCall<DomainFlags, DomainGetStateRet> GET_STATE =
            RemoteCall.of(DOMAIN_GET_STATE, DomainFlags::decode, DomainGetStateRet::decode);
    public static final RemoteCall<DomainValue, StringValue> GET_OS_TYPE =
            RemoteCall.of(DOMAIN_GET_OS_TYPE, DomainValue::decode, StringValue::decode);
    public static final RemoteCall<DomainValue, IntValue> GET_AUTOSTART =
            RemoteCall.of(DOMAIN_GET_AUTOSTART, DomainValue::decode, IntValue::decode);
    public static final RemoteCall<DomainSetAutostartArgs, Empty> SET_AUTOSTART =
            RemoteCall.of(DOMAIN_SET_AUTOSTART, DomainSetAutostartArgs::decode, Empty::decode);
    public static final RemoteCall<DomainValue, IntValue> IS_ACTIVE =
            RemoteCall.of(DOMAIN_IS_ACTIVE, DomainValue::decode, IntValue::decode);
    public static final RemoteCall<DomainValue, IntValue> IS_PERSISTENT =
            RemoteCall.of(DOMAIN_IS_PERSISTENT, DomainValue::decode, IntValue::decode);
    public static final RemoteCall<DomainFlags, IntValue> HAS_MANAGED_SAVE_IMAGE =
            RemoteCall.of(DOMAIN_HAS_MANAGED_SAVE_IMAGE, DomainFlags::decode, IntValue::decode);
    public static final RemoteCall<DomainFlags, IntValue> SNAPSHOT_NUM =
            RemoteCall.of(DOMAIN_SNAPSHOT_NUM, DomainFlags::decode, IntValue::decode);
    public static final RemoteCall<DomainValue, DomainGetSchedulerTypeRet> GET_SCHEDULER_TYPE =
            RemoteCall.of(DOMAIN_GET_SCHEDULER_TYPE, DomainValue::decode, DomainGetSchedulerTypeRet::decode);
    public static final RemoteCall<DomainValue, SecurityLabel> GET_SECURITY_LABEL =
            RemoteCall.of(DOMAIN_GET_SECURITY_LABEL, DomainValue::decode, SecurityLabel::decode);
    public static final RemoteCall<DomainValue, DomainGetSecurityLabelListRet> GET_SECURITY_LABEL_LIST =
            RemoteCall.of(DOMAIN_GET_SECURITY_LABEL_LIST, DomainValue::decode, DomainGetSecurityLabelListRet::decode);
    public static final RemoteCall<DomainGetVcpusArgs, DomainGetVcpusRet> GET_VCPUS =
            RemoteCall.of(DOMAIN_GET_VCPUS, DomainGetVcpusArgs::decode, DomainGetVcpusRet::decode);
    public static final RemoteCall<DomainValue, IntValue> GET_MAX_VCPUS =
            RemoteCall.of(DOMAIN_GET_MAX_VCPUS, DomainValue::decode, IntValue::decode);
    public static final RemoteCall<DomainFlags, DomainGetControlInfoRet> GET_CONTROL_INFO =
            RemoteCall.of(DOMAIN_GET_CONTROL_INFO, DomainFlags::decode, DomainGetControlInfoRet::decode);
    public static final RemoteCall<DomainValue, DomainGetJobInfoRet> GET_JOB_INFO =
            RemoteCall.of(DOMAIN_GET_JOB_INFO, DomainValue::decode, DomainGetJobInfoRet::decode);
    public static final RemoteCall<DomainFlags, DomainGetMessagesRet> GET_MESSAGES =
            RemoteCall.of(DOMAIN_GET_MESSAGES, DomainFlags::decode, DomainGetMessagesRet::decode);

    /** Replies with no data; the console bytes then flow as STREAM packets of this call. */
    public static final RemoteCall<DomainOpenConsoleArgs, Empty> OPEN_CONSOLE =
            RemoteCall.of(DOMAIN_OPEN_CONSOLE, DomainOpenConsoleArgs::decode, Empty::decode);

    private RemoteCalls() {
    }
}
