package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrException;

/** {@code remote_auth_type}: what AUTH_LIST offers. */
public enum AuthType {
    NONE(0),
    SASL(1),
    POLKIT(2);

    private final int code;

    AuthType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static AuthType of(int code) {
        for (AuthType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new XdrException("unknown auth type " + code);
    }
}
